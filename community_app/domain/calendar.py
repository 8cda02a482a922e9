"""iCalendar (RFC 5545 + RFC 7986) documents built from published events.

Public feeds never carry join URLs. Every TZID used gets its VTIMEZONE.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from icalendar import Event as VEvent
from sqlmodel import Session, col, select

from community_app.domain.enums import EventStatus
from community_app.domain.models import Event, EventTag, Group

PRODID = "-//Tsudoi//Tsudoi community calendar//JA"
REFRESH_INTERVAL = timedelta(hours=1)  # also X-PUBLISHED-TTL below, in its own syntax
# Cancelled events stay in feeds this long, so calendar apps see STATUS:CANCELLED.
CANCELLED_KEPT_FOR = timedelta(days=30)
# Past events stay this long, so a subscriber's calendar keeps recent history.
PAST_KEPT_FOR = timedelta(days=90)


@dataclass(frozen=True)
class FeedEntry:
    uid: str
    slug: str
    title: str
    summary: str
    description: str
    status: EventStatus
    starts_at: datetime
    ends_at: datetime
    timezone: str
    location: str
    group_name: str
    tags: tuple[str, ...]
    sequence: int
    updated_at: datetime
    created_at: datetime


def public_feed_entries(session: Session, *, now: datetime) -> list[FeedEntry]:
    """Published events of the site that a public feed lists, soonest first."""
    rows = session.exec(
        select(Event, Group)
        .join(Group, col(Group.id) == col(Event.group_id))
        .where(
            col(Event.status).in_(EventStatus.public()),
            col(Event.published_at).is_not(None),
            col(Event.ends_at) > now - PAST_KEPT_FOR,
        )
        .order_by(col(Event.starts_at), col(Event.id))
    ).all()
    entries = [
        (event, group)
        for event, group in rows
        if event.status != EventStatus.CANCELLED
        or (event.cancelled_at or event.updated_at) > now - CANCELLED_KEPT_FOR
    ]
    tags: dict[int, list[str]] = {}
    ids = [event.id for event, _ in entries]
    for tag in session.exec(select(EventTag).where(col(EventTag.event_id).in_(ids))):
        tags.setdefault(tag.event_id, []).append(tag.tag)
    return [
        FeedEntry(
            uid=event.uid,
            slug=event.slug,
            title=event.title,
            summary=event.summary,
            description=event.description,
            status=event.status,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            timezone=event.timezone,
            location=", ".join(p for p in (event.venue_name, event.venue_address) if p),
            group_name=group.name,
            tags=tuple(sorted(tags.get(event.id or 0, []))),
            sequence=event.sequence,
            updated_at=event.updated_at,
            created_at=event.created_at,
        )
        for event, group in entries
    ]


def event_url(site_url: str, slug: str) -> str:
    return f"{site_url}/events/{slug}"


def _vevent(entry: FeedEntry, *, site_url: str) -> VEvent:
    zone = ZoneInfo(entry.timezone)
    url = event_url(site_url, entry.slug)
    vevent = VEvent()
    vevent.add("uid", entry.uid)
    # DTSTAMP follows the event's own modification time, so an unchanged feed keeps
    # the same bytes and ETag and calendar apps get 304s.
    vevent.add("dtstamp", entry.updated_at)
    vevent.add("created", entry.created_at)
    vevent.add("last-modified", entry.updated_at)
    vevent.add("sequence", entry.sequence)
    vevent.add("dtstart", entry.starts_at.astimezone(zone))
    vevent.add("dtend", entry.ends_at.astimezone(zone))
    vevent.add("summary", entry.title)
    body = "\n\n".join(part for part in (entry.summary, entry.description, url) if part)
    vevent.add("description", body)
    vevent.add("url", url)
    if entry.location:
        vevent.add("location", entry.location)
    if entry.tags:
        vevent.add("categories", list(entry.tags))
    vevent.add("status", "CANCELLED" if entry.status == EventStatus.CANCELLED else "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    return vevent


def build_calendar(
    entries: list[FeedEntry], *, name: str, description: str, site_url: str
) -> bytes:
    """A complete VCALENDAR with one VEVENT per entry and the VTIMEZONEs they need."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-caldesc", description)
    calendar.add("description", description)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    calendar.add("url", site_url)
    for entry in entries:
        calendar.add_component(_vevent(entry, site_url=site_url))
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def etag_for(body: bytes) -> str:
    """A strong validator computed from the document, so equal documents share an ETag."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
