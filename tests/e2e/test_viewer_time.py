"""The event page shows the viewer's own time beside the event's when their clocks differ.

A visitor's zone comes from the browser (Playwright's ``timezone_id``); a member's from
their account.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from reflex.testing import AppHarnessProd

from community_app.db import write_session
from community_app.domain.enums import EventStatus
from community_app.domain.events import new_event_uid
from community_app.domain.models import Event, Member
from community_app.i18n import format_viewer_range
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.support import TIMEOUT_MS, Capture, create_account, group_id, log_in, url

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def tokyo_event(app: AppHarnessProd) -> Event:
    """14:00–17:00 in Tokyo, twenty days ahead."""
    day = (datetime.now(UTC) + timedelta(days=20)).date()
    starts = datetime(day.year, day.month, day.day, 14, tzinfo=ZoneInfo("Asia/Tokyo"))
    with write_session() as session:
        event = Event(
            uid=new_event_uid(),
            slug=f"viewer-time-{new_event_uid()[:12]}",
            group_id=group_id("social-sector-community", session=session),
            title="時差の確認会",
            description="時刻の表示を確かめるためのイベントです。",
            status=EventStatus.APPROVED,
            starts_at=starts.astimezone(UTC),
            ends_at=(starts + timedelta(hours=3)).astimezone(UTC),
            published_at=datetime.now(UTC),
            timezone="Asia/Tokyo",
        )
        session.add(event)
        session.flush()
        session.expunge(event)
        return event


def _page_in(browser: Browser, timezone_id: str, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1100, "height": 900}, locale="ja-JP", timezone_id=timezone_id
    )
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.fixture
def berlin(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from _page_in(browser, "Europe/Berlin", request)


@pytest.fixture
def tokyo(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from _page_in(browser, "Asia/Tokyo", request)


def _expected(event: Event, zone: str, locale: str) -> str:
    return format_viewer_range(
        event.starts_at,
        event.ends_at,
        event_timezone=event.timezone,
        viewer_timezone=zone,
        locale=locale,
    )


def test_a_visitor_in_berlin_sees_the_event_time_and_their_own(
    app: AppHarnessProd, berlin: Page, tokyo_event: Event
) -> None:
    berlin.goto(url(app, f"/events/{tokyo_event.slug}"))

    expect(berlin.locator("#event-when")).to_contain_text("14:00–17:00", timeout=TIMEOUT_MS)
    viewer = berlin.locator("#viewer-when")
    expected = _expected(tokyo_event, "Europe/Berlin", "ja")
    assert expected.endswith("(Europe/Berlin)")
    expect(viewer).to_have_text("あなたの時間: " + expected, timeout=TIMEOUT_MS)
    berlin.locator("#locale-toggle").click()
    expect(viewer).to_have_text(
        "Your time: " + _expected(tokyo_event, "Europe/Berlin", "en"), timeout=TIMEOUT_MS
    )


def test_a_visitor_in_tokyo_sees_the_event_time_only(
    app: AppHarnessProd, tokyo: Page, tokyo_event: Event
) -> None:
    tokyo.goto(url(app, f"/events/{tokyo_event.slug}"))
    expect(tokyo.locator("#event-when")).to_contain_text("14:00–17:00", timeout=TIMEOUT_MS)

    # The language switch is answered after the browser's zone (events run in order), so
    # once the page is in English the zone has been taken into account.
    tokyo.locator("#locale-toggle").click()

    expect(tokyo.locator("#event-title")).to_be_visible()
    expect(tokyo.locator("#all-events-link")).to_have_text("All events", timeout=TIMEOUT_MS)
    expect(tokyo.locator("#event-when")).to_contain_text("14:00–17:00")
    expect(tokyo.locator("#viewer-when")).to_have_count(0)


def test_a_member_sees_their_account_zone_not_the_browsers(
    app: AppHarnessProd, tokyo: Page, tokyo_event: Event
) -> None:
    account = create_account("ベルリン 在住")
    with write_session() as session:
        member = session.get(Member, account.member_id)
        assert member is not None
        member.timezone = "Europe/Berlin"
    log_in(Capture(tokyo, app), account)

    tokyo.goto(url(app, f"/events/{tokyo_event.slug}"))

    expect(tokyo.locator("#viewer-when")).to_contain_text("(Europe/Berlin)", timeout=TIMEOUT_MS)


def test_list_cards_add_the_viewers_time_in_berlin_only(
    app: AppHarnessProd, berlin: Page, tokyo: Page, tokyo_event: Event
) -> None:
    path = f"/events?q={tokyo_event.title}"
    berlin.goto(url(app, path))
    tokyo.goto(url(app, path))

    card = berlin.locator(".event-card", has_text=tokyo_event.title)
    expect(card.locator(".card-viewer-time")).to_have_text(
        "あなたの時間: " + _expected(tokyo_event, "Europe/Berlin", "ja"), timeout=TIMEOUT_MS
    )
    expect(tokyo.locator(".event-card", has_text=tokyo_event.title)).to_be_visible(
        timeout=TIMEOUT_MS
    )
    tokyo.locator("#locale-toggle").click()  # answered after the browser's zone
    expect(tokyo.locator("#all-events-link")).to_have_text("All events", timeout=TIMEOUT_MS)
    expect(tokyo.locator(".card-viewer-time")).to_have_count(0)
