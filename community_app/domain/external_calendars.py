"""Partner calendars imported into a group: organisers add an iCal URL, the importer
(``community_app.calendar_import``) fetches it, and ``import_calendar`` turns its
VEVENTs into read-only Event rows keyed by (calendar, UID[, RECURRENCE-ID]).

Imported events are never published by Tsudoi: they carry no ``published_at``, so they
stay out of the public lists and feeds and the RSVP and editing verbs never see them
(``proposals.locked_event`` refuses them); the group page shows them with their source.
A feed that cannot be read leaves the events imported before and records an error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlmodel import Session, col, delete, select

from community_app.domain.audit import record_audit
from community_app.domain.calendar import plain_text
from community_app.domain.enums import EventFormat, EventKind, EventStatus
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.groups import get_group_row
from community_app.domain.models import Event, EventTag, ExternalCalendar
from community_app.domain.permissions import (
    Actor,
    can_manage_any_group,
    can_manage_external_calendars,
    require,
)
from community_app.domain.validation import as_id, as_text
from community_app.domain.webhooks import as_webhook_url

MAX_CALENDARS_PER_GROUP = 10
MAX_EVENTS_PER_CALENDAR = 500
IMPORT_PAST = timedelta(days=30)
IMPORT_FUTURE = timedelta(days=366)
MAX_ERROR = 500
FETCH_NOW_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class ExternalCalendarView:
    calendar_id: int
    name: str
    host: str  # the URL's host only: paths of private calendar URLs may hold secrets
    last_fetched_at: datetime | None
    last_error: str


@dataclass(frozen=True)
class ImportedEventView:
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    location: str
    cancelled: bool
    source: str


@dataclass(frozen=True)
class FetchTarget:
    calendar_id: int
    url: str
    etag: str
    last_modified: str


@dataclass(frozen=True)
class ImportReport:
    added: int = 0
    updated: int = 0
    removed: int = 0


def _view(row: ExternalCalendar) -> ExternalCalendarView:
    assert row.id is not None
    host = urlsplit(row.url).hostname or ""
    return ExternalCalendarView(row.id, row.name, host, row.last_fetched_at, row.last_error)


def as_calendar_url(value: object) -> str:
    """A public http(s) URL (``webcal://`` is read as ``https://``)."""
    if isinstance(value, str) and value.strip().lower().startswith("webcal://"):
        value = "https://" + value.strip()[len("webcal://") :]
    try:
        return as_webhook_url(value)
    except DomainError as error:
        raise DomainError(error.code.replace("webhook", "calendar")) from None


def add_external_calendar(
    session: Session, *, actor: Actor, group_id: int, name: object, url: object, now: datetime
) -> ExternalCalendarView:
    group_id = as_id(group_id)
    require(can_manage_external_calendars(actor, group_id))
    name = as_text(name, code="invalid_calendar_name", max_length=120, required=True)
    url = as_calendar_url(url)
    get_group_row(session, group_id)
    count = len(
        session.exec(
            select(ExternalCalendar.id).where(col(ExternalCalendar.group_id) == group_id)
        ).all()
    )
    if count >= MAX_CALENDARS_PER_GROUP:
        raise DomainError("too_many_calendars")
    row = ExternalCalendar(group_id=group_id, name=name, url=url, created_at=now)
    session.add(row)
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="add_external_calendar",
        target_type="external_calendar",
        target_id=row.id,
        now=now,
        detail=f"group={group_id} host={urlsplit(url).hostname}",
    )
    return _view(row)


def _calendar_for(session: Session, actor: Actor, calendar_id: object) -> ExternalCalendar:
    require(can_manage_any_group(actor))
    row = session.get(ExternalCalendar, as_id(calendar_id))
    if row is None:
        raise NotFound("calendar_not_found")
    require(can_manage_external_calendars(actor, row.group_id))
    return row


def remove_external_calendar(
    session: Session, *, actor: Actor, calendar_id: object, now: datetime
) -> None:
    """Delete the calendar and the events imported from it."""
    row = _calendar_for(session, actor, calendar_id)
    ids = select(Event.id).where(col(Event.external_calendar_id) == row.id)
    session.exec(delete(EventTag).where(col(EventTag.event_id).in_(ids)))
    session.exec(delete(Event).where(col(Event.external_calendar_id) == row.id))
    record_audit(
        session,
        actor=actor,
        action="remove_external_calendar",
        target_type="external_calendar",
        target_id=row.id,
        now=now,
        detail=f"group={row.group_id}",
    )
    session.delete(row)
    session.flush()


def list_external_calendars(
    session: Session, *, actor: Actor, group_id: int
) -> list[ExternalCalendarView]:
    group_id = as_id(group_id)
    require(can_manage_external_calendars(actor, group_id))
    return [_view(row) for row in _calendars_of(session, group_id)]


