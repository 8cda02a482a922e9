"""Public reads: only published events, soonest first, nothing private in them."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session

from community_app.domain.enums import EventStatus, RsvpStatus
from community_app.domain.errors import NotFound
from community_app.domain.events import get_public_event, list_upcoming_events
from community_app.domain.models import EventTag, Rsvp
from tests.factories import START, make_event, make_member, make_tier

pytestmark = pytest.mark.unit


def test_upcoming_lists_published_events_that_have_not_ended_soonest_first(
    session: Session, now: datetime
) -> None:
    later = make_event(
        session,
        title="後の会",
        starts_at=START + timedelta(days=7),
        ends_at=START + timedelta(days=7, hours=2),
    )
    sooner = make_event(session, title="先の会")
    make_event(
        session,
        title="過去の会",
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(days=3) + timedelta(hours=1),
    )
    make_event(session, title="下書き", status=EventStatus.DRAFT, published_at=None)
    make_event(session, title="審査中", status=EventStatus.SUBMITTED, published_at=None)
    make_event(session, title="中止", status=EventStatus.CANCELLED)

    titles = [card.title for card in list_upcoming_events(session, now=now)]

    assert titles == [sooner.title, later.title]


def test_an_event_in_progress_is_still_upcoming(session: Session) -> None:
    event = make_event(session)
    in_the_middle = event.starts_at + timedelta(minutes=30)
    assert [card.slug for card in list_upcoming_events(session, now=in_the_middle)] == [event.slug]


def test_upcoming_is_paginated(session: Session, now: datetime) -> None:
    for hour in range(5):
        make_event(
            session,
            starts_at=START + timedelta(hours=hour),
            ends_at=START + timedelta(hours=hour, minutes=30),
        )
    first = list_upcoming_events(session, now=now, limit=2)
    second = list_upcoming_events(session, now=now, limit=2, offset=2)
    assert len(first) == len(second) == 2
    assert first[-1].starts_at < second[0].starts_at


def test_the_event_page_has_tags_tiers_and_going_counts(session: Session) -> None:
    tier = make_tier(session, capacity=20)
    event_id = tier.event_id
    session.add_all(
        [EventTag(event_id=event_id, tag="子育て"), EventTag(event_id=event_id, tag="NPO")]
    )
    for status in (RsvpStatus.GOING, RsvpStatus.GOING, RsvpStatus.WAITLISTED):
        member = make_member(session)
        session.add(Rsvp(event_id=event_id, tier_id=tier.id, member_id=member.id, status=status))
    session.flush()
    slug = next(card.slug for card in list_upcoming_events(session, now=START - timedelta(days=1)))

    detail = get_public_event(session, slug=slug)

    assert detail.card.tags == ("NPO", "子育て")
    assert [(t.name, t.capacity, t.going) for t in detail.tiers] == [("オンライン参加", 20, 2)]


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.SUBMITTED, EventStatus.REJECTED])
def test_unpublished_events_are_not_found(session: Session, status: EventStatus) -> None:
    event = make_event(session, status=status, published_at=None)
    with pytest.raises(NotFound):
        get_public_event(session, slug=event.slug)


def test_an_unknown_slug_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        get_public_event(session, slug="no-such-event")


def test_public_read_models_never_carry_the_join_url(session: Session) -> None:
    secret = "https://meet.example.com/very-secret"
    event = make_event(session, join_url=secret)
    detail = get_public_event(session, slug=event.slug)
    assert secret not in repr(dataclasses.asdict(detail))
