"""The month calendar: the grid's weeks, each event on the days of its own zone, one query."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import event as sa_event
from sqlmodel import Session

from community_app.domain.enums import EventKind, EventStatus
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.event_search import EventFilters
from community_app.domain.models import EventTag
from community_app.domain.month_calendar import (
    MONDAY,
    SUNDAY,
    CalendarItem,
    MonthGrid,
    load_month,
    month_grid,
    month_or_current,
    parse_month,
)
from tests.factories import make_event, make_group

pytestmark = pytest.mark.unit
TOKYO, BERLIN = ZoneInfo("Asia/Tokyo"), ZoneInfo("Europe/Berlin")
TODAY = date(2026, 12, 1)


def _item(start: datetime, hours: float = 2, *, slug: str = "", **overrides: Any) -> CalendarItem:
    zone = start.tzinfo
    values: dict[str, Any] = {
        "slug": slug or f"e-{start.isoformat()}",
        "title": slug or "勉強会",
        "starts_at": start.astimezone(UTC),
        "ends_at": (start + timedelta(hours=hours)).astimezone(UTC),
        "timezone": str(zone),
        "is_cancelled": False,
    }
    return CalendarItem(**(values | overrides))


def _day(grid: MonthGrid, day: date) -> list[str]:
    """The slugs on ``day`` of the grid, in their order."""
    cells = [cell for week in grid.weeks for cell in week if cell.day == day]
    assert len(cells) == 1, f"{day} is not on the grid"
    return [entry.item.slug for entry in cells[0].entries]


def _all_days(grid: MonthGrid) -> list[date]:
    return [cell.day for week in grid.weeks for cell in week]


# --- the grid ------------------------------------------------------------------------


def test_a_month_starting_on_sunday_begins_the_grid_on_its_first_day() -> None:
    grid = month_grid(date(2026, 11, 1), [], today=TODAY, week_start=SUNDAY)  # 1 Nov: Sunday

    days = _all_days(grid)
    assert days[0] == date(2026, 11, 1)
    assert days[-1] == date(2026, 12, 5)  # the Saturday of the week of 29 and 30 November
    assert len(grid.weeks) == 5 and all(len(week) == 7 for week in grid.weeks)
    assert [cell.in_month for cell in grid.weeks[-1]] == [True, True] + [False] * 5


def test_a_month_starting_on_monday_fills_the_first_week_from_the_month_before() -> None:
    sunday_first = month_grid(date(2027, 2, 1), [], today=TODAY, week_start=SUNDAY)  # Monday
    monday_first = month_grid(date(2027, 2, 1), [], today=TODAY, week_start=MONDAY)

    assert _all_days(sunday_first)[0] == date(2027, 1, 31)
    assert not sunday_first.weeks[0][0].in_month
    assert _all_days(monday_first)[0] == date(2027, 2, 1)
    assert len(monday_first.weeks) == 4  # February 2027 is exactly four Monday weeks
    assert all(day.weekday() == MONDAY for day in _all_days(monday_first)[::7])
    assert all(day.weekday() == SUNDAY for day in _all_days(sunday_first)[::7])


def test_february_of_a_leap_year_has_its_29th() -> None:
    leap = month_grid(date(2028, 2, 1), [], today=TODAY)
    common = month_grid(date(2027, 2, 1), [], today=TODAY)

    assert [d.day for d in _all_days(leap) if d.month == 2][-1] == 29
    assert [d.day for d in _all_days(common) if d.month == 2][-1] == 28
    assert leap.next_month == date(2028, 3, 1) and leap.previous_month == date(2028, 1, 1)


def test_today_is_marked_once_and_months_wrap_around_the_year() -> None:
    grid = month_grid(date(2026, 12, 1), [], today=date(2026, 12, 24))

    assert [cell.day for week in grid.weeks for cell in week if cell.is_today] == [
        date(2026, 12, 24)
    ]
    assert grid.next_month == date(2027, 1, 1)
    assert month_grid(date(2027, 1, 1), [], today=TODAY).previous_month == date(2026, 12, 1)


# --- which day an event is on ---------------------------------------------------------


def test_an_event_past_midnight_is_on_both_days_and_starts_on_the_first() -> None:
    late = _item(datetime(2026, 12, 5, 22, 0, tzinfo=TOKYO), hours=3, slug="late")

    grid = month_grid(date(2026, 12, 1), [late], today=TODAY)

    assert _day(grid, date(2026, 12, 5)) == ["late"]
    assert _day(grid, date(2026, 12, 6)) == ["late"]
    cells = {cell.day: cell for week in grid.weeks for cell in week}
    assert cells[date(2026, 12, 5)].entries[0].starts_today
    assert not cells[date(2026, 12, 6)].entries[0].starts_today
    assert _day(grid, date(2026, 12, 7)) == []


def test_an_event_ending_at_midnight_stays_on_its_day() -> None:
    evening = _item(datetime(2026, 12, 5, 21, 0, tzinfo=TOKYO), hours=3, slug="evening")

    grid = month_grid(date(2026, 12, 1), [evening], today=TODAY)

    assert _day(grid, date(2026, 12, 5)) == ["evening"]
    assert _day(grid, date(2026, 12, 6)) == []


def test_an_event_is_on_the_day_of_its_own_time_zone_not_of_utc() -> None:
    # 08:00 in Tokyo on the 1st is 23:00 UTC on 30 November; 23:30 in Berlin on the 31st
    # is 22:30 UTC, still December, but 07:30 on 1 January in Tokyo.
    tokyo_morning = _item(datetime(2026, 12, 1, 8, 0, tzinfo=TOKYO), slug="tokyo")
    berlin_night = _item(datetime(2026, 12, 31, 23, 30, tzinfo=BERLIN), hours=0.25, slug="berlin")

    grid = month_grid(date(2026, 12, 1), [tokyo_morning, berlin_night], today=TODAY)

    assert _day(grid, date(2026, 12, 1)) == ["tokyo"]
    assert _day(grid, date(2026, 11, 30)) == []
    assert _day(grid, date(2026, 12, 31)) == ["berlin"]
    assert _day(grid, date(2027, 1, 1)) == []


def test_a_day_lists_carried_over_events_first_then_by_start_time() -> None:
    night = _item(datetime(2026, 12, 4, 23, 0, tzinfo=TOKYO), hours=3, slug="night")
    evening = _item(datetime(2026, 12, 5, 19, 0, tzinfo=TOKYO), slug="evening")
    morning = _item(datetime(2026, 12, 5, 9, 0, tzinfo=TOKYO), slug="morning")

    grid = month_grid(date(2026, 12, 1), [evening, night, morning], today=TODAY)

    assert _day(grid, date(2026, 12, 5)) == ["night", "morning", "evening"]
    assert [d.day for d in grid.days_with_events] == [date(2026, 12, 4), date(2026, 12, 5)]


# --- the month parameter --------------------------------------------------------------


@pytest.mark.parametrize("value", ["2026-13", "2026-00", "1999-12", "26-12", "2026/12", "十二月"])
def test_a_bad_month_is_refused_and_the_current_month_shown(value: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_month(value)
    assert refused.value.code == "invalid_month"

    month, error = month_or_current(value, today=date(2026, 12, 17))

    assert month == date(2026, 12, 1)
    assert error is not None and error.code == "invalid_month"


def test_a_good_or_missing_month_has_no_error() -> None:
    assert month_or_current("2027-02", today=TODAY) == (date(2027, 2, 1), None)
    assert month_or_current("", today=date(2026, 12, 17)) == (date(2026, 12, 1), None)
    assert month_or_current(None, today=date(2026, 12, 17)) == (date(2026, 12, 1), None)
    with pytest.raises(DomainError):
        parse_month(["2026-12"])


# --- from the database ----------------------------------------------------------------


def _at(local: datetime, hours: float = 2) -> dict[str, Any]:
    return {
        "starts_at": local.astimezone(UTC),
        "ends_at": (local + timedelta(hours=hours)).astimezone(UTC),
        "timezone": str(local.tzinfo),
    }


def test_the_month_holds_published_matching_events_of_its_grid(session: Session) -> None:
    group = make_group(session, slug="kosodate")
    other = make_group(session, slug="other")
    shown = make_event(
        session, group_id=group.id, title="夜カフェ", **_at(datetime(2026, 12, 5, 21, tzinfo=TOKYO))
    )
    make_event(session, group_id=other.id, **_at(datetime(2026, 12, 5, 21, tzinfo=TOKYO)))
    make_event(
        session,
        group_id=group.id,
        status=EventStatus.DRAFT,
        published_at=None,
        **_at(datetime(2026, 12, 6, 21, tzinfo=TOKYO)),
    )
    make_event(session, group_id=group.id, **_at(datetime(2027, 2, 6, 21, tzinfo=TOKYO)))
    cancelled = make_event(
        session,
        group_id=group.id,
        status=EventStatus.CANCELLED,
        **_at(datetime(2026, 11, 30, 10, tzinfo=TOKYO)),  # in the grid's first week
    )

    grid = load_month(
        session, filters=EventFilters(group="kosodate"), month=date(2026, 12, 1), today=TODAY
    )

    assert _day(grid, date(2026, 12, 5)) == [shown.slug]
    assert _day(grid, date(2026, 12, 6)) == []
    assert _day(grid, date(2026, 11, 30)) == [cancelled.slug]
    cells = {cell.day: cell for week in grid.weeks for cell in week}
    assert cells[date(2026, 11, 30)].entries[0].item.is_cancelled
    assert [d.day for d in grid.days_with_events] == [date(2026, 12, 5)]


def test_the_month_applies_kind_tag_and_text_but_not_the_date_range(session: Session) -> None:
    match = make_event(
        session,
        title="Python 勉強会",
        kind=EventKind.STUDY_SESSION,
        **_at(datetime(2026, 12, 12, 14, tzinfo=TOKYO)),
    )
    session.add(EventTag(event_id=match.id, tag="python"))
    make_event(
        session,
        title="Python 交流会",
        kind=EventKind.GATHERING,
        **_at(datetime(2026, 12, 12, 18, tzinfo=TOKYO)),
    )
    session.flush()
    filters = EventFilters(
        kind=EventKind.STUDY_SESSION,
        tag="python",
        text="Python",
        date_from=date(2030, 1, 1),  # the list's range: the month replaces it
    )

    grid = load_month(session, filters=filters, month=date(2026, 12, 1), today=TODAY)

    assert [entry.item.slug for d in grid.days_with_events for entry in d.entries] == [match.slug]


def test_an_unknown_group_is_not_found(session: Session) -> None:
    with pytest.raises(NotFound):
        load_month(
            session, filters=EventFilters(group="nobody"), month=date(2026, 12, 1), today=TODAY
        )


@contextmanager
def _counted_queries(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = session.get_bind()

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)


@pytest.mark.parametrize("events", [1, 40])
def test_a_month_costs_one_query_however_many_events(session: Session, events: int) -> None:
    group = make_group(session)
    for number in range(events):
        start = datetime(2026, 12, 1 + number % 28, 10 + number % 10, tzinfo=TOKYO)
        event = make_event(session, group_id=group.id, **_at(start))
        session.add(EventTag(event_id=event.id, tag="共通"))
    session.flush()

    with _counted_queries(session) as statements:
        grid = load_month(session, filters=EventFilters(), month=date(2026, 12, 1), today=TODAY)

    assert sum(len(d.entries) for d in grid.days_with_events) == events
    assert len(statements) == 1, statements
