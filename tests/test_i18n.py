"""Both languages have every message, and dates read the way each language writes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from community_app.i18n import format_datetime, format_range, message, negotiate_locale, translate
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
