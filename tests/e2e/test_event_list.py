"""A visitor searches the event list: filters, Japanese search, pages, shareable URLs."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect
from reflex.testing import AppHarnessProd

from community_app.db import read_session, write_session
from community_app.domain.enums import EventKind, EventStatus
from community_app.domain.event_search import PAGE_SIZE, EventFilters, search_events
from community_app.domain.events import new_event_uid
from community_app.domain.models import Event
from tests.e2e.support import group_id, url

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 20_000
PAGING_WORD = "ページ送り確認会"


def _titles(filters: EventFilters) -> list[str]:
    with read_session() as session:
        page = search_events(session, now=datetime.now(UTC), filters=filters)
        return [card.title for card in page.cards]


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _open_list(app: AppHarnessProd, page: Page, path: str = "/events") -> None:
    page.goto(url(app, path))
    expect(page.locator("#page-status, #events-empty, #events-error").first).to_be_visible(
        timeout=TIMEOUT_MS
    )


def test_filtering_by_kind_lists_only_that_kind_and_puts_it_in_the_url(
    app: AppHarnessProd, page: Page
) -> None:
    study_sessions = _titles(EventFilters(kind=EventKind.STUDY_SESSION))
    assert study_sessions, "the demo data has upcoming study sessions"
    _open_list(app, page)

    page.locator("#filter-kind").select_option("study_session")
    page.locator("#filter-submit").click()

    expect(page).to_have_url(re.compile(r"kind=study_session"), timeout=TIMEOUT_MS)
    cards = page.locator(".event-card")
    expect(cards).to_have_count(len(study_sessions), timeout=TIMEOUT_MS)
    for title in study_sessions:
        expect(page.locator("#event-results")).to_contain_text(title)
    expect(cards.filter(has_text="勉強会")).to_have_count(len(study_sessions))


def test_a_japanese_word_from_the_demo_finds_its_event(app: AppHarnessProd, page: Page) -> None:
    expected = _titles(EventFilters(text="子ども食堂"))
    assert len(expected) == 1
    _open_list(app, page)

    page.locator("#filter-q").fill("子ども食堂")
    page.locator("#filter-submit").click()

    expect(page.locator(".event-card")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(page.locator(".event-card")).to_contain_text(expected[0])
    assert _query(page)["q"] == ["子ども食堂"]


def _add_many_published_events(count: int) -> None:
    """Events far in the future, so the other browser tests still see the demo first."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=400)
    with write_session() as session:
        group = group_id("kiryu-after-school", session=session)
        for number in range(1, count + 1):
            starts = start + timedelta(days=number)
            session.add(
                Event(
                    uid=new_event_uid(),
                    slug=f"paging-check-{number}-{new_event_uid()[:8]}",
                    group_id=group,
                    title=f"{PAGING_WORD} {number:02d}",
                    status=EventStatus.APPROVED,
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=1),
                    published_at=start - timedelta(days=400),
                )
            )


def test_the_next_page_continues_the_list_and_back_returns(app: AppHarnessProd, page: Page) -> None:
    _add_many_published_events(PAGE_SIZE + 3)
    _open_list(app, page, f"/events?q={PAGING_WORD}")
    expect(page.locator("#page-status")).to_contain_text("1 / 2", timeout=TIMEOUT_MS)
    expect(page.locator(".event-card")).to_have_count(PAGE_SIZE)
    expect(page.locator("#page-previous")).to_have_count(0)

    page.locator("#page-next").click()

    expect(page.locator("#page-status")).to_contain_text("2 / 2", timeout=TIMEOUT_MS)
    expect(page.locator(".event-card")).to_have_count(3)
    expect(page.locator(".event-card").first).to_contain_text(f"{PAGING_WORD} 21")
    assert _query(page) == {"q": [PAGING_WORD], "page": ["2"]}
    page.go_back()
    expect(page.locator("#page-status")).to_contain_text("1 / 2", timeout=TIMEOUT_MS)
    expect(page.locator(".event-card").first).to_contain_text(f"{PAGING_WORD} 01")


def test_a_shared_url_shows_its_filters_in_the_form_and_bad_ones_are_explained(
    app: AppHarnessProd, page: Page
) -> None:
    expected = _titles(EventFilters(kind=EventKind.WORKSHOP, text="NPO"))
    assert len(expected) == 1

    _open_list(app, page, "/events?kind=workshop&q=NPO")

    expect(page.locator(".event-card")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(page.locator(".event-card")).to_contain_text(expected[0])
    expect(page.locator("#filter-q")).to_have_value("NPO")
    expect(page.locator("#filter-kind")).to_have_value("workshop")

    page.locator("#tab-past").click()
    expect(page).to_have_url(re.compile(r"when=past"), timeout=TIMEOUT_MS)
    assert _query(page)["kind"] == ["workshop"]

    _open_list(app, page, "/events?q=勉強会&from=2026-12-01&to=2026-11-01")
    expect(page.locator("#events-error")).to_contain_text("「まで」の日付", timeout=TIMEOUT_MS)
    expect(page.locator("#filter-q")).to_have_value("勉強会")  # nothing typed is lost
    expect(page.locator("#filter-from")).to_have_value("2026-12-01")
