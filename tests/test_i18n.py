"""Both languages have every message, and dates read the way each language writes them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from community_app.i18n import format_datetime, format_range, translate
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
