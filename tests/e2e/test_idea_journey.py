"""A member posts an idea, three members support it, it is ready, an organiser turns it
into an event and approves it, and a supporter opens the event from the notification.
In a real browser, as people would. (Signing up from the event page is the RSVP
feature's own browser test.)"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from reflex.testing import AppHarnessProd

from community_app.domain.enums import MembershipStatus
from tests.e2e.conftest import journey_shot
from tests.e2e.support import (
    TIMEOUT_MS,
    Account,
    Capture,
    add_membership,
    create_account,
    log_in,
    new_page,
)

pytestmark = pytest.mark.e2e
GROUP = "kiryu-after-school"


def _member(name: str) -> Account:
    account = create_account(name)
    add_membership(GROUP, account.member_id, MembershipStatus.ACTIVE)
    return account


def _signed_in(browser: Browser, app: AppHarnessProd, account: Account) -> Page:
    page = new_page(browser)
    log_in(Capture(page, app), account)
    return page


def _shot(page: Page, name: str) -> None:
    journey_shot(page, "ja", f"idea-{name}")


def test_an_idea_gathers_support_becomes_an_event_and_supporters_are_told(
    app: AppHarnessProd, browser: Browser
) -> None:
    author = _member("発案 ゆき")
    supporters = [_member(f"賛同 {n}") for n in ("一郎", "二葉", "三太")]
    organiser = create_account("世話人 まこと", organiser_of=GROUP)
    title = f"親子で楽しむ理科実験 {uuid.uuid4().hex[:4]}"

    # The member posts an idea; an empty title is refused and nothing typed is lost.
    poster = _signed_in(browser, app, author)
    poster.locator("#ideas-link").click()
    poster.locator("#post-idea-link").click()
    expect(poster.locator("#idea-form")).to_be_visible(timeout=TIMEOUT_MS)
    poster.locator("#idea-title").fill("   ")
    poster.locator("#idea-description").fill("身近な材料で**実験**をしたいです。")
    poster.locator("#idea-help_needed").fill("理科の先生、公民館の部屋")
    poster.locator("#idea-tags").fill("理科, 親子")
    poster.locator("#idea-group_id").select_option(label="桐生 市民先生アフタースクール")
    poster.locator("#submit-idea").click()
    expect(poster.locator(".form-error")).to_contain_text("タイトル", timeout=TIMEOUT_MS)
    expect(poster.locator("#idea-description")).to_have_value("身近な材料で**実験**をしたいです。")
    poster.locator("#idea-title").fill(title)
    poster.locator("#submit-idea").click()
    expect(poster.locator("#idea-title")).to_have_text(title, timeout=TIMEOUT_MS)
    expect(poster.locator("#own-idea-note")).to_be_visible()  # no support button for the author
    idea_url = poster.url
    _shot(poster, "1-posted")

    # Three members support it: it is ready.
    for number, account in enumerate(supporters, start=1):
        page = _signed_in(browser, app, account)
        page.goto(idea_url)
        page.locator("#support-idea").click()
        expect(page.locator("#support-count")).to_have_text(str(number), timeout=TIMEOUT_MS)
        if number < len(supporters):
            page.context.close()
    first_supporter = page
    expect(first_supporter.locator(".idea-status")).to_have_text("実現準備OK")
    _shot(first_supporter, "2-ready")

    # The organiser turns it into an event, sets the date, submits and approves it.
    reviewer = _signed_in(browser, app, organiser)
    reviewer.goto(idea_url)
    reviewer.locator("#convert-idea").click()
    expect(reviewer.locator("#event-title")).to_have_value(title, timeout=TIMEOUT_MS)
    expect(reviewer.locator("#event-tags")).to_have_value("理科, 親子")
    day = (datetime.now(UTC).astimezone(ZoneInfo("Asia/Tokyo")) + timedelta(days=21)).date()
    reviewer.locator("#event-start_date").fill(day.isoformat())
    reviewer.locator("#event-end_date").fill(day.isoformat())
    reviewer.locator("#submit-proposal").click()
    expect(reviewer.locator("#event-status")).to_have_text("レビュー待ち", timeout=TIMEOUT_MS)
    reviewer.locator("[data-move=approved]").click()
    expect(reviewer.locator("#event-status")).to_have_text("公開中", timeout=TIMEOUT_MS)
    expect(reviewer.locator("#event-idea-link")).to_contain_text(title)
    _shot(reviewer, "3-approved")

    # A supporter gets the notification and opens the event from it.
    first_supporter.reload()
    first_supporter.locator("#notifications-link").click()
    notice = first_supporter.locator(".notification-link", has_text="イベント「")
    expect(notice).to_contain_text(title, timeout=TIMEOUT_MS)
    notice.click()
    expect(first_supporter.locator("#event-title")).to_have_text(title, timeout=TIMEOUT_MS)
    expect(first_supporter.locator("#event-idea-link")).to_be_visible()
    first_supporter.locator(".rsvp-button").first.click()  # and RSVPs from there
    expect(first_supporter.locator("#rsvp-status")).to_have_text(
        "参加が確定しています", timeout=TIMEOUT_MS
    )
    _shot(first_supporter, "4-supporter-opens-event")

    # The idea page links to the event and shows it scheduled.
    first_supporter.goto(idea_url)
    expect(first_supporter.locator(".idea-status")).to_have_text("開催決定", timeout=TIMEOUT_MS)
    expect(first_supporter.locator(".idea-event-link")).to_have_text(title)
    for page in (poster, first_supporter, reviewer):
        page.context.close()
