"""A visitor browses upcoming events and opens one, in a real browser."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect
from reflex.testing import AppHarnessProd

from community_app.db import read_session
from community_app.domain.events import EventDetail, get_public_event, list_upcoming_events
from community_app.i18n import format_range

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 20_000


def _plain_line(markdown: str) -> str:
    """A line of the description that Markdown renders as the same text, or ""."""
    for line in markdown.splitlines():
        if len(line) >= 8 and not re.search(r"[#*_`\[\]>|-]", line):
            return line.strip()
    return ""


def _first_upcoming_event() -> EventDetail:
    """The soonest event on the home page whose description has a plain line (other
    browser tests add bare events of their own)."""
    with read_session() as session:
        for card in list_upcoming_events(session, now=datetime.now(UTC)):
            detail = get_public_event(session, slug=card.slug)
            if _plain_line(detail.description):
                return detail
    raise AssertionError("no upcoming event with a plain description line")


def test_home_shows_upcoming_events_and_a_click_opens_the_event(
    app: AppHarnessProd, page: Page
) -> None:
    event = _first_upcoming_event()
    assert app.frontend_url is not None

    page.goto(app.frontend_url)
    card = page.locator(".event-card", has_text=event.card.title).first
    expect(card).to_be_visible(timeout=TIMEOUT_MS)
    card.click()

    expect(page).to_have_url(re.compile(r"/events/"), timeout=TIMEOUT_MS)
    expect(page.locator("#event-title")).to_have_text(event.card.title, timeout=TIMEOUT_MS)
    when = format_range(event.card.starts_at, event.card.ends_at, event.card.timezone, "ja")
    expect(page.locator("#event-when")).to_have_text(when)
    expect(page.locator("#event-description")).to_contain_text(_plain_line(event.description))
    expect(page.get_by_text(event.card.timezone, exact=False).first).to_be_visible()


def test_the_language_switch_shows_english_with_english_dates(
    app: AppHarnessProd, page: Page
) -> None:
    event = _first_upcoming_event()
    assert app.frontend_url is not None

    page.goto(app.frontend_url)
    expect(page.get_by_role("heading", name="これからのイベント")).to_be_visible(timeout=TIMEOUT_MS)
    page.locator("#locale-toggle").click()

    expect(page.get_by_role("heading", name="Upcoming events")).to_be_visible(timeout=TIMEOUT_MS)
    when = format_range(event.card.starts_at, event.card.ends_at, event.card.timezone, "en")
    expect(page.locator(".event-card", has_text=event.card.title).first).to_contain_text(when)


def test_an_unknown_event_says_so(app: AppHarnessProd, page: Page) -> None:
    assert app.frontend_url is not None
    page.goto(app.frontend_url.rstrip("/") + "/events/no-such-event")
    expect(page.get_by_role("heading", name="イベントが見つかりません")).to_be_visible(
        timeout=TIMEOUT_MS
    )
