"""Client text in the log: one line, bounded; repeated lines counted, not written."""

from __future__ import annotations

import pytest

from community_app.log_safety import LogBudget, escape_client_text

pytestmark = pytest.mark.unit


def test_newlines_and_control_characters_cannot_start_a_line_of_their_own() -> None:
    forged = "boom\n2026-12-08 ERROR admin logged in\r\x1b[31mred\u2028x\\n"

    escaped = escape_client_text(forged)

    assert escaped == "boom\\n2026-12-08 ERROR admin logged in\\r\\u001b[31mred\\u2028x\\\\n"
    assert escaped.isprintable()


def test_long_text_is_cut_and_says_how_long_it_was() -> None:
    escaped = escape_client_text("あ" * 10_000, max_chars=20)

    assert escaped == "あ" * 20 + "… (10000 chars)"


def test_a_budget_lets_a_few_lines_through_per_window_and_counts_the_rest() -> None:
    now = [0.0]
    budget = LogBudget(lines=2, window_s=60, clock=lambda: now[0])

    first = [budget.allow() for _ in range(100)]
    now[0] += 60
    again = budget.allow()

    assert first.count(True) == 2 and first[:2] == [True, True]
    assert again and budget.held_back() == 98
