"""Visitors get the language their browser asks for first, among Japanese and English."""

from __future__ import annotations

import pytest

from community_app.i18n.accept_language import preferred_locale

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-US,en;q=0.9,ja;q=0.8", "en"),
        ("ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7", "ja"),
        ("fr-FR,fr;q=0.9,en;q=0.5,ja;q=0.6", "ja"),  # the weights decide, not the order
        ("en;q=0.5, ja;q=0.5", "en"),  # equal weights keep the browser's order
        ("EN-gb", "en"),
        ("ja;q=0, en;q=0.1", "en"),  # q=0 means "not this one"
        ("en;q=abc, ja", "ja"),  # a malformed weight counts as 0
        ("fr-FR,de", None),
        ("", None),
        ("*", None),
    ],
)
def test_the_highest_ranked_of_our_languages_wins(header: str, expected: str | None) -> None:
    assert preferred_locale(header) == expected
