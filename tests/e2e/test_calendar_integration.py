"""Calendar integration in the browser: the event page's calendar buttons, and a
member's "My calendar" page (personal feed URL shown once, rotated, revoked)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, expect
from reflex.testing import AppHarnessProd
from sqlmodel import col, select

from community_app.db import read_session
from community_app.domain.models import Event, FeedToken
from tests.e2e.conftest import journey_shot
from tests.e2e.support import (
    TIMEOUT_MS,
    Capture,
    backend_url,
    create_account,
    log_in,
    new_page,
)

pytestmark = pytest.mark.e2e


def _published_event_with_join_url() -> tuple[str, str]:
    with read_session() as session:
        event = session.exec(
            select(Event)
            .where(
                col(Event.published_at).is_not(None),
                Event.join_url != "",
                col(Event.starts_at) > datetime.now(UTC),
            )
            .order_by(col(Event.starts_at))
        ).first()
        assert event is not None
        return event.slug, event.join_url


def test_the_event_page_offers_google_outlook_and_ics_without_the_join_url(
    app: AppHarnessProd, browser: Browser
) -> None:
    slug, join_url = _published_event_with_join_url()
    page = new_page(browser)
    Capture(page, app).visit(f"/events/{slug}")
    buttons = page.locator("#calendar-buttons")
    expect(buttons).to_be_visible(timeout=TIMEOUT_MS)

    google = page.locator("#add-google").get_attribute("href") or ""
    outlook = page.locator("#add-outlook").get_attribute("href") or ""
    ics = page.locator("#download-ics").get_attribute("href") or ""
    assert google.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE")
    assert outlook.startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    assert ics == f"/feeds/events/{quote(slug, safe='')}.ics"
    assert join_url not in google + outlook and quote(join_url, safe="") not in google + outlook
    feed = page.request.get(backend_url(app, f"/feeds/events/{slug}.ics"))
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert join_url not in feed.text().replace("\r\n ", "")


def test_a_member_makes_rotates_and_revokes_a_personal_feed_url(
    app: AppHarnessProd, browser: Browser
) -> None:
    page = new_page(browser)
    capture = Capture(page, app)
    account = create_account("暦 さん")
    log_in(capture, account)
    capture.visit("/account")
    page.locator("#my-calendar-link").click()
    expect(page.locator("#no-feed-token")).to_be_visible(timeout=TIMEOUT_MS)

    page.locator("#create-feed-token").click()
    feed_url = page.locator("#personal-subscribe .feed-url")
    expect(feed_url).to_contain_text("/feeds/personal/", timeout=TIMEOUT_MS)
    first = urlsplit(feed_url.inner_text()).path
    webcal = page.locator("#personal-subscribe .webcal-link").get_attribute("href") or ""
    assert webcal.startswith("webcal://") and webcal.endswith(first)
    assert page.request.get(backend_url(app, first)).status == 200
    expect(page.locator("#my-calendar")).to_contain_text("12〜24 時間")
    journey_shot(page, "ja", "feed-1-personal-url")

    page.locator("#rotate-feed-token").click()
    expect(feed_url).not_to_contain_text(first, timeout=TIMEOUT_MS)
    second = urlsplit(feed_url.inner_text()).path
    assert page.request.get(backend_url(app, first)).status == 404
    assert page.request.get(backend_url(app, second)).status == 200
    expect(page.locator("#token-last-used")).to_be_visible()

    capture.visit("/calendar")  # shown once: gone after the next load
    expect(page.locator("#token-created")).to_be_visible(timeout=TIMEOUT_MS)
    expect(feed_url).to_have_count(0)
    page.locator("#revoke-feed-token").click()
    expect(page.locator("#no-feed-token")).to_be_visible(timeout=TIMEOUT_MS)
    assert page.request.get(backend_url(app, second)).status == 404
    with read_session() as session:
        rows = session.exec(select(FeedToken).where(FeedToken.member_id == account.member_id))
        assert all(row.revoked_at is not None for row in rows)
