"""Both languages have every message, and dates read the way each language writes them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from community_app.i18n import (
    format_datetime,
    format_month,
    format_range,
    format_viewer_range,
    message,
    negotiate_locale,
    translate,
    weekday_name,
)
from community_app.i18n.messages import MESSAGES

pytestmark = pytest.mark.unit
SATURDAY_NIGHT_IN_TOKYO = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def test_japanese_and_english_have_the_same_keys() -> None:
    assert set(MESSAGES["ja"]) == set(MESSAGES["en"])
    assert all(MESSAGES["ja"].values()) and all(MESSAGES["en"].values())


def test_dates_in_japanese_style() -> None:
    assert (
        format_datetime(SATURDAY_NIGHT_IN_TOKYO, "Asia/Tokyo", "ja") == "2026年11月28日(土) 21:00"
    )


def test_dates_in_english_style() -> None:
    assert format_datetime(SATURDAY_NIGHT_IN_TOKYO, "Asia/Tokyo", "en") == "Sat, 28 Nov 2026, 21:00"


def test_the_same_moment_reads_in_the_events_own_timezone() -> None:
    assert format_datetime(SATURDAY_NIGHT_IN_TOKYO, "Europe/London", "en") == (
        "Sat, 28 Nov 2026, 12:00"
    )


def test_a_range_on_one_day_shows_the_end_time_only() -> None:
    end = datetime(2026, 11, 28, 13, 30, tzinfo=UTC)
    assert format_range(SATURDAY_NIGHT_IN_TOKYO, end, "Asia/Tokyo", "ja") == (
        "2026年11月28日(土) 21:00–22:30"
    )


def test_a_range_past_midnight_shows_both_dates() -> None:
    end = datetime(2026, 11, 28, 16, 0, tzinfo=UTC)  # 01:00 on Sunday in Tokyo
    assert format_range(SATURDAY_NIGHT_IN_TOKYO, end, "Asia/Tokyo", "en") == (
        "Sat, 28 Nov 2026, 21:00 – Sun, 29 Nov 2026, 01:00"
    )


def test_an_unknown_key_falls_back_to_the_key_itself() -> None:
    assert translate("no.such.key", "en") == "no.such.key"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-US,en;q=0.9", "en"),
        ("ja-JP,ja;q=0.9,en;q=0.8", "ja"),
        ("fr-FR,fr;q=0.9,en;q=0.5,ja;q=0.4", "en"),
        ("de;q=1, ja;q=0.2, en;q=0.7", "en"),
        ("EN-gb", "en"),
        ("en;q=0, ja", "ja"),
        ("fr, de", "ja"),
        ("", "ja"),
        ("en;q=abc, ja;q=0.1", "ja"),
        ("*", "ja"),
        ("fr-FR,fr;q=0.9,en;q=0.5,ja;q=0.6", "ja"),  # the weights decide, not the order
        ("en;q=0.5, ja;q=0.5", "en"),  # equal weights keep the browser's order
        ("ja;q=2, en;q=0.1", "en"),  # a weight above 1 is malformed
    ],
)
def test_a_visitors_language_follows_the_browser(header: str, expected: str) -> None:
    assert negotiate_locale(header) == expected


def test_counting_messages_fill_their_fields_and_say_one_in_the_singular() -> None:
    assert message("seats.left", "ja", n=3) == "残り3席"
    assert message("seats.left", "en", n=3) == "3 places left"
    assert message("seats.left", "en", n=1) == "1 place left"
    assert message("seats.left", "ja", n=1) == "残り1席"
    assert message("seats.taken_of", "en", n=2, capacity=20) == "2 of 20 places taken"


# --- the viewer's own time, beside the event's -----------------------------------------

SATURDAY_AFTERNOON_IN_TOKYO = datetime(2026, 12, 5, 5, 0, tzinfo=UTC)  # 14:00 in Tokyo
THREE_HOURS_LATER = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


def _viewer(viewer_timezone: str, locale: str, **moments: datetime) -> str:
    return format_viewer_range(
        moments.get("starts_at", SATURDAY_AFTERNOON_IN_TOKYO),
        moments.get("ends_at", THREE_HOURS_LATER),
        event_timezone="Asia/Tokyo",
        viewer_timezone=viewer_timezone,
        locale=locale,
    )


def test_a_viewer_in_berlin_sees_the_event_on_their_own_clock() -> None:
    assert _viewer("Europe/Berlin", "ja") == "12月5日(土) 06:00–09:00 (Europe/Berlin)"
    assert _viewer("Europe/Berlin", "en") == "Sat, 5 Dec, 06:00–09:00 (Europe/Berlin)"


def test_nothing_is_added_when_the_viewers_clock_reads_the_same() -> None:
    assert _viewer("Asia/Tokyo", "ja") == ""
    assert _viewer("Asia/Seoul", "en") == ""  # another name, the same offset


def test_an_unknown_or_missing_viewer_zone_adds_nothing() -> None:
    assert _viewer("", "ja") == ""
    assert _viewer("Mars/Olympus", "en") == ""
    assert _viewer("../../etc/passwd", "en") == ""


def test_the_viewers_time_shows_both_days_when_it_crosses_their_midnight() -> None:
    evening = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)  # 22:00 in Tokyo, 05:00 in Los Angeles
    assert _viewer(
        "America/Los_Angeles", "en", starts_at=evening, ends_at=THREE_HOURS_LATER.replace(hour=17)
    ) == ("Sat, 5 Dec, 05:00–09:00 (America/Los_Angeles)")
    late = datetime(2026, 12, 5, 22, 30, tzinfo=UTC)  # 23:30 in Berlin, 07:30 Sunday in Tokyo
    assert _viewer("Europe/Berlin", "ja", starts_at=late, ends_at=late.replace(day=6, hour=0)) == (
        "12月5日(土) 23:30 – 12月6日(日) 01:30 (Europe/Berlin)"
    )


def test_a_summer_time_change_alone_makes_the_clocks_differ() -> None:
    summer = datetime(2026, 7, 4, 12, 0, tzinfo=UTC)
    london = format_viewer_range(
        summer,
        summer.replace(hour=13),
        event_timezone="Europe/Lisbon",
        viewer_timezone="Europe/London",
        locale="en",
    )
    assert london == ""  # both on UTC+1 in summer
    winter_for_reykjavik = format_viewer_range(
        summer,
        summer.replace(hour=13),
        event_timezone="Europe/London",
        viewer_timezone="Atlantic/Reykjavik",
        locale="en",
    )
    assert winter_for_reykjavik == "Sat, 4 Jul, 12:00–13:00 (Atlantic/Reykjavik)"


def test_months_and_weekdays_in_each_language() -> None:
    assert format_month(date(2026, 12, 1), "ja") == "2026年12月"
    assert format_month(date(2026, 12, 1), "en") == "December 2026"
    assert [weekday_name(day, "ja") for day in (6, 0, 5)] == ["日", "月", "土"]
    assert [weekday_name(day, "en") for day in (6, 0, 5)] == ["Sun", "Mon", "Sat"]