def _calendars_of(session: Session, group_id: int) -> list[ExternalCalendar]:
    query = select(ExternalCalendar).where(col(ExternalCalendar.group_id) == group_id)
    return list(session.exec(query.order_by(col(ExternalCalendar.id))).all())


def calendar_sources(session: Session, *, group_id: int) -> list[ExternalCalendarView]:
    """Public: the group's sources with their state, for the group page (hosts only)."""
    return [_view(row) for row in _calendars_of(session, as_id(group_id))]


def imported_events(session: Session, *, group_id: int, now: datetime) -> list[ImportedEventView]:
    """Public: upcoming imported events of the group, soonest first."""
    rows = session.exec(
        select(Event, ExternalCalendar)
        .join(ExternalCalendar, col(ExternalCalendar.id) == col(Event.external_calendar_id))
        .where(col(Event.group_id) == as_id(group_id), col(Event.ends_at) > now)
        .order_by(col(Event.starts_at), col(Event.id))
        .limit(50)
    ).all()
    return [
        ImportedEventView(
            event.title,
            event.starts_at,
            event.ends_at,
            event.timezone,
            event.venue_name,
            event.status == EventStatus.CANCELLED,
            source.name,
        )
        for event, source in rows
    ]


def fetch_target(
    session: Session, *, actor: Actor, calendar_id: object, now: datetime
) -> FetchTarget:
    """What to fetch for an organiser's "fetch now" (permission checked here), at most
    once per FETCH_NOW_INTERVAL per calendar: the claim is stored in the caller's
    transaction, so repeated clicks, tabs or workers cannot hammer the partner's server
    (nor this database with imports)."""
    row = _calendar_for(session, actor, calendar_id)
    assert row.id is not None
    fetched = row.last_fetched_at
    if fetched is not None and fetched > now - FETCH_NOW_INTERVAL:
        raise DomainError(
            "fetched_recently", "This calendar was fetched a moment ago; try again in a minute."
        )
    row.last_fetched_at = now
    session.add(row)
    session.flush()
    return FetchTarget(row.id, row.url, row.etag, row.last_modified)


