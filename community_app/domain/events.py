"""Public reads of events: small frozen read models for the UI and the feeds.

Only approved (published) events, and cancelled ones that were published, are public.
Join URLs never appear in these read models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import uuid4

from sqlalchemy import func
from sqlmodel import Session, col, select

from community_app.domain.enums import (
    EventFormat,
    EventKind,
    EventStatus,
    HostRole,
    RecapLinkKind,
    RsvpStatus,
)
from community_app.domain.errors import NotFound
from community_app.domain.models import (
    AgendaItem,
    Event,
    EventHost,
    EventTag,
    Group,
    ParticipationTier,
    RecapLink,
    Rsvp,
)
from community_app.domain.participation import tier_seats

UPCOMING_PAGE_SIZE = 30


def new_event_uid() -> str:
    """A UID that never changes for the life of the event (RFC 5545 §3.8.4.7)."""
    return f"{uuid4()}@tsudoi"


@dataclass(frozen=True)
class EventCard:
    slug: str
    title: str
    summary: str
    kind: EventKind
    format: EventFormat
    status: EventStatus
    starts_at: datetime
    ends_at: datetime
    timezone: str
    group_name: str
    group_name_en: str
    group_slug: str
    venue_name: str
    tags: tuple[str, ...]
    seats_left: int | None = None  # over all tiers; None when a tier has no limit
    waiting: int = 0


@dataclass(frozen=True)
class HostView:
    name: str
    role: HostRole
    affiliation: str


@dataclass(frozen=True)
class AgendaView:
    title: str
    speaker: str
    duration_minutes: int


@dataclass(frozen=True)
class TierView:
    name: str
    name_en: str
    capacity: int | None
    going: int
    is_online: bool


@dataclass(frozen=True)
class RecapLinkView:
    kind: RecapLinkKind
    url: str
    label: str


@dataclass(frozen=True)
class EventDetail:
    card: EventCard
    uid: str
    description: str
    venue_address: str
    online_platform: str
    sequence: int
    status_reason: str
    updated_at: datetime
    hosts: tuple[HostView, ...]
    agenda: tuple[AgendaView, ...]
    tiers: tuple[TierView, ...]
    recap_summary: str = ""
    recap_links: tuple[RecapLinkView, ...] = ()
    event_id: int = 0


# PostgreSQL takes at most 65 535 bound parameters in one statement: long lists (a
# large feed) read their tags in batches.
TAG_BATCH = 10_000


def tags_by_event(session: Session, event_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The tags of each event, in the database's order of the tag text."""
    tags: dict[int, list[str]] = {}
    for start in range(0, len(event_ids), TAG_BATCH):
        rows = session.exec(
            select(EventTag)
            .where(col(EventTag.event_id).in_(event_ids[start : start + TAG_BATCH]))
            .order_by(EventTag.tag)
        )
        for row in rows:
            tags.setdefault(row.event_id, []).append(row.tag)
    return {event_id: tuple(values) for event_id, values in tags.items()}


def _seats_by_event(session: Session, event_ids: list[int]) -> dict[int, tuple[int | None, int]]:
    """(seats left over all tiers or None when unlimited, people waiting) per event."""
    summary: dict[int, tuple[int | None, int]] = {}
    for event_id, tiers in tier_seats(session, event_ids).items():
        lefts = [tier.seats_left for tier in tiers]
        left = None if any(value is None for value in lefts) else sum(v or 0 for v in lefts)
        summary[event_id] = (left, sum(tier.waiting for tier in tiers))
    return summary


def _cards(session: Session, rows: list[tuple[Event, Group]]) -> list[EventCard]:
    ids = [event.id for event, _ in rows if event.id is not None]
    tags = tags_by_event(session, ids)
    seats = _seats_by_event(session, ids)
    return [
        EventCard(
            slug=event.slug,
            title=event.title,
            summary=event.summary,
            kind=event.kind,
            format=event.format,
            status=event.status,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            timezone=event.timezone,
            group_name=group.name,
            group_name_en=group.name_en,
            group_slug=group.slug,
            venue_name=event.venue_name,
            tags=tags.get(event.id or 0, ()),
            seats_left=seats.get(event.id or 0, (None, 0))[0],
            waiting=seats.get(event.id or 0, (None, 0))[1],
        )
        for event, group in rows
    ]


