"""Blocking reads and addresses of the month calendar of /events (``?view=month``).

The month and the filters live in the query string, as for the list, so a month can be
shared and the back button works. The display models carry both languages.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from community_app.db import read_session
from community_app.domain.errors import DomainError
from community_app.domain.event_search import EventFilters, parse_filters, to_query
from community_app.domain.month_calendar import (
    WEEK_START,
    CalendarDay,
    DayEntry,
    MonthGrid,
    load_month,
    month_or_current,
)
from community_app.i18n import format_day, format_month, translate, weekday_name
from community_app.ui.event_list_actions import ROUTE

MONTH_VIEW = "month"
VISIBLE_PER_DAY = 3  # more than this on one day fold behind "+n more"
LIST_ONLY_KEYS = ("when", "from", "to", "page")


@dataclasses.dataclass(frozen=True)
class MonthEntryView:
    href: str
    title: str
    time_ja: str
    time_en: str
    is_cancelled: bool


@dataclasses.dataclass(frozen=True)
class MonthDayView:
    key: str  # 2026-12-05
    number: str
    label_ja: str  # 12月5日(土)
    label_en: str
    in_month: bool
    is_today: bool
    shown: list[MonthEntryView]
    more: list[MonthEntryView]
    more_ja: str = ""
    more_en: str = ""


@dataclasses.dataclass(frozen=True)
class MonthView:
    title_ja: str
    title_en: str
    weeks: list[list[MonthDayView]]
    agenda: list[MonthDayView]  # the month's days with events, every event shown
    previous_href: str
    next_href: str
    current_href: str


@dataclasses.dataclass(frozen=True)
class MonthResult:
    view: MonthView | None  # None when the filters were refused
    filters: EventFilters | None
    error: DomainError | None  # a refused month still comes with this month's view


def month_href(filters: EventFilters | None, month: date | None = None) -> str:
    """The month calendar of ``filters``; without ``month``, the current month's."""
    query = {"view": MONTH_VIEW}
    if filters is not None:
        kept = to_query(dataclasses.replace(filters, date_from=None, date_to=None))
        query |= {key: value for key, value in kept.items() if key not in LIST_ONLY_KEYS}
    if month is not None:
        query["month"] = f"{month.year:04d}-{month.month:02d}"
    return f"{ROUTE}?{urlencode(query)}"


def weekday_headers(locale: str) -> list[str]:
    return [weekday_name((WEEK_START + n) % 7, locale) for n in range(7)]


def _time(entry: DayEntry, locale: str) -> str:
    item, zone = entry.item, ZoneInfo(entry.item.timezone)
    if entry.starts_today:
        return f"{item.starts_at.astimezone(zone):%H:%M}"
    until = translate("month.until", locale)
    return until.format(time=f"{item.ends_at.astimezone(zone):%H:%M}")


def _entry(entry: DayEntry) -> MonthEntryView:
    return MonthEntryView(
        href=f"/events/{entry.item.slug}",
        title=entry.item.title,
        time_ja=_time(entry, "ja"),
        time_en=_time(entry, "en"),
        is_cancelled=entry.item.is_cancelled,
    )


def _day(day: CalendarDay, *, fold: bool) -> MonthDayView:
    entries = [_entry(entry) for entry in day.entries]
    cut = VISIBLE_PER_DAY if fold and len(entries) > VISIBLE_PER_DAY else len(entries)
    hidden = len(entries) - cut
    return MonthDayView(
        key=day.day.isoformat(),
        number=str(day.day.day),
        label_ja=format_day(day.day, "ja"),
        label_en=format_day(day.day, "en"),
        in_month=day.in_month,
        is_today=day.is_today,
        shown=entries[:cut],
        more=entries[cut:],
        more_ja=translate("month.more", "ja").format(count=hidden) if hidden else "",
        more_en=translate("month.more", "en").format(count=hidden) if hidden else "",
    )


def month_view(grid: MonthGrid, filters: EventFilters) -> MonthView:
    return MonthView(
        title_ja=format_month(grid.month, "ja"),
        title_en=format_month(grid.month, "en"),
        weeks=[[_day(day, fold=True) for day in week] for week in grid.weeks],
        agenda=[_day(day, fold=False) for day in grid.days_with_events],
        previous_href=month_href(filters, grid.previous_month),
        next_href=month_href(filters, grid.next_month),
        current_href=month_href(filters),
    )


def _today(filters: EventFilters | None) -> date:
    zone = ZoneInfo(filters.timezone) if filters is not None else UTC
    return datetime.now(UTC).astimezone(zone).date()


def load_month_view(query: dict[str, str]) -> MonthResult:
    """The month the query string asks for (this month when it is refused, with why)."""
    try:
        filters = parse_filters({k: v for k, v in query.items() if k not in LIST_ONLY_KEYS})
    except DomainError as error:
        return MonthResult(None, None, error)
    today = _today(filters)
    month, month_error = month_or_current(query.get("month"), today=today)
    with read_session() as session:
        try:
            grid = load_month(session, filters=filters, month=month, today=today)
        except DomainError as error:
            return MonthResult(None, filters, error)
    return MonthResult(month_view(grid, filters), filters, month_error)
