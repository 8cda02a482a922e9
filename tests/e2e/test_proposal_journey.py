"""A member proposes, an organiser asks for changes, the member resubmits, the organiser
approves: the event is listed and in the feed. In a real browser, as people would."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from urllib.request import urlopen
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from reflex.testing import AppHarnessProd

from community_app.domain.enums import MembershipStatus
from tests.e2e.conftest import journey_shot
from tests.e2e.support import (
    TIMEOUT_MS,
    Capture,
    add_membership,
    backend_url,
    create_account,
    log_in,
    new_page,
    url,
)

pytestmark = pytest.mark.e2e
GROUP = "kiryu-after-school"


def _signed_in(browser: Browser, app: AppHarnessProd, account) -> Page:  # type: ignore[no-untyped-def]
    page = new_page(browser)
    log_in(Capture(page, app), account)
    return page


def _shot(page: Page, name: str) -> None:
    journey_shot(page, "ja", f"propose-{name}")


def _fill_proposal(page: Page, title: str, day: str) -> None:
    page.locator("#event-title").fill(title)
    page.locator("#event-summary").fill("小学生と保護者のためのScratch入門")
    page.locator("#event-description").fill("## 持ち物\n\n- ノートパソコン(貸出あり)")
    page.locator("#kind").select_option("workshop")
    page.locator("#format").select_option("online")
    page.locator("#event-start_date").fill(day)
    page.locator("#event-start_time").fill("14:00")
    page.locator("#event-end_time").fill("16:00")
    page.locator("#event-join_url").fill("https://meet.example.com/kids-" + uuid.uuid4().hex[:8])
    page.locator("#event-tags").fill("プログラミング, 親子")


def test_propose_request_changes_resubmit_approve_then_listed_and_in_the_feed(
    app: AppHarnessProd, browser: Browser
) -> None:
    member = create_account("提案 太郎")
    add_membership(GROUP, member.member_id, MembershipStatus.ACTIVE)
    organiser = create_account("世話人 桜", organiser_of=GROUP)
    title = f"親子プログラミング教室 {uuid.uuid4().hex[:4]}"
    day = (datetime.now(UTC).astimezone(ZoneInfo("Asia/Tokyo")) + timedelta(days=20)).date()

    # The member proposes; an end before the start is refused and nothing typed is lost.
    proposer = _signed_in(browser, app, member)
    proposer.goto(url(app, "/propose"))
    _fill_proposal(proposer, title, day.isoformat())
    proposer.locator("#event-end_time").fill("13:00")
    proposer.locator("#submit-proposal").click()
    # The message stands next to the end time, which is marked invalid and has the focus.
    end_error = proposer.locator("#event-end_time-error[role=alert]")
    expect(end_error).to_contain_text("終了は開始より後", timeout=TIMEOUT_MS)
    end_time = proposer.locator("#event-end_time")
    expect(end_time).to_have_attribute("aria-invalid", "true")
    expect(end_time).to_have_attribute("aria-describedby", "event-end_time-error")
    expect(end_time).to_be_focused()
    expect(proposer.locator(".form-error")).to_have_count(0)
    expect(proposer.locator("#event-title")).to_have_value(title)
    expect(proposer.locator("#event-title")).to_have_attribute("aria-invalid", "false")
    proposer.locator("#event-end_time").fill("16:00")
    proposer.locator("#submit-proposal").click()
    expect(proposer.locator("#preview-banner")).to_be_visible(timeout=TIMEOUT_MS)
    expect(proposer.locator("#event-status")).to_have_text("レビュー待ち")
    _shot(proposer, "1-submitted")
    event_url = proposer.url  # already percent-encoded

    # The organiser finds it in the review queue and asks for changes, with a reason.
    reviewer = _signed_in(browser, app, organiser)
    reviewer.locator("#review-link").click()
    expect(reviewer.get_by_role("link", name=title)).to_be_visible(timeout=TIMEOUT_MS)
    _shot(reviewer, "2-review-queue")
    reviewer.get_by_role("link", name=title).click()
    reviewer.locator("[data-move=changes_requested]").click()
    expect(reviewer.locator(".form-error")).to_contain_text("理由", timeout=TIMEOUT_MS)
    reviewer.locator("#move-reason").fill("対象年齢を書いてください")
    reviewer.locator("[data-move=changes_requested]").click()
    expect(reviewer.locator("#event-status")).to_have_text("修正依頼あり", timeout=TIMEOUT_MS)

    # The member sees the reason on "my proposals", edits and resubmits.
    proposer.goto(url(app, "/proposals"))
    row = proposer.locator(".proposal-row", has_text=title)
    expect(row.locator(".proposal-reason")).to_have_text(
        "対象年齢を書いてください", timeout=TIMEOUT_MS
    )
    row.get_by_role("link", name=title).click()
    proposer.locator("#edit-event").click()
    expect(proposer.locator("#event-summary")).to_have_value(
        "小学生と保護者のためのScratch入門", timeout=TIMEOUT_MS
    )
    proposer.locator("#event-summary").fill("小学3〜6年生と保護者のためのScratch入門")
    proposer.locator("#submit-proposal").click()
    expect(proposer.locator("#event-status")).to_have_text("レビュー待ち", timeout=TIMEOUT_MS)

    # The organiser approves: the event is published.
    reviewer.goto(event_url)
    reviewer.locator("[data-move=approved]").click()
    expect(reviewer.locator("#event-status")).to_have_text("公開中", timeout=TIMEOUT_MS)
    expect(reviewer.locator("#preview-banner")).to_have_count(0)
    expect(reviewer.get_by_text("Google カレンダーに追加")).to_be_visible(timeout=TIMEOUT_MS)
    _shot(reviewer, "3-approved")

    # Anyone finds it in the event list and in the calendar feed.
    visitor = new_page(browser)
    visitor.goto(url(app, "/events?q=" + title.split()[-1]))
    expect(visitor.get_by_text(title)).to_be_visible(timeout=TIMEOUT_MS)
    with urlopen(backend_url(app, "/feeds/events.ics"), timeout=10) as response:
        feed = response.read().decode("utf-8")
    assert title in feed.replace("\r\n ", "")
    for page in (proposer, reviewer, visitor):
        page.context.close()


def test_a_visitor_cannot_open_an_unpublished_proposal(app: AppHarnessProd, page: Page) -> None:
    member = create_account("下書き 次郎")
    add_membership(GROUP, member.member_id, MembershipStatus.ACTIVE)
    log_in(Capture(page, app), member)
    page.goto(url(app, "/propose"))
    title = f"まだ秘密の勉強会 {uuid.uuid4().hex[:4]}"
    day = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    _fill_proposal(page, title, day)
    page.locator("#save-draft").click()
    expect(page.locator("#event-status")).to_have_text("下書き", timeout=TIMEOUT_MS)
    draft_url = page.url

    visitor = new_page(page.context.browser)  # type: ignore[arg-type]
    visitor.goto(draft_url)
    expect(visitor.get_by_role("heading", name="イベントが見つかりません")).to_be_visible(
        timeout=TIMEOUT_MS
    )
    visitor.context.close()