def list_upcoming_events(
    session: Session, *, now: datetime, limit: int = UPCOMING_PAGE_SIZE, offset: int = 0
) -> list[EventCard]:
    """Published events that have not ended yet, soonest first."""
    rows = session.exec(
        select(Event, Group)
        .join(Group, col(Group.id) == col(Event.group_id))
        .where(Event.status == EventStatus.APPROVED, col(Event.ends_at) > now)
        .order_by(col(Event.starts_at), col(Event.id))
        .limit(limit)
        .offset(offset)
    ).all()
    return _cards(session, list(rows))


def _going_by_tier(session: Session, event_id: int) -> dict[int, int]:
    rows = session.exec(
        select(Rsvp.tier_id, func.count())
        .where(Rsvp.event_id == event_id, Rsvp.status == RsvpStatus.GOING)
        .group_by(col(Rsvp.tier_id))
    ).all()
    return {tier_id: count for tier_id, count in rows}


def get_public_event(session: Session, *, slug: str) -> EventDetail:
    """The public page of one event; raises NotFound for unknown or unpublished slugs."""
    row = session.exec(
        select(Event, Group)
        .join(Group, col(Group.id) == col(Event.group_id))
        .where(
            Event.slug == slug,
            col(Event.status).in_(EventStatus.public()),
            col(Event.published_at).is_not(None),
        )
    ).first()
    if row is None:
        raise NotFound("event_not_found")
    event, group = row
    return event_detail(session, event, group)


def event_parts(
    session: Session, event_id: int
) -> tuple[list[EventHost], list[AgendaItem], list[ParticipationTier]]:
    """The hosts, agenda items and tiers of one event, each in its order."""
    hosts = session.exec(
        select(EventHost).where(EventHost.event_id == event_id).order_by(col(EventHost.position))
    ).all()
    agenda = session.exec(
        select(AgendaItem).where(AgendaItem.event_id == event_id).order_by(col(AgendaItem.position))
    ).all()
    tiers = session.exec(
        select(ParticipationTier)
        .where(ParticipationTier.event_id == event_id)
        .order_by(col(ParticipationTier.position), col(ParticipationTier.id))
    ).all()
    return list(hosts), list(agenda), list(tiers)


def event_detail(session: Session, event: Event, group: Group) -> EventDetail:
    """Everything the event page shows, join URL excepted, whatever the status."""
    assert event.id is not None
    hosts, agenda, tiers = event_parts(session, event.id)
    going = _going_by_tier(session, event.id)
    return EventDetail(
        card=_cards(session, [(event, group)])[0],
        uid=event.uid,
        description=event.description,
        venue_address=event.venue_address,
        online_platform=event.online_platform,
        sequence=event.sequence,
        status_reason=event.status_reason,
        updated_at=event.updated_at,
        hosts=tuple(HostView(h.name, h.role, h.affiliation) for h in hosts),
        agenda=tuple(AgendaView(a.title, a.speaker, a.duration_minutes) for a in agenda),
        tiers=tuple(
            TierView(t.name, t.name_en, t.capacity, going.get(t.id or 0, 0), t.is_online)
            for t in tiers
        ),
        recap_summary=event.recap_summary if event.recap_posted_at else "",
        recap_links=tuple(
            RecapLinkView(link.kind, link.url, link.label)
            for link in session.exec(
                select(RecapLink)
                .where(RecapLink.event_id == event.id)
                .order_by(col(RecapLink.position), col(RecapLink.id))
            ).all()
        )
        if event.recap_posted_at
        else (),
        event_id=event.id,
    )