def claim_due_targets(session: Session, *, now: datetime, every: timedelta) -> list[FetchTarget]:
    """Active calendars not fetched for ``every``, claimed for this worker (the
    scheduler; no actor). Every backend worker runs the import loop: the claim marks
    them fetched ``now`` in the caller's transaction, with ``FOR UPDATE SKIP LOCKED`` on
    PostgreSQL (SQLite serialises writers), so another worker neither fetches the
    partner's server again nor imports the same events twice at once."""
    rows = session.exec(
        select(ExternalCalendar)
        .where(
            col(ExternalCalendar.is_active),
            (col(ExternalCalendar.last_fetched_at).is_(None))
            | (col(ExternalCalendar.last_fetched_at) <= now - every),
        )
        .order_by(col(ExternalCalendar.id))
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.last_fetched_at = now
        session.add(row)
    session.flush()
    return [FetchTarget(row.id or 0, row.url, row.etag, row.last_modified) for row in rows]


def record_fetch_failure(session: Session, *, calendar_id: int, error: str, now: datetime) -> None:
    row = session.get(ExternalCalendar, calendar_id)
    if row is not None:
        row.last_fetched_at, row.last_error = now, plain_text(error)[:MAX_ERROR]
        session.add(row)
        session.flush()


def record_not_modified(session: Session, *, calendar_id: int, now: datetime) -> None:
    row = session.get(ExternalCalendar, calendar_id)
    if row is not None:
        row.last_fetched_at, row.last_error = now, ""
        session.add(row)
        session.flush()


# --- parsing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedEvent:
    key: str  # UID, and RECURRENCE-ID for a moved occurrence
    title: str
    description: str
    location: str
    starts_at: datetime
    ends_at: datetime
    cancelled: bool


def _moment(value: object, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(UTC)
    if isinstance(value, date):  # all-day: midnight in the group's zone
        return datetime.combine(value, time(0), tzinfo=zone).astimezone(UTC)
    raise ValueError("DTSTART is not a date or date-time")


def _text(component: Any, name: str, limit: int) -> str:
    value = component.get(name)
    return plain_text(str(value)).strip()[:limit] if value is not None else ""


def _value(component: Any, name: str) -> object | None:
    """The decoded value of a date, date-time or duration property, or None."""
    return getattr(component.get(name), "dt", None)


def _span(component: Any, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    start = _value(component, "dtstart")
    if start is None:
        return None
    starts_at = _moment(start, zone)
    end, duration = _value(component, "dtend"), _value(component, "duration")
    if end is not None:
        ends_at = _moment(end, zone)
    elif isinstance(duration, timedelta):
        ends_at = starts_at + duration
    else:  # RFC 5545 §3.6.1: a date lasts one day, a date-time no time at all
        ends_at = starts_at + (
            timedelta(hours=1) if isinstance(start, datetime) else timedelta(days=1)
        )
    return starts_at, max(ends_at, starts_at + timedelta(minutes=1))


def parse_calendar(body: bytes, *, timezone: str) -> list[ParsedEvent]:
    """The VEVENTs of an iCal document (raises ValueError when it is not one)."""
    zone = ZoneInfo(timezone)
    calendar = Calendar.from_ical(body)
    parsed = []
    for component in calendar.walk("VEVENT"):
        uid = str(component.get("uid", "")).strip()
        span = _span(component, zone)
        if not uid or span is None:
            continue
        recurrence = component.get("recurrence-id")
        key = uid if recurrence is None else f"{uid}#{recurrence.to_ical().decode()}"
        parsed.append(
            ParsedEvent(
                key=key,
                title=_text(component, "summary", 200) or "(無題 / Untitled)",
                description=_text(component, "description", 5000),
                location=_text(component, "location", 200),
                starts_at=span[0],
                ends_at=span[1],
                cancelled=str(component.get("status", "")).upper() == "CANCELLED",
            )
        )
    return parsed


def _stored_key(key: str) -> str:
    return key if len(key) <= 255 else hashlib.sha256(key.encode()).hexdigest()


def calendar_timezone(session: Session, *, calendar_id: int) -> str:
    """The time zone floating times of this calendar are read in (its group's)."""
    row = session.get(ExternalCalendar, calendar_id)
    if row is None:
        raise NotFound("calendar_not_found")
    return get_group_row(session, row.group_id).timezone


def events_in_window(body: bytes, *, timezone: str, now: datetime) -> list[ParsedEvent]:
    """The document's events within the import window around ``now``, at most
    MAX_EVENTS_PER_CALENDAR. Pure CPU work (seconds for a big partner calendar): callers
    run it before they open the write transaction. Raises ValueError (and the like) on a
    document that cannot be parsed."""
    return [
        item
        for item in parse_calendar(body, timezone=timezone)
        if now - IMPORT_PAST < item.ends_at and item.starts_at < now + IMPORT_FUTURE
    ][:MAX_EVENTS_PER_CALENDAR]


def import_calendar(
    session: Session,
    *,
    calendar_id: int,
    body: bytes,
    etag: str,
    last_modified: str,
    now: datetime,
) -> ImportReport:
    """Parse ``body`` and store it (``store_calendar``), in the caller's transaction: for
    small documents and tests; the fetcher parses before it takes the write lock."""
    timezone = calendar_timezone(session, calendar_id=calendar_id)
    return store_calendar(
        session,
        calendar_id=calendar_id,
        events=events_in_window(body, timezone=timezone, now=now),
        etag=etag,
        last_modified=last_modified,
        now=now,
    )


def store_calendar(
    session: Session,
    *,
    calendar_id: int,
    events: Sequence[ParsedEvent],
    etag: str,
    last_modified: str,
    now: datetime,
) -> ImportReport:
    """Replace the calendar's imported events with ``events`` (from ``events_in_window``)."""
    row = session.get(ExternalCalendar, calendar_id)
    if row is None:
        raise NotFound("calendar_not_found")
    group = get_group_row(session, row.group_id)
    window = list(events)[:MAX_EVENTS_PER_CALENDAR]
    wanted = {_stored_key(item.key): item for item in window}
    existing = {
        event.external_uid: event
        for event in session.exec(select(Event).where(col(Event.external_calendar_id) == row.id))
    }
    added = updated = removed = 0
    for key, event in existing.items():
        if key not in wanted:
            session.delete(event)
            removed += 1
    for key, item in wanted.items():
        found = existing.get(key)
        if found is not None:
            event = found
            updated += 1
        else:
            digest = hashlib.sha256(f"{row.id}:{key}".encode()).hexdigest()[:24]
            event = Event(
                uid=f"imported-{digest}@tsudoi",
                slug=f"imported-{digest}",
                group_id=row.group_id,
                external_calendar_id=row.id,
                external_uid=key,
                kind=EventKind.OTHER,
                created_at=now,
                starts_at=item.starts_at,
                ends_at=item.ends_at,
                title=item.title,
            )
            added += 1
        event.title, event.description = item.title, item.description
        event.starts_at, event.ends_at = item.starts_at, item.ends_at
        event.timezone, event.venue_name = group.timezone, item.location
        event.format = EventFormat.IN_PERSON if item.location else EventFormat.ONLINE
        event.status = EventStatus.CANCELLED if item.cancelled else EventStatus.APPROVED
        event.updated_at = now
        session.add(event)
    row.etag, row.last_modified = etag[:255], last_modified[:64]
    row.last_fetched_at, row.last_error = now, ""
    session.add(row)
    session.flush()
    return ImportReport(added, updated, removed)
