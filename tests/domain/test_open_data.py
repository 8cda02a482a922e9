"""Reading the public lists after a cursor: every item once, in a stable order, ties
broken by id, on SQLite and PostgreSQL; unpublished events never listed."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from community_app.domain.enums import EventStatus, IdeaStatus
from community_app.domain.errors import NotFound
from community_app.domain.event_search import EventFilters
from community_app.domain.idea_board import IdeaFilter
from community_app.domain.models import ProjectIdea
from community_app.domain.open_data import (
    Slice,
    event_slice,
    group_slice,
    idea_slice,
    public_event,
)
from tests.factories import make_event, make_group, make_tier

pytestmark = pytest.mark.integration


def _all(read: Any, limit: int) -> list[Any]:
    """Every item, following the slices' positions."""
    items, after = [], None
    while True:
        found: Slice[Any] = read(after=after, limit=limit)
        items += found.items
        if found.after is None:
            return items
        after = found.after


def test_events_come_once_each_in_start_order_with_ties_by_id(
    session: Session, now: datetime
) -> None:
    group = make_group(session, slug="g")
    starts = [now + timedelta(days=d) for d in (3, 1, 1, 1, 2)]
    for number, start in enumerate(starts):
        make_event(
            session, group_id=group.id, slug=f"e{number}", starts_at=start,
            ends_at=start + timedelta(hours=1),
        )  # fmt: skip
    make_event(
        session, group_id=group.id, slug="hidden", status=EventStatus.SUBMITTED,
        published_at=None, starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=2),
    )  # fmt: skip
    session.commit()

    def read(when: str) -> list[str]:
        def one(**kwargs: Any) -> Slice[Any]:
            return event_slice(session, now=now, filters=EventFilters(when=when), **kwargs)

        return [card.slug for card in _all(one, limit=2)]

    assert read("upcoming") == ["e1", "e2", "e3", "e4", "e0"]
    assert read("past") == []


def test_past_events_come_latest_first(session: Session, now: datetime) -> None:
    group = make_group(session)
    for number in range(3):
        start = now - timedelta(days=number + 1)
        make_event(
            session, group_id=group.id, slug=f"p{number}", starts_at=start,
            ends_at=start + timedelta(hours=1),
        )  # fmt: skip
    session.commit()

    def one(**kwargs: Any) -> Slice[Any]:
        return event_slice(session, now=now, filters=EventFilters(when="past"), **kwargs)

    assert [c.slug for c in _all(one, limit=1)] == ["p0", "p1", "p2"]


def test_groups_by_name_and_ideas_newest_first(session: Session, now: datetime) -> None:
    for slug in ("b", "a", "c"):
        make_group(session, slug=slug, name="同じ名前")
    group = make_group(session, slug="z", name="同じ名前")
    for number in range(3):
        moment = now - timedelta(days=1)  # the same moment: ties by id, newest first
        session.add(
            ProjectIdea(
                slug=f"i{number}", title="案", group_id=group.id, created_at=moment,
                updated_at=moment, status=IdeaStatus.OPEN,
            )
        )  # fmt: skip
    session.commit()

    groups = _all(lambda **kw: group_slice(session, now=now, **kw), limit=2)
    ideas = _all(
        lambda **kw: idea_slice(
            session, now=now, status=IdeaFilter.ACTIVE, group="z", tag="", **kw
        ),
        limit=2,
    )

    assert [g.slug for g in groups] == ["b", "a", "c", "z"]  # one name: ties by id
    assert [i.slug for i in ideas] == ["i2", "i1", "i0"]
    with pytest.raises(NotFound):
        idea_slice(
            session, now=now, status=IdeaFilter.ACTIVE, group="nope", tag="", after=None, limit=5
        )


def test_one_event_brings_its_seats_per_tier(session: Session, now: datetime) -> None:
    event = make_event(session, slug="seats")
    make_tier(session, event_id=event.id, name="会場", capacity=10)
    make_tier(session, event_id=event.id, name="オンライン", capacity=None)
    session.commit()

    found = public_event(session, slug="seats")

    assert [(t.name, t.seats_left) for t in found.seats] == [("会場", 10), ("オンライン", None)]
    assert [t.name for t in found.detail.tiers] == ["会場", "オンライン"]
