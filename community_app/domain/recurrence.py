"""Recurrence rules of a series ("every other Saturday", "the last Friday of the month").

Pure computation, no database: ``parse_rule`` checks untrusted values, ``occurrence_starts``
lists the start of every occurrence, and ``to_rrule`` gives the RFC 5545 text stored in
``Series.rrule``. The occurrences follow RFC 5545 (weeks start on Monday, the first
occurrence is the first matching day on or after the series' first start), so a calendar
app reading the RRULE finds the same days.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from itertools import islice
from zoneinfo import ZoneInfo

from community_app.domain.errors import DomainError
from community_app.domain.validation import as_choice, as_timezone

MAX_OCCURRENCES = 104  # two years of a weekly gathering
MAX_INTERVAL = 52
NTH_CHOICES = (1, 2, 3, 4, -1)  # -1 is the last one; "5th" would skip most months
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # index = date.weekday()
_WEEK = timedelta(days=7)


class Frequency(StrEnum):
    WEEKLY = "weekly"
    MONTHLY_NTH_WEEKDAY = "monthly_nth_weekday"


@dataclass(frozen=True)
class RecurrenceRule:
    """Every ``interval`` weeks on ``weekday``, or every month on its ``nth`` ``weekday``;
    until a local date (inclusive) or for ``count`` occurrences, exactly one of them."""

    frequency: Frequency
    weekday: int  # 0 = Monday … 6 = Sunday, like date.weekday()
    interval: int = 1
    nth: int | None = None
    until: date | None = None
    count: int | None = None

    def __post_init__(self) -> None:
        _check(self)


def _is_int(value: object) -> bool:
    return type(value) is int


def _check(rule: RecurrenceRule) -> None:
    if not isinstance(rule.frequency, Frequency):
        raise DomainError("invalid_recurrence")
    if not _is_int(rule.weekday) or not 0 <= rule.weekday <= 6:
        raise DomainError("invalid_recurrence")
    if rule.frequency is Frequency.WEEKLY:
        valid = _is_int(rule.interval) and 1 <= rule.interval <= MAX_INTERVAL and rule.nth is None
    else:
        valid = rule.interval == 1 and _is_int(rule.nth) and rule.nth in NTH_CHOICES
    if not valid:
        raise DomainError("invalid_recurrence")
    if (rule.until is None) == (rule.count is None):
        raise DomainError("invalid_recurrence_end")
    if rule.until is not None and type(rule.until) is not date:
        raise DomainError("invalid_recurrence_end")
    if rule.count is not None:
        if not _is_int(rule.count) or rule.count < 1:
            raise DomainError("invalid_recurrence_end")
        if rule.count > MAX_OCCURRENCES:
            raise DomainError("recurrence_too_long")


# --- untrusted values ---------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_int(value: object, *, code: str) -> int:
    """An ``int``, or its decimal text from a form (at most 6 characters)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip()
        digits = text.removeprefix("-")
        if 0 < len(text) <= 6 and digits.isascii() and digits.isdigit():
            return int(text)
    raise DomainError(code)


def _as_date(value: object) -> date:
    if type(value) is date:
        return value
    if isinstance(value, str) and len(value.strip()) == len("2026-11-28"):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise DomainError("invalid_recurrence_end")


def parse_rule(
    *,
    frequency: object,
    weekday: object,
    interval: object = 1,
    nth: object = None,
    until: object = None,
    count: object = None,
) -> RecurrenceRule:
    """A rule from untrusted values: ``weekday`` as an RFC 5545 code (``"SA"``), numbers as
    ``int`` or their text, ``until`` as a date or ``"YYYY-MM-DD"``; blanks mean "not given".
    """
    kind = as_choice(frequency, Frequency, code="invalid_recurrence")
    if not isinstance(weekday, str) or weekday.strip().upper() not in WEEKDAY_CODES:
        raise DomainError("invalid_recurrence")
    return RecurrenceRule(
        frequency=kind,
        weekday=WEEKDAY_CODES.index(weekday.strip().upper()),
        interval=1 if _blank(interval) else _as_int(interval, code="invalid_recurrence"),
        nth=None if _blank(nth) else _as_int(nth, code="invalid_recurrence"),
        until=None if _blank(until) else _as_date(until),
        count=None if _blank(count) else _as_int(count, code="invalid_recurrence_end"),
    )


