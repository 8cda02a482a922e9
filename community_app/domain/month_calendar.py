"""The month calendar of /events: which published events fall on which day of a month.

A day is a day of the *event's* time zone, the one its page shows: a Saturday 21:00
gathering in Tokyo sits on that Saturday for everyone, even for a viewer in Berlin for
whom it is Saturday 13:00 (the event page adds the viewer's own time). An event that
runs past midnight appears on every day it touches; an end at exactly 00:00 does not
touch the next day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_
from sqlmodel import Session, col, select

from community_app.domain.enums import EventStatus
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.event_search import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    EventFilters,
    group_exists,
    matching_conditions,
)
from community_app.domain.models import Event

MONDAY, SUNDAY = 0, 6  # ``date.weekday()`` numbers
WEEK_START = SUNDAY  # 日曜始まり, as Japanese wall and desk calendars
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")
# Every zone is within a day of UTC, so this margin finds every event of the grid's days.
_ZONE_MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class CalendarItem:
    """One event as the calendar shows it (no seats or tags: the grid stays one query)."""

    slug: str
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    is_cancelled: bool


@dataclass(frozen=True)
class DayEntry:
    item: CalendarItem
    starts_today: bool  # False on the later days of an event that runs past midnight


@dataclass(frozen=True)
class CalendarDay:
    day: date
    in_month: bool  # False for the days of the months before and after that fill the weeks
    is_today: bool
    entries: tuple[DayEntry, ...]


@dataclass(frozen=True)
class MonthGrid:
    month: date  # the first day of the month shown
    weeks: tuple[tuple[CalendarDay, ...], ...]  # each week has seven days

    @property
    def previous_month(self) -> date:
        return (self.month - timedelta(days=1)).replace(day=1)

    @property
    def next_month(self) -> date:
        return (self.month + timedelta(days=31)).replace(day=1)

    @property
    def days_with_events(self) -> tuple[CalendarDay, ...]:
        """The month's own days that have an event, in order: the phone's agenda."""
        return tuple(d for week in self.weeks for d in week if d.in_month and d.entries)


def parse_month(value: object) -> date:
    """The first day of a ``2026-12`` month; anything else raises ``invalid_month``."""
    if not isinstance(value, str) or not _MONTH.fullmatch(value.strip()):
        raise DomainError("invalid_month")
    year, month = (int(part) for part in value.strip().split("-"))
    if not EARLIEST_YEAR <= year <= LATEST_YEAR or not 1 <= month <= 12:
        raise DomainError("invalid_month")
    return date(year, month, 1)


def month_or_current(value: object, *, today: date) -> tuple[date, DomainError | None]:
    """The month asked for; when absent the current one, and when refused the current one
    with the reason, so the page can explain it and still show a calendar."""
    if value in (None, ""):
        return today.replace(day=1), None
    try:
        return parse_month(value), None
    except DomainError as error:
        return today.replace(day=1), error


def grid_days(month: date, *, week_start: int = WEEK_START) -> list[date]:
    """Whole weeks from the one holding the 1st to the one holding the last day."""
    first = month.replace(day=1)
    last = (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)
    start = first - timedelta(days=(first.weekday() - week_start) % 7)
    end = last + timedelta(days=(week_start - 1 - last.weekday()) % 7)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def local_days(item: CalendarItem) -> list[date]:
    """The days of the event's own zone that it touches, first to last."""
    zone = ZoneInfo(item.timezone)
    first = item.starts_at.astimezone(zone).date()
    last_moment = max(item.ends_at, item.starts_at + timedelta(microseconds=1))
    last = (last_moment - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def month_grid(
    month: date,
    items: Iterable[CalendarItem],
    *,
    today: date,
    week_start: int = WEEK_START,
) -> MonthGrid:
    """Weeks × days of ``month`` with each item placed on its days, soonest first."""
    days = grid_days(month, week_start=week_start)
    entries: dict[date, list[DayEntry]] = {day: [] for day in days}
    ordered = sorted(items, key=lambda item: (item.starts_at, item.slug))
    for item in ordered:
        for index, day in enumerate(local_days(item)):
            if day in entries:
                entries[day].append(DayEntry(item, starts_today=index == 0))
    for day_entries in entries.values():  # events carried over from yesterday come first
        day_entries.sort(key=lambda entry: entry.starts_today)
    cells = [
        CalendarDay(day, day.month == month.month, day == today, tuple(entries[day]))
        for day in days
    ]
    weeks = tuple(tuple(cells[n : n + 7]) for n in range(0, len(cells), 7))
    return MonthGrid(month=month.replace(day=1), weeks=weeks)


def _utc_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def load_month(
    session: Session,
    *,
    filters: EventFilters,
    month: date,
    today: date,
    week_start: int = WEEK_START,
) -> MonthGrid:
    """The published events matching ``filters`` on the grid of ``month``, in one query.

    The upcoming/past tab and the date range of the list do not apply: the month is the
    range. An unknown group raises ``group_not_found`` (checked only when nothing matched).
    """
    filters = replace(filters, date_from=None, date_to=None)
    days = grid_days(month, week_start=week_start)
    window_start = _utc_midnight(days[0]) - _ZONE_MARGIN
    window_end = _utc_midnight(days[-1]) + timedelta(days=1) + _ZONE_MARGIN
    rows = session.exec(
        select(Event)
        .where(
            and_(
                *matching_conditions(filters),
                col(Event.starts_at) < window_end,
                col(Event.ends_at) > window_start,
            )
        )
        .order_by(col(Event.starts_at), col(Event.id))
    ).all()
    if not rows and filters.group and not group_exists(session, filters.group):
        raise NotFound("group_not_found")
    items = [
        CalendarItem(
            slug=event.slug,
            title=event.title,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            timezone=event.timezone,
            is_cancelled=event.status == EventStatus.CANCELLED,
        )
        for event in rows
    ]
    return month_grid(month, items, today=today, week_start=week_start)
