"""iCalendar (RFC 5545 + RFC 7986) documents built from published events.

Public feeds never carry join URLs: only a personal feed does, and only for events its
member is going to. Every TZID used gets its VTIMEZONE. A document is a pure function
of its entries and header, so ``feed_validator`` can answer conditional requests from
the entries alone, without building the document.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone, vCalAddress
from icalendar import Event as VEvent
from sqlmodel import Session, col, select

from community_app.domain.enums import EventFormat, EventKind, EventStatus, RsvpStatus
from community_app.domain.events import tags_by_event
from community_app.domain.models import Event, EventTag, Group
from community_app.i18n import translate

PRODID = "-//Tsudoi//Tsudoi community calendar//JA"
REFRESH_INTERVAL = timedelta(hours=1)  # also X-PUBLISHED-TTL below, in its own syntax
# Cancelled events stay in feeds this long, so calendar apps see STATUS:CANCELLED.
CANCELLED_KEPT_FOR = timedelta(days=30)
# Past events stay this long, so a subscriber's calendar keeps recent history.
PAST_KEPT_FOR = timedelta(days=90)
ONLINE_LOCATION = "オンライン / Online"
WAITLISTED_MARK = "【キャンセル待ち / Waitlisted】"
PENDING_MARK = "【承認待ち / Pending approval】"
# RFC 5545 §3.3.11: TEXT may hold any character but the CONTROLs other than HTAB
# (line breaks are kept, written as \n).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


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
    group_slug: str
    kind: EventKind
    tags: tuple[str, ...]
    sequence: int
    updated_at: datetime
    created_at: datetime
    attendance: RsvpStatus | None = None  # personal feeds: the member's RSVP
    join_url: str = ""  # personal feeds only, and only for going members
    online_platform: str = ""


@dataclass(frozen=True)
class FeedFilter:
    group_id: int | None = None
    kind: EventKind | None = None
    format: EventFormat | None = None
    tag: str | None = None


def plain_text(value: str) -> str:
    """Text safe for an iCalendar TEXT value: one kind of line break, no control
    characters (a calendar app would refuse or mangle them)."""
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


_MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\((\S+?)\)")
_MARKDOWN_MARKS = re.compile(r"(\*\*|__|`)")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+", re.MULTILINE)


def markdown_to_plain(markdown: str) -> str:
    """The event description as calendar apps show it: plain text, links spelled out."""
    text = _MARKDOWN_LINK.sub(r"\1 (\2)", markdown)
    text = _MARKDOWN_HEADING.sub("", text)
    return _MARKDOWN_MARKS.sub("", text)


def location_of(event: Event) -> str:
    venue = ", ".join(part for part in (event.venue_name, event.venue_address) if part)
    if event.format == EventFormat.ONLINE:
        return venue or ONLINE_LOCATION
    if event.format == EventFormat.HYBRID:
        return f"{venue} / {ONLINE_LOCATION}" if venue else ONLINE_LOCATION
    return venue


def is_listed(event: Event, now: datetime) -> bool:
    """Cancelled events stay for 30 days after cancelling, then drop out."""
    return is_still_listed(event.status, event.cancelled_at, event.updated_at, now)


def is_still_listed(
    status: EventStatus, cancelled_at: datetime | None, updated_at: datetime, now: datetime
) -> bool:
    if status != EventStatus.CANCELLED:
        return True
    return (cancelled_at or updated_at) > now - CANCELLED_KEPT_FOR


def entries_for(
    session: Session,
    rows: list[tuple[Event, Group]],
    *,
    attendance: dict[int, RsvpStatus] | None = None,
    now: datetime | None = None,
) -> list[FeedEntry]:
    """Feed entries of ``rows``; with ``attendance`` (personal feeds) the going members'
    entries carry the join URL once it is revealed (``join_url_reveal_minutes``)."""
    tags = tags_by_event(session, [event.id for event, _ in rows if event.id is not None])
    entries = []
    for event, group in rows:
        assert event.id is not None
        rsvp = (attendance or {}).get(event.id)
        join_url = ""
        if rsvp == RsvpStatus.GOING and event.status == EventStatus.APPROVED and now:
            reveal = event.join_url_reveal_minutes
            if reveal is None or now >= event.starts_at - timedelta(minutes=reveal):
                join_url = event.join_url
        entries.append(
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
                location=location_of(event),
                group_name=group.name,
                group_slug=group.slug,
                kind=event.kind,
                tags=tuple(sorted(tags.get(event.id, ()))),
                sequence=event.sequence,
                updated_at=event.updated_at,
                created_at=event.created_at,
                attendance=rsvp,
                join_url=join_url,
                online_platform=event.online_platform if join_url else "",
            )
        )
    return entries


def public_conditions(now: datetime, where: FeedFilter) -> list[Any]:
    """The WHERE clauses of a public feed: published, not imported, not long past, and
    ``where``. Every query over a public feed (entries, versions, validator) uses them."""
    conditions: list[Any] = [
        col(Event.status).in_(EventStatus.public()),
        col(Event.published_at).is_not(None),
        col(Event.external_calendar_id).is_(None),
        col(Event.ends_at) > now - PAST_KEPT_FOR,
    ]
    if where.group_id is not None:
        conditions.append(col(Event.group_id) == where.group_id)
    if where.kind is not None:
        conditions.append(col(Event.kind) == where.kind)
    if where.format is not None:
        conditions.append(col(Event.format) == where.format)
    if where.tag is not None:
        tagged = select(EventTag.event_id).where(col(EventTag.tag) == where.tag)
        conditions.append(col(Event.id).in_(tagged))
    return conditions


def public_feed_entries(
    session: Session, *, now: datetime, where: FeedFilter = FeedFilter()
) -> list[FeedEntry]:
    """Published events that a public feed lists, soonest first, filtered by ``where``.
    Imported events (from partners' calendars) are never re-published."""
    query = (
        select(Event, Group)
        .join(Group, col(Group.id) == col(Event.group_id))
        .where(*public_conditions(now, where))
        .order_by(col(Event.starts_at), col(Event.id))
    )
    rows = [(event, group) for event, group in session.exec(query).all() if is_listed(event, now)]
    return entries_for(session, rows)


def event_feed_entry(session: Session, *, slug: str, now: datetime) -> FeedEntry | None:
    """The one published event behind ``slug``, or None (unknown, unpublished, imported
    or cancelled long ago: all the same to the caller)."""
    row = session.exec(
        select(Event, Group)
        .join(Group, col(Group.id) == col(Event.group_id))
        .where(
            col(Event.slug) == slug,
            col(Event.status).in_(EventStatus.public()),
            col(Event.published_at).is_not(None),
            col(Event.external_calendar_id).is_(None),
        )
    ).first()
    if row is None or not is_listed(row[0], now):
        return None
    return entries_for(session, [(row[0], row[1])])[0]


def event_url(site_url: str, slug: str) -> str:
    return f"{site_url}/events/{quote(slug, safe='')}"


def group_url(site_url: str, slug: str) -> str:
    return f"{site_url}/groups/{quote(slug, safe='')}"


def _status(entry: FeedEntry) -> str:
    if entry.status == EventStatus.CANCELLED:
        return "CANCELLED"
    if entry.attendance in (RsvpStatus.WAITLISTED, RsvpStatus.PENDING):
        return "TENTATIVE"
    return "CONFIRMED"


def _title(entry: FeedEntry) -> str:
    mark = {RsvpStatus.WAITLISTED: WAITLISTED_MARK, RsvpStatus.PENDING: PENDING_MARK}
    return mark.get(entry.attendance, "") if entry.attendance else ""


def _description(entry: FeedEntry, url: str) -> str:
    parts = [entry.summary, markdown_to_plain(entry.description)]
    if entry.join_url:
        parts.append(f"参加用 URL / Join: {entry.join_url}")
    parts.append(url)
    return "\n\n".join(part for part in parts if part)


def vevent_of(entry: FeedEntry, *, site_url: str) -> VEvent:
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
    vevent.add("summary", plain_text(_title(entry) + entry.title))
    vevent.add("description", plain_text(_description(entry, url)))
    vevent.add("url", url)
    if entry.location:
        vevent.add("location", plain_text(entry.location))
    categories = [translate(f"kind.{entry.kind.value}", "ja"), *entry.tags]
    vevent.add("categories", [plain_text(c).replace(",", " ") for c in categories])
    organizer = vCalAddress(group_url(site_url, entry.group_slug))
    organizer.params["CN"] = plain_text(entry.group_name).replace('"', "'")
    vevent.add("organizer", organizer)
    vevent.add("status", _status(entry))
    vevent.add("transp", "OPAQUE" if _status(entry) == "CONFIRMED" else "TRANSPARENT")
    if entry.join_url:
        parameters = {"VALUE": "URI", "FEATURE": "AUDIO,VIDEO"}
        if entry.online_platform:
            parameters["LABEL"] = plain_text(entry.online_platform)
        vevent.add("conference", entry.join_url, parameters=parameters)
    return vevent


@dataclass(frozen=True)
class FeedHeader:
    name: str
    description: str
    site_url: str
    timezone: str = "Asia/Tokyo"


def calendar_head(header: FeedHeader) -> Calendar:
    """The VCALENDAR and its own properties, without components."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", plain_text(header.name))
    calendar.add("name", plain_text(header.name))
    calendar.add("x-wr-caldesc", plain_text(header.description))
    calendar.add("description", plain_text(header.description))
    calendar.add("x-wr-timezone", header.timezone)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    calendar.add("url", header.site_url)
    return calendar


def build_calendar(entries: list[FeedEntry], header: FeedHeader) -> bytes:
    """A complete VCALENDAR with one VEVENT per entry and the VTIMEZONEs they need,
    built with icalendar alone (``feed_documents`` gives the same bytes from cached
    fragments). The VTIMEZONEs come first, in TZID order: icalendar's own
    ``add_missing_timezones`` follows the order of a set, which differs between
    processes, so two workers would send different bytes under one ETag."""
    calendar = calendar_head(header)
    for entry in entries:
        calendar.add_component(vevent_of(entry, site_url=header.site_url))
    calendar.subcomponents[:0] = [
        zone for zone in map(vtimezone, sorted(calendar.get_missing_tzids())) if zone
    ]
    return bytes(calendar.to_ical())


@lru_cache(maxsize=64)
def vtimezone(tzid: str) -> Timezone | None:
    """The VTIMEZONE of ``tzid`` (None for one icalendar does not know, which its
    ``add_missing_timezones`` skips too). Cached: computing the transitions costs
    milliseconds, and every mail invitation needs one; callers only serialise it."""
    try:
        return Timezone.from_tzid(tzid)
    except ValueError:
        return None


@dataclass(frozen=True)
class FeedValidator:
    etag: str
    last_modified: datetime | None


def feed_validator(entries: list[FeedEntry], header: FeedHeader) -> FeedValidator:
    """ETag and Last-Modified of the document ``build_calendar`` would give, computed
    from its inputs alone (so a 304 costs no rendering). The document depends on
    nothing else, so equal inputs mean equal bytes."""
    digest = hashlib.sha256(repr((PRODID, header, entries)).encode("utf-8")).hexdigest()
    newest = max((entry.updated_at for entry in entries), default=None)
    return FeedValidator('"' + digest[:32] + '"', newest)


def etag_for(body: bytes) -> str:
    """A strong validator computed from the document, so equal documents share an ETag."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