# --- occurrences ----------------------------------------------------------------------


def _weekly_days(rule: RecurrenceRule, first_day: date) -> Iterator[date]:
    """The rule's weekday in every ``interval``-th week, counted from the first day's week."""
    day = first_day - timedelta(days=first_day.weekday()) + timedelta(days=rule.weekday)
    while True:
        if day >= first_day:
            yield day
        day += _WEEK * rule.interval


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    if nth > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last = next_month - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _monthly_days(rule: RecurrenceRule, first_day: date) -> Iterator[date]:
    assert rule.nth is not None
    year, month = first_day.year, first_day.month
    while True:
        day = _nth_weekday(year, month, rule.weekday, rule.nth)
        if day >= first_day:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _days(rule: RecurrenceRule, first_day: date) -> Iterator[date]:
    days = (_weekly_days if rule.frequency is Frequency.WEEKLY else _monthly_days)(rule, first_day)
    if rule.count is not None:
        yield from islice(days, rule.count)
        return
    assert rule.until is not None
    for day in days:
        if day > rule.until:
            return
        yield day


def occurrence_starts(rule: RecurrenceRule, first_start: datetime, timezone: str) -> list[datetime]:
    """The start of every occurrence, in UTC, at the first start's wall-clock time in
    ``timezone`` (21:00 stays 21:00 across daylight-saving changes; a time that does not
    exist on a spring-forward day moves forward by the gap).

    The first occurrence is ``first_start`` itself when its day matches the rule. A rule
    with more than ``MAX_OCCURRENCES`` is refused after generating one more than the cap,
    never all of them; a rule that ends before its first occurrence is refused too.
    """
    if not isinstance(first_start, datetime) or first_start.utcoffset() is None:
        raise DomainError("invalid_recurrence_start")
    zone = ZoneInfo(as_timezone(timezone))
    local = first_start.astimezone(zone)
    try:
        days = list(islice(_days(rule, local.date()), MAX_OCCURRENCES + 1))
    except (OverflowError, ValueError):  # past year 9999
        raise DomainError("recurrence_too_long") from None
    if len(days) > MAX_OCCURRENCES:
        raise DomainError("recurrence_too_long")
    if not days:
        raise DomainError("recurrence_empty")
    wall_clock = local.time()  # keeps ``fold``: the first start stays exactly itself
    return [datetime.combine(day, wall_clock, tzinfo=zone).astimezone(UTC) for day in days]


def to_rrule(rule: RecurrenceRule, timezone: str = "Asia/Tokyo") -> str:
    """RFC 5545 RRULE text, e.g. ``FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=10``.

    ``UNTIL`` is the end of the ``until`` day in ``timezone`` written in UTC, as RFC 5545
    requires when DTSTART carries a TZID (§3.3.10).
    """
    code = WEEKDAY_CODES[rule.weekday]
    if rule.frequency is Frequency.WEEKLY:
        parts = ["FREQ=WEEKLY"]
        if rule.interval > 1:
            parts.append(f"INTERVAL={rule.interval}")
        parts.append(f"BYDAY={code}")
    else:
        parts = ["FREQ=MONTHLY", f"BYDAY={rule.nth}{code}"]
    if rule.count is not None:
        parts.append(f"COUNT={rule.count}")
    else:
        assert rule.until is not None
        zone = ZoneInfo(as_timezone(timezone))
        end_of_day = datetime.combine(rule.until, time(23, 59, 59), tzinfo=zone)
        parts.append(f"UNTIL={end_of_day.astimezone(UTC):%Y%m%dT%H%M%SZ}")
    return ";".join(parts)
