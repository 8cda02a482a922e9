"""How the admin mailbox shows a mail: links in the text part, the HTML part framed."""

from __future__ import annotations

import pytest

from community_app.ui.mail_actions import text_segments
from community_app.ui.pages.mailbox import BASE_TARGET, _framed

pytestmark = pytest.mark.unit


def test_urls_in_the_text_part_become_links_and_the_rest_stays_text() -> None:
    text = "参加登録しました。\nhttps://tsudoi.example/events/勉強会-1 を開いてください\n--"

    assert text_segments(text) == [
        ("参加登録しました。\n", False),
        ("https://tsudoi.example/events/勉強会-1", True),
        (" を開いてください\n--", False),
    ]


def test_javascript_urls_are_not_links() -> None:
    assert text_segments("javascript:alert(1)") == [("javascript:alert(1)", False)]


def test_links_of_the_html_part_open_outside_the_frame() -> None:
    assert _framed("<html><head><title>x</title>").startswith(f"<html><head>{BASE_TARGET}")
    assert _framed("<p>no head</p>") == BASE_TARGET + "<p>no head</p>"
