"""The database holds the rules it can: time order, uniqueness, aware datetimes, enums."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

from community_app.domain.columns import NaiveDatetimeError
from community_app.domain.enums import RsvpStatus
from community_app.domain.models import Comment, Event, ParticipationTier, Rsvp
from tests.factories import START, make_event, make_member, make_tier

pytestmark = pytest.mark.unit


def test_an_event_ending_before_it_starts_is_refused(session: Session) -> None:
    with pytest.raises(IntegrityError):
        make_event(session, starts_at=START, ends_at=START - timedelta(minutes=1))


def test_an_event_ending_when_it_starts_is_refused(session: Session) -> None:
    with pytest.raises(IntegrityError):
        make_event(session, starts_at=START, ends_at=START)


def test_a_second_rsvp_of_the_same_member_to_the_same_event_is_refused(session: Session) -> None:
    tier = make_tier(session)
    member = make_member(session)
    session.add(
        Rsvp(event_id=tier.event_id, tier_id=tier.id, member_id=member.id, status=RsvpStatus.GOING)
    )
    session.flush()
    other_tier = make_tier(session, event_id=tier.event_id, name="会場参加")
    session.add(
        Rsvp(
            event_id=tier.event_id,
            tier_id=other_tier.id,
            member_id=member.id,
            status=RsvpStatus.WAITLISTED,
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()


def test_the_same_member_may_rsvp_to_two_events(session: Session) -> None:
    member = make_member(session)
    for tier in (make_tier(session), make_tier(session)):
        session.add(
            Rsvp(event_id=tier.event_id, tier_id=tier.id, member_id=member.id, status="going")
        )
    session.flush()
    assert len(session.exec(select(Rsvp).where(Rsvp.member_id == member.id)).all()) == 2


def test_naive_datetimes_are_refused(session: Session) -> None:
    naive = datetime(2026, 11, 28, 21, 0)
    with pytest.raises(StatementError) as raised:
        make_event(session, starts_at=naive, ends_at=naive + timedelta(hours=1))
    assert isinstance(raised.value.orig, NaiveDatetimeError)


def test_datetimes_come_back_aware_and_in_utc(session: Session) -> None:
    event = make_event(session)
    session.expire_all()
    loaded = session.get(Event, event.id)
    assert loaded is not None
    assert loaded.starts_at == START
    assert loaded.starts_at.utcoffset() == timedelta(0)


def test_a_negative_capacity_is_refused(session: Session) -> None:
    with pytest.raises(IntegrityError):
        make_tier(session, capacity=-1)


def test_no_capacity_means_unlimited_and_is_stored_as_null(session: Session) -> None:
    tier = make_tier(session, capacity=None)
    session.expire_all()
    loaded = session.get(ParticipationTier, tier.id)
    assert loaded is not None and loaded.capacity is None


def test_an_unknown_status_is_refused(session: Session) -> None:
    with pytest.raises((IntegrityError, StatementError, LookupError)):
        make_event(session, status="published-ish")


def test_a_comment_needs_exactly_one_target(session: Session) -> None:
    event = make_event(session)
    session.commit()
    session.add(Comment(body="楽しみです", event_id=None, idea_id=None))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    session.add(Comment(body="楽しみです", event_id=event.id))
    session.flush()


def test_deleting_an_event_deletes_its_tiers(session: Session) -> None:
    tier = make_tier(session)
    tier_id, event = tier.id, session.get(Event, tier.event_id)
    session.delete(event)
    session.flush()
    session.expunge_all()
    assert session.get(ParticipationTier, tier_id) is None
