"""Reads for the public JSON API and the embeddable widget: the lists of the pages read
in slices after a cursor (keyset pagination, a stable order), on the pages' own
conditions and read models.

Nothing here decides what is public: events come through ``event_search``'s conditions
and ``events.get_public_event``, groups through ``groups``, ideas through
``idea_board`` and ``idea_detail`` (as a visitor sees them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, UnaryExpression, and_, exists, or_
from sqlmodel import Session, col, select

from community_app.domain.errors import NotFound
from community_app.domain.event_search import (
    UPCOMING,
    EventFilters,
    _conditions,
    group_exists,
)
from community_app.domain.events import EventCard, EventDetail, _cards, get_public_event
from community_app.domain.groups import GroupCard, _card, _member_counts, _upcoming_counts
from community_app.domain.idea_board import IdeaCard, IdeaFilter, _status_condition, cards
from community_app.domain.idea_detail import IdeaDetail, get_idea_detail
from community_app.domain.models import Event, Group, IdeaTag, ProjectIdea
from community_app.domain.participation import TierSeats, tier_seats
from community_app.domain.permissions import VISITOR

T = TypeVar("T")
MAX_SLICE = 100


@dataclass(frozen=True)
class Slice(Generic[T]):
    """Up to ``limit`` items, and the position after the last one when more follow."""

    items: tuple[T, ...]
    after: tuple[Any, ...] | None


def _after(
    columns: tuple[Any, Any], position: tuple[Any, Any] | None, *, ascending: bool
) -> list[ColumnElement[bool]]:
    """Rows strictly after ``position`` in the order (first, second) both ascending or
    both descending: the keyset condition, spelled out for every database."""
    if position is None:
        return []
    first, second = columns
    if ascending:
        return [or_(first > position[0], and_(first == position[0], second > position[1]))]
    return [or_(first < position[0], and_(first == position[0], second < position[1]))]


def _check_limit(limit: int) -> None:
    if type(limit) is not int or not 1 <= limit <= MAX_SLICE:
        raise ValueError(f"limit must be 1..{MAX_SLICE}")


def event_slice(
    session: Session,
    *,
    now: datetime,
    filters: EventFilters,
    after: tuple[datetime, int] | None,
    limit: int,
) -> Slice[EventCard]:
    """Published events matching ``filters`` (as on ``/events``), after ``after``:
    upcoming soonest first, past latest first, ties by id. Raises
    ``NotFound("group_not_found")`` for an unknown group."""
    _check_limit(limit)
    if filters.group and not group_exists(session, filters.group):
        raise NotFound("group_not_found")
    ascending = filters.when == UPCOMING
    starts, ids = col(Event.starts_at), col(Event.id)
    order: list[UnaryExpression[Any]] = (
        [starts.asc(), ids.asc()] if ascending else [starts.desc(), ids.desc()]
    )
    conditions = [
        *_conditions(filters, now, in_start_order=True),
        *_after((starts, ids), after, ascending=ascending),
    ]
    events = list(
        session.exec(select(Event).where(*conditions).order_by(*order).limit(limit + 1)).all()
    )
    more, events = len(events) > limit, events[:limit]
    group_ids = {event.group_id for event in events}
    groups = (
        {g.id: g for g in session.exec(select(Group).where(col(Group.id).in_(group_ids))).all()}
        if group_ids
        else {}
    )
    found = _cards(session, [(event, groups[event.group_id]) for event in events])
    last = events[-1] if more else None
    return Slice(tuple(found), (last.starts_at, last.id) if last else None)


def group_slice(
    session: Session, *, now: datetime, after: tuple[str, int] | None, limit: int
) -> Slice[GroupCard]:
    """Groups by name then id (the order of ``/groups``), with their counts."""
    _check_limit(limit)
    names, ids = col(Group.name), col(Group.id)
    rows = list(
        session.exec(
            select(Group)
            .where(*_after((names, ids), after, ascending=True))
            .order_by(names, ids)
            .limit(limit + 1)
        ).all()
    )
    more, rows = len(rows) > limit, rows[:limit]
    members, upcoming = _member_counts(session), _upcoming_counts(session, now=now)
    found = [
        _card(g, member_count=members.get(g.id or 0, 0), upcoming_count=upcoming.get(g.id or 0, 0))
        for g in rows
    ]
    last = rows[-1] if more else None
    return Slice(tuple(found), (last.name, last.id) if last else None)


def group_card(session: Session, *, slug: str, now: datetime) -> tuple[GroupCard, str]:
    """One group's card and time zone; ``NotFound("group_not_found")`` when unknown."""
    group = session.exec(select(Group).where(Group.slug == slug)).first()
    if group is None or group.id is None:
        raise NotFound("group_not_found")
    card = _card(
        group,
        member_count=_member_counts(session, only=group.id).get(group.id, 0),
        upcoming_count=_upcoming_counts(session, now=now, only=group.id).get(group.id, 0),
    )
    return card, group.timezone


def idea_slice(
    session: Session,
    *,
    now: datetime,
    status: IdeaFilter,
    group: str,
    tag: str,
    after: tuple[datetime, int] | None,
    limit: int,
) -> Slice[IdeaCard]:
    """Ideas of the board (every idea is public), newest first, on the board's filters.
    Raises ``NotFound("group_not_found")`` for an unknown group."""
    _check_limit(limit)
    conditions = [_status_condition(status, now)]
    if group:
        if not group_exists(session, group):
            raise NotFound("group_not_found")
        group_id = select(Group.id).where(col(Group.slug) == group).scalar_subquery()
        conditions.append(col(ProjectIdea.group_id) == group_id)
    if tag:
        conditions.append(
            exists().where(col(IdeaTag.idea_id) == col(ProjectIdea.id), col(IdeaTag.tag) == tag)
        )
    created, ids = col(ProjectIdea.created_at), col(ProjectIdea.id)
    rows = list(
        session.exec(
            select(ProjectIdea.id, ProjectIdea.created_at)
            .where(*conditions, *_after((created, ids), after, ascending=False))
            .order_by(created.desc(), ids.desc())
            .limit(limit + 1)
        ).all()
    )
    more, rows = len(rows) > limit, rows[:limit]
    found = cards(session, [idea_id for idea_id, _ in rows if idea_id], now=now)
    last = rows[-1] if more else None
    return Slice(tuple(found), (last[1], last[0]) if last else None)


@dataclass(frozen=True)
class PublicEvent:
    detail: EventDetail
    seats: tuple[TierSeats, ...]  # the tiers, in the detail's order


def public_event(session: Session, *, slug: str) -> PublicEvent:
    """The event page's read model and its seats; ``NotFound`` when not published."""
    detail = get_public_event(session, slug=slug)
    return PublicEvent(
        detail, tuple(tier_seats(session, [detail.event_id]).get(detail.event_id, []))
    )


def public_idea(session: Session, *, slug: str, now: datetime) -> IdeaDetail:
    """One idea as a visitor sees it: only the events a visitor may see."""
    return get_idea_detail(session, actor=VISITOR, slug=slug, now=now)
