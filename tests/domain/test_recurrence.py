"""Recurrence rules: weekly and monthly series, their ends, DST, the cap and bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr

from community_app.domain.errors import DomainError
from community_app.domain.recurrence import (
    MAX_OCCURRENCES,
    Frequency,
    RecurrenceRule,
    occurrence_starts,
    parse_rule,
    to_rrule,
)

pytestmark = pytest.mark.unit
TOKYO = ZoneInfo("Asia/Tokyo")
NEW_YORK = ZoneInfo("America/New_York")
SATURDAY = 5
FRIDAY = 4


def _tokyo(year: int, month: int, day: int, hour: int = 21) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=TOKYO)


def _local_days(starts: list[datetime], zone: ZoneInfo = TOKYO) -> list[date]:
    return [start.astimezone(zone).date() for start in starts]


def _weekly(weekday: int = SATURDAY, **end: Any) -> RecurrenceRule:
    return RecurrenceRule(Frequency.WEEKLY, weekday, **end)


def _monthly(nth: int, weekday: int, **end: Any) -> RecurrenceRule:
    return RecurrenceRule(Frequency.MONTHLY_NTH_WEEKDAY, weekday, nth=nth, **end)


# --- weekly ---------------------------------------------------------------------------


def test_weekly_crosses_month_and_year_ends_at_the_same_local_time() -> None:
    starts = occurrence_starts(_weekly(count=6), _tokyo(2026, 12, 5), "Asia/Tokyo")

    assert _local_days(starts) == [
        date(2026, 12, 5),
        date(2026, 12, 12),
        date(2026, 12, 19),
        date(2026, 12, 26),
        date(2027, 1, 2),
        date(2027, 1, 9),
    ]
    assert {start.astimezone(TOKYO).hour for start in starts} == {21}
    assert all(start.tzinfo is UTC for start in starts)


def test_the_first_occurrence_is_the_first_start_itself_when_it_matches() -> None:
    first = _tokyo(2026, 11, 28)
    assert occurrence_starts(_weekly(count=1), first, "Asia/Tokyo") == [first]


def test_a_first_start_on_another_day_moves_to_the_next_matching_day() -> None:
    wednesday = _tokyo(2026, 11, 25, hour=19)
    starts = occurrence_starts(_weekly(count=2), wednesday, "Asia/Tokyo")
    assert starts == [_tokyo(2026, 11, 28, hour=19), _tokyo(2026, 12, 5, hour=19)]


def test_every_two_weeks() -> None:
    rule = RecurrenceRule(Frequency.WEEKLY, SATURDAY, interval=2, count=4)
    starts = occurrence_starts(rule, _tokyo(2026, 12, 19), "Asia/Tokyo")
    assert _local_days(starts) == [
        date(2026, 12, 19),
        date(2027, 1, 2),
        date(2027, 1, 16),
        date(2027, 1, 30),
    ]


def test_weekly_over_a_leap_day() -> None:
    tuesday = 1
    starts = occurrence_starts(
        _weekly(tuesday, count=3), _tokyo(2028, 2, 22, hour=10), "Asia/Tokyo"
    )
    assert _local_days(starts) == [date(2028, 2, 22), date(2028, 2, 29), date(2028, 3, 7)]


def test_a_series_may_start_on_a_leap_day() -> None:
    leap_tuesday = _tokyo(2028, 2, 29, hour=10)
    starts = occurrence_starts(_weekly(1, count=2), leap_tuesday, "Asia/Tokyo")
    assert starts == [leap_tuesday, _tokyo(2028, 3, 7, hour=10)]


# --- monthly --------------------------------------------------------------------------


def test_the_second_saturday_of_every_month_for_a_year() -> None:
    starts = occurrence_starts(_monthly(2, SATURDAY, count=12), _tokyo(2027, 1, 1), "Asia/Tokyo")
    days = _local_days(starts)
    assert days[:3] == [date(2027, 1, 9), date(2027, 2, 13), date(2027, 3, 13)]
    assert days[-1] == date(2027, 12, 11)
    assert all(d.weekday() == SATURDAY and 8 <= d.day <= 14 for d in days)
    assert [d.month for d in days] == list(range(1, 13))


def test_the_last_friday_handles_months_with_four_and_five_fridays() -> None:
    starts = occurrence_starts(
        _monthly(-1, FRIDAY, until=date(2027, 12, 31)), _tokyo(2027, 1, 1, 19), "Asia/Tokyo"
    )
    days = _local_days(starts)
    assert len(days) == 12
    assert date(2027, 1, 29) in days  # January 2027 has five Fridays
    assert date(2027, 2, 26) in days  # February 2027 has four
    assert all(d.weekday() == FRIDAY and (d + timedelta(days=7)).month != d.month for d in days)


def test_the_last_tuesday_of_a_leap_february_is_the_29th() -> None:
    starts = occurrence_starts(_monthly(-1, 1, count=1), _tokyo(2028, 2, 1), "Asia/Tokyo")
    assert _local_days(starts) == [date(2028, 2, 29)]


def test_a_monthly_start_after_this_months_day_begins_next_month() -> None:
    starts = occurrence_starts(_monthly(1, SATURDAY, count=1), _tokyo(2026, 11, 10), "Asia/Tokyo")
    assert _local_days(starts) == [date(2026, 12, 5)]


# --- ends -------------------------------------------------------------------------------


def test_until_is_inclusive_of_its_local_day() -> None:
    rule = _weekly(until=date(2026, 12, 19))
    starts = occurrence_starts(rule, _tokyo(2026, 12, 5, hour=23), "Asia/Tokyo")
    assert _local_days(starts) == [date(2026, 12, 5), date(2026, 12, 12), date(2026, 12, 19)]


def test_until_and_count_can_describe_the_same_series() -> None:
    first = _tokyo(2026, 11, 28)
    by_count = occurrence_starts(_weekly(count=5), first, "Asia/Tokyo")
    by_until = occurrence_starts(_weekly(until=date(2026, 12, 26)), first, "Asia/Tokyo")
    assert by_count == by_until and len(by_count) == 5


def test_an_until_before_the_first_occurrence_is_refused() -> None:
    with pytest.raises(DomainError) as raised:
        occurrence_starts(_weekly(until=date(2026, 11, 1)), _tokyo(2026, 11, 28), "Asia/Tokyo")
    assert raised.value.code == "recurrence_empty"


# --- daylight saving time ---------------------------------------------------------------


def test_new_york_keeps_21_00_local_across_both_dst_changes() -> None:
    first = datetime(2027, 3, 6, 21, 0, tzinfo=NEW_YORK)  # DST runs 14 March to 7 November
    starts = occurrence_starts(_weekly(until=date(2027, 11, 13)), first, "America/New_York")

    assert {start.astimezone(NEW_YORK).hour for start in starts} == {21}
    utc_hours = {start.hour for start in starts}
    assert utc_hours == {1, 2}  # 21:00 EDT is 01:00 UTC, 21:00 EST is 02:00 UTC
    assert starts[0] == datetime(2027, 3, 7, 2, 0, tzinfo=UTC)
    assert starts[1] == datetime(2027, 3, 14, 2, 0, tzinfo=UTC)  # Sat 13 March, still EST
    assert starts[2] == datetime(2027, 3, 21, 1, 0, tzinfo=UTC)
    assert starts[-1] == datetime(2027, 11, 14, 2, 0, tzinfo=UTC)


def test_a_time_missing_on_the_spring_forward_day_moves_forward_by_the_gap() -> None:
    sunday = 6
    first = datetime(2027, 3, 14, 2, 30, tzinfo=NEW_YORK)  # 02:00 jumps to 03:00 that night
    starts = occurrence_starts(_weekly(sunday, count=3), first, "America/New_York")
    local = [start.astimezone(NEW_YORK) for start in starts]
    assert [(t.day, t.hour, t.minute) for t in local] == [(14, 3, 30), (21, 2, 30), (28, 2, 30)]


def test_the_first_start_is_read_in_the_series_timezone() -> None:
    utc_noon = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # Saturday 21:00 in Tokyo
    starts = occurrence_starts(_weekly(count=2), utc_noon, "Asia/Tokyo")
    assert starts == [utc_noon, utc_noon + timedelta(weeks=1)]


# --- the cap ----------------------------------------------------------------------------


def test_exactly_the_cap_is_allowed() -> None:
    starts = occurrence_starts(_weekly(count=MAX_OCCURRENCES), _tokyo(2026, 1, 3), "Asia/Tokyo")
    assert len(starts) == MAX_OCCURRENCES


@pytest.mark.parametrize("count", [MAX_OCCURRENCES + 1, 10_000])
def test_a_count_over_the_cap_is_refused(count: int) -> None:
    with pytest.raises(DomainError) as raised:
        _weekly(count=count)
    assert raised.value.code == "recurrence_too_long"


def test_an_until_date_that_gives_one_too_many_is_refused() -> None:
    first = _tokyo(2026, 1, 3)
    last_allowed = (first + timedelta(weeks=MAX_OCCURRENCES - 1)).date()
    assert len(occurrence_starts(_weekly(until=last_allowed), first, "Asia/Tokyo")) == 104
    with pytest.raises(DomainError) as raised:
        occurrence_starts(_weekly(until=last_allowed + timedelta(weeks=1)), first, "Asia/Tokyo")
    assert raised.value.code == "recurrence_too_long"


def test_an_endless_until_is_refused_without_generating_every_occurrence() -> None:
    with pytest.raises(DomainError) as raised:
        occurrence_starts(_weekly(until=date(9999, 12, 31)), _tokyo(2026, 1, 3), "Asia/Tokyo")
    assert raised.value.code == "recurrence_too_long"


# --- RRULE text -------------------------------------------------------------------------


def test_rrule_text_for_each_kind_of_rule() -> None:
    every_other = RecurrenceRule(Frequency.WEEKLY, SATURDAY, interval=2, count=10)
    assert to_rrule(every_other) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=10"
    assert to_rrule(_weekly(count=3)) == "FREQ=WEEKLY;BYDAY=SA;COUNT=3"
    assert to_rrule(_monthly(2, SATURDAY, count=12)) == "FREQ=MONTHLY;BYDAY=2SA;COUNT=12"
    last_friday = _monthly(-1, FRIDAY, until=date(2027, 12, 31))
    # the end of 31 December in Tokyo, in UTC
    assert to_rrule(last_friday) == "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20271231T145959Z"
    assert to_rrule(last_friday, "America/New_York").endswith("UNTIL=20280101T045959Z")


@pytest.mark.parametrize(
    ("rule", "first", "zone"),
    [
        (_weekly(count=20), _tokyo(2026, 11, 29), "Asia/Tokyo"),
        (RecurrenceRule(Frequency.WEEKLY, 2, interval=3, count=30), _tokyo(2026, 12, 31), "UTC"),
        (_weekly(6, until=date(2027, 11, 30)), _tokyo(2027, 2, 28, 9), "America/New_York"),
        (_monthly(4, 0, count=24), _tokyo(2027, 1, 31), "Europe/London"),
        (_monthly(-1, FRIDAY, until=date(2029, 3, 1)), _tokyo(2027, 5, 31), "Asia/Tokyo"),
        (_monthly(3, SATURDAY, count=18), _tokyo(2027, 6, 19, 14), "America/New_York"),
    ],
)
def test_calendar_apps_reading_the_rrule_find_the_same_occurrences(
    rule: RecurrenceRule, first: datetime, zone: str
) -> None:
    local_first = first.astimezone(ZoneInfo(zone))
    expected = [
        moment.astimezone(UTC) for moment in rrulestr(to_rrule(rule, zone), dtstart=local_first)
    ]
    assert occurrence_starts(rule, first, zone) == expected


# --- untrusted values -------------------------------------------------------------------


def test_parse_rule_reads_form_values() -> None:
    assert parse_rule(
        frequency="weekly", weekday="sa", interval="2", nth="", until="", count="10"
    ) == RecurrenceRule(Frequency.WEEKLY, SATURDAY, interval=2, count=10)
    assert parse_rule(
        frequency="monthly_nth_weekday", weekday="FR", nth="-1", until="2027-12-31"
    ) == _monthly(-1, FRIDAY, until=date(2027, 12, 31))
    assert parse_rule(frequency="weekly", weekday="SA", until=date(2027, 1, 2)) == _weekly(
        until=date(2027, 1, 2)
    )


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"frequency": "daily", "weekday": "SA", "count": 3}, "invalid_recurrence"),
        ({"frequency": "weekly", "weekday": "SAT", "count": 3}, "invalid_recurrence"),
        ({"frequency": "weekly", "weekday": 5, "count": 3}, "invalid_recurrence"),
        ({"frequency": "weekly", "weekday": "SA", "interval": 0, "count": 3}, "invalid_recurrence"),
        (
            {"frequency": "weekly", "weekday": "SA", "interval": 53, "count": 3},
            "invalid_recurrence",
        ),
        (
            {"frequency": "weekly", "weekday": "SA", "interval": True, "count": 3},
            "invalid_recurrence",
        ),
        (
            {"frequency": "weekly", "weekday": "SA", "interval": "1.5", "count": 3},
            "invalid_recurrence",
        ),
        ({"frequency": "weekly", "weekday": "SA", "nth": 2, "count": 3}, "invalid_recurrence"),
        (
            {"frequency": "monthly_nth_weekday", "weekday": "SA", "nth": 5, "count": 3},
            "invalid_recurrence",
        ),
        (
            {"frequency": "monthly_nth_weekday", "weekday": "SA", "nth": 0, "count": 3},
            "invalid_recurrence",
        ),
        ({"frequency": "monthly_nth_weekday", "weekday": "SA", "count": 3}, "invalid_recurrence"),
        (
            {
                "frequency": "monthly_nth_weekday",
                "weekday": "SA",
                "nth": 1,
                "interval": 2,
                "count": 3,
            },
            "invalid_recurrence",
        ),
        ({"frequency": "weekly", "weekday": "SA"}, "invalid_recurrence_end"),
        (
            {"frequency": "weekly", "weekday": "SA", "count": 3, "until": "2027-01-01"},
            "invalid_recurrence_end",
        ),
        ({"frequency": "weekly", "weekday": "SA", "count": 0}, "invalid_recurrence_end"),
        ({"frequency": "weekly", "weekday": "SA", "count": "many"}, "invalid_recurrence_end"),
        ({"frequency": "weekly", "weekday": "SA", "until": "2027/01/01"}, "invalid_recurrence_end"),
        ({"frequency": "weekly", "weekday": "SA", "until": "2027-02-30"}, "invalid_recurrence_end"),
        (
            {"frequency": "weekly", "weekday": "SA", "until": datetime(2027, 1, 1, tzinfo=UTC)},
            "invalid_recurrence_end",
        ),
        ({"frequency": "weekly", "weekday": "SA", "count": "10000"}, "recurrence_too_long"),
        (
            {"frequency": "weekly", "weekday": "SA", "count": "99999999999"},
            "invalid_recurrence_end",
        ),
    ],
)
def test_bad_rule_values_are_refused_with_a_clear_code(values: dict[str, Any], code: str) -> None:
    with pytest.raises(DomainError) as raised:
        parse_rule(**values)
    assert raised.value.code == code


def test_a_naive_first_start_is_refused() -> None:
    with pytest.raises(DomainError) as raised:
        occurrence_starts(_weekly(count=2), datetime(2026, 11, 28, 21, 0), "Asia/Tokyo")
    assert raised.value.code == "invalid_recurrence_start"


def test_an_unknown_timezone_is_refused() -> None:
    with pytest.raises(DomainError) as raised:
        occurrence_starts(_weekly(count=2), _tokyo(2026, 11, 28), "Asia/Atlantis")
    assert raised.value.code == "invalid_timezone"
