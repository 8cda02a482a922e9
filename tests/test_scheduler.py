"""The scheduler draws lotteries whose draw time has come, on the app's own database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from community_app.domain.enums import EventStatus, RsvpStatus, TierAllocation
from community_app.domain.models import ParticipationTier, Rsvp
from community_app.scheduler import run_due_work
from tests.factories import make_event, make_member

pytestmark = pytest.mark.integration


def test_due_lotteries_are_drawn_and_later_ones_wait(app_database: Engine) -> None:
    now = datetime.now(UTC)
    with Session(app_database) as session:
        event = make_event(
            session,
            status=EventStatus.APPROVED,
            starts_at=now + timedelta(days=5),
            ends_at=now + timedelta(days=5, hours=2),
        )
        due = ParticipationTier(
            event_id=event.id, name="抽選", capacity=1, allocation=TierAllocation.LOTTERY,
            lottery_draw_at=now - timedelta(minutes=1),
        )  # fmt: skip
        later = ParticipationTier(
            event_id=event.id, name="後日抽選", capacity=1, allocation=TierAllocation.LOTTERY,
            lottery_draw_at=now + timedelta(days=1),
        )  # fmt: skip
        session.add_all([due, later])
        session.flush()
        for _ in range(3):
            member = make_member(session)
            session.add(
                Rsvp(
                    event_id=event.id,
                    tier_id=due.id,
                    member_id=member.id,
                    status=RsvpStatus.APPLIED,
                )
            )
        session.commit()
        due_id, later_id = due.id, later.id

    assert run_due_work(now) == 1
    assert run_due_work(now) == 0  # drawn once

    with Session(app_database) as session:
        statuses = sorted(
            r.status for r in session.exec(select(Rsvp).where(Rsvp.tier_id == due_id))
        )
        assert statuses == [RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.WAITLISTED]
        assert session.get(ParticipationTier, later_id).lottery_drawn_at is None
