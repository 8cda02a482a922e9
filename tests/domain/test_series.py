"""Recurring gatherings: occurrences are real events; one can move alone; "this and
following" edits the rest of the series."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, col, select

from community_app.domain.enums import EventStatus, RsvpStatus
from community_app.domain.errors import DomainError, PermissionDenied
from community_app.domain.event_editing import update_event
from community_app.domain.models import Event, ParticipationTier, Series
from community_app.domain.proposals import change_status
from community_app.domain.review import form_values
from community_app.domain.series import repeat_event, update_this_and_following
from tests.domain.group_world import World, build_world
from tests.domain.proposal_world import add_rsvp, make_proposal
from tests.factories import START

pytestmark = pytest.mark.unit
S = EventStatus
TOKYO = ZoneInfo("Asia/Tokyo")


def _weekly_cafe(
    session: Session, now: datetime, **rule: object
) -> tuple[World, Event, list[Event]]:
    """A published Saturday 21:00 café (START) repeated by its organiser."""
    world = build_world(session)
    first = make_proposal(
        session, group_id=world.group.id, proposer=world.organiser, status=S.APPROVED,
        title="夜カフェ", venue_name="", timezone="Asia/Tokyo",
    )  # fmt: skip
    session.add(ParticipationTier(event_id=first.id, name="オンライン", capacity=100))
    session.flush()
    repeat_event(
        session,
        actor=world.actor(session, "organiser"),
        event_id=first.id,
        rule={"frequency": "weekly"} | rule,
        now=now,
    )
    occurrences = session.exec(
        select(Event).where(Event.series_id == first.series_id).order_by(col(Event.starts_at))
    ).all()
    return world, first, list(occurrences)


def _local(moment: datetime) -> tuple[str, str]:
    local = moment.astimezone(TOKYO)
    return local.date().isoformat(), local.strftime("%a %H:%M")


def test_repeating_weekly_makes_real_events_each_with_its_own_uid_and_tiers(
    session: Session, now: datetime
) -> None:
    _, first, occurrences = _weekly_cafe(session, now, count="6")

    assert len(occurrences) == 6 and occurrences[0].id == first.id
    assert [_local(e.starts_at)[1] for e in occurrences] == ["Sat 21:00"] * 6
    assert len({e.uid for e in occurrences}) == len({e.slug for e in occurrences}) == 6
    assert all(e.status == S.APPROVED and e.published_at is not None for e in occurrences)
    tiers = session.exec(select(ParticipationTier.event_id)).all()
    assert {e.id for e in occurrences} <= set(tiers)
    series = session.get(Series, first.series_id)
    assert series.rrule == "FREQ=WEEKLY;BYDAY=SA;COUNT=6"


def test_monthly_on_the_second_saturday_across_the_year_end(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    second_saturday = datetime(2026, 12, 12, 12, 0, tzinfo=ZoneInfo("UTC"))
    first = make_proposal(
        session, group_id=world.group.id, proposer=world.organiser, status=S.APPROVED,
        starts_at=second_saturday, ends_at=second_saturday + timedelta(hours=2),
    )  # fmt: skip

    repeat_event(
        session, actor=world.actor(session, "organiser"), event_id=first.id,
        rule={"frequency": "monthly_nth_weekday", "nth": "2", "count": "3"}, now=now,
    )  # fmt: skip

    days = session.exec(
        select(Event.starts_at)
        .where(Event.series_id == first.series_id)
        .order_by(col(Event.starts_at))
    ).all()
    assert [_local(d)[0] for d in days] == ["2026-12-12", "2027-01-09", "2027-02-13"]


def test_a_series_of_ten_thousand_is_refused_without_creating_anything(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    first = make_proposal(
        session, group_id=world.group.id, proposer=world.organiser, status=S.APPROVED
    )
    before = len(session.exec(select(Event)).all())

    with pytest.raises(DomainError, match="recurrence_too_long"):
        repeat_event(
            session, actor=world.actor(session, "organiser"), event_id=first.id,
            rule={"frequency": "weekly", "count": "10000"}, now=now,
        )  # fmt: skip

    assert len(session.exec(select(Event)).all()) == before


@pytest.mark.parametrize("role", ["visitor", "member", "other_organiser"])
def test_only_the_groups_organisers_repeat_events(
    session: Session, now: datetime, role: str
) -> None:
    world = build_world(session)
    first = make_proposal(
        session, group_id=world.group.id, proposer=world.member, status=S.APPROVED
    )
    with pytest.raises(PermissionDenied):
        repeat_event(
            session, actor=world.actor(session, role), event_id=first.id,
            rule={"frequency": "weekly", "count": "3"}, now=now,
        )  # fmt: skip


def test_one_occurrence_moves_or_is_cancelled_alone(session: Session, now: datetime) -> None:
    world, _, occurrences = _weekly_cafe(session, now, count="4")
    organiser = world.actor(session, "organiser")
    moved, cancelled = occurrences[1], occurrences[2]

    form = form_values(session, moved) | {"start_time": "20:00", "end_time": "22:00"}
    update_event(session, actor=organiser, event_id=moved.id, form=form, now=now)
    change_status(
        session, actor=organiser, event_id=cancelled.id, to=S.CANCELLED, reason="年末休み", now=now
    )

    assert [_local(e.starts_at)[1] for e in occurrences] == [
        "Sat 21:00",
        "Sat 20:00",
        "Sat 21:00",
        "Sat 21:00",
    ]
    assert [e.status for e in occurrences] == [S.APPROVED, S.APPROVED, S.CANCELLED, S.APPROVED]
    assert [e.sequence for e in occurrences] == [0, 1, 1, 0]


def test_this_and_following_changes_later_occurrences_only(session: Session, now: datetime) -> None:
    world, _, occurrences = _weekly_cafe(session, now, count="4")
    organiser = world.actor(session, "organiser")
    third = occurrences[2]
    going = add_rsvp(
        session, occurrences[3], world.target, RsvpStatus.GOING, tier_name="オンライン"
    )
    form = form_values(session, occurrences[1]) | {
        "title": "夜カフェ(冬時間)", "start_time": "20:30", "end_time": "22:00",
    }  # fmt: skip

    results = update_this_and_following(
        session, actor=organiser, event_id=occurrences[1].id, form=form, now=now
    )

    assert len(results) == 3
    assert [e.title for e in occurrences] == ["夜カフェ"] + ["夜カフェ(冬時間)"] * 3
    assert [_local(e.starts_at)[1] for e in occurrences] == ["Sat 21:00"] + ["Sat 20:30"] * 3
    assert (
        _local(third.starts_at)[0]
        == (START + timedelta(weeks=2)).astimezone(TOKYO).date().isoformat()
    )
    assert results[-1].notified == 1 and going.member_id == world.target.id


def test_moving_this_and_following_by_a_day_keeps_the_weekly_rhythm(
    session: Session, now: datetime
) -> None:
    world, _, occurrences = _weekly_cafe(session, now, count="3")
    sunday = (START + timedelta(days=1)).astimezone(TOKYO).date().isoformat()
    form = form_values(session, occurrences[0]) | {"start_date": sunday, "end_date": sunday}

    update_this_and_following(
        session,
        actor=world.actor(session, "organiser"),
        event_id=occurrences[0].id,
        form=form,
        now=now,
    )

    assert [_local(e.starts_at)[1] for e in occurrences] == ["Sun 21:00"] * 3
