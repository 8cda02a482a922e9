"""The main journeys in English: the Japanese runs are the other journey tests.

Each journey switches the language with the header's switch (a visitor before signing
up, a member after logging in; the choice stays for the whole visit), then checks that
English UI labels appear and that neither the header nor the labels it checks leak
Japanese. Event titles and names typed by people stay Japanese: only UI labels are
checked. Step screenshots land in test-artifacts/journeys/en/ (the Japanese runs write
to test-artifacts/journeys/ja/). How the language is chosen (browser, account, switch) is
test_language.py's subject.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from reflex.testing import AppHarnessProd
from sqlmodel import select

from community_app.db import write_session
from community_app.domain.enums import MembershipStatus
from community_app.domain.idea_posting import support_idea
from community_app.domain.models import ProjectIdea
from community_app.domain.permissions import load_actor
from community_app.i18n import translate
from tests.e2e.conftest import journey_shot
from tests.e2e.support import (
    PASSWORD,
    TIMEOUT_MS,
    Account,
    Capture,
    add_membership,
    add_rsvp,
    create_account,
    group_id,
    log_in,
    new_page,
    rsvp_event,
    url,
)

pytestmark = pytest.mark.e2e

GROUP = "hikaridai-otagaisama"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# The header minus what is allowed to be Japanese: the brand, the member's own name and
# the switch back to 日本語.
_HEADER_LABELS = """() => {
  const header = document.querySelector("header").cloneNode(true);
  header.querySelectorAll(".brand, #account-link, #locale-toggle").forEach((e) => e.remove());
  return header.innerText;
}"""


def en(key: str) -> str:
    return translate(key, "en")


def to_english(page: Page) -> None:
    """Press the header's language switch and wait for the English page."""
    page.locator("#locale-toggle").click()
    expect(page.locator("#locale-toggle")).to_have_text(en("nav.language"), timeout=TIMEOUT_MS)


def assert_english(page: Page, *keys: str) -> None:
    """The labels ``keys`` show in English, none of them in Japanese, and the header's
    labels have no Japanese at all."""
    for key in keys:
        expect(page.get_by_text(en(key), exact=False).first).to_be_visible(timeout=TIMEOUT_MS)
    text = page.locator("body").inner_text()
    leaked = [translate(key, "ja") for key in keys if translate(key, "ja") in text]
    assert leaked == [], f"Japanese UI labels on an English page: {leaked}"
    header = page.evaluate(_HEADER_LABELS)
    assert not JAPANESE.search(header), f"Japanese in the header: {header!r}"


def shot(page: Page, journey: str, step: str) -> None:
    journey_shot(page, "en", f"{journey}-{step}")


def signed_in_in_english(browser: Browser, app: AppHarnessProd, account: Account) -> Page:
    page = new_page(browser)
    log_in(Capture(page, app), account)
    to_english(page)
    return page


def organiser(name: str) -> Account:
    return create_account(name, organiser_of=GROUP)


def member_of_group(name: str) -> Account:
    account = create_account(name)
    add_membership(GROUP, account.member_id, MembershipStatus.ACTIVE)
    return account


def test_a_visitor_signs_up_in_english_and_joins_a_group(
    app: AppHarnessProd, browser: Browser
) -> None:
    page = new_page(browser)
    Capture(page, app).visit("/signup")
    to_english(page)
    assert_english(page, "auth.signup_title", "auth.email", "auth.display_name", "auth.password")
    shot(page, "signup", "1-form")
    email = f"amy.{uuid.uuid4().hex[:8]}@example.org"
    page.locator("#email").fill(email)
    page.locator("#display_name").fill("Amy Tanaka")
    page.locator("#password").fill(PASSWORD)
    page.locator("#signup-form button[type=submit]").click()
    expect(page.locator("#signup-sent")).to_contain_text(en("signup.sent_body"), timeout=TIMEOUT_MS)
    page.locator("#signup-login-link").click()
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("#account-link")).to_have_text("Amy Tanaka", timeout=TIMEOUT_MS)
    # Signing up keeps the language the visitor chose.
    expect(page.locator("#locale-toggle")).to_have_text(en("nav.language"))

    page.goto(url(app, f"/groups/{GROUP}"))
    page.locator("#join-group").click()
    expect(page.get_by_text(en("groups.you_are_member"), exact=True)).to_be_visible(
        timeout=TIMEOUT_MS
    )
    assert_english(page, "groups.you_are_member", "groups.leave")
    shot(page, "signup", "2-joined-group")
    page.context.close()


def _fill_proposal(page: Page, title: str) -> None:
    day = (datetime.now(UTC).astimezone(ZoneInfo("Asia/Tokyo")) + timedelta(days=25)).date()
    page.locator("#event-title").fill(title)
    page.locator("#event-summary").fill("An evening walk with the hazard map")
    page.locator("#kind").select_option("workshop")
    page.locator("#format").select_option("online")
    page.locator("#event-start_date").fill(day.isoformat())
    page.locator("#event-start_time").fill("19:00")
    page.locator("#event-end_time").fill("20:30")
    page.locator("#event-join_url").fill("https://meet.example.com/walk-" + uuid.uuid4().hex[:8])


def test_propose_review_and_publish_in_english(app: AppHarnessProd, browser: Browser) -> None:
    title = f"Evening hazard-map walk {uuid.uuid4().hex[:4]}"
    proposer = signed_in_in_english(browser, app, member_of_group("提案 エミ"))
    proposer.goto(url(app, "/propose"))
    _fill_proposal(proposer, title)
    proposer.locator("#submit-proposal").click()
    expect(proposer.locator("#event-status")).to_have_text(
        en("status.submitted"), timeout=TIMEOUT_MS
    )
    assert_english(proposer, "status.submitted")
    shot(proposer, "propose", "1-submitted")

    reviewer = signed_in_in_english(browser, app, organiser("世話人 ケン"))
    reviewer.locator("#review-link").click()
    expect(reviewer.get_by_role("link", name=title)).to_be_visible(timeout=TIMEOUT_MS)
    assert_english(reviewer, "review.title")
    shot(reviewer, "propose", "2-review-queue")
    reviewer.get_by_role("link", name=title).click()
    reviewer.locator("[data-move=approved]").click()
    expect(reviewer.locator("#event-status")).to_have_text(
        en("status.approved"), timeout=TIMEOUT_MS
    )
    assert_english(reviewer, "status.approved", "calendar.add_google")
    shot(reviewer, "propose", "3-published")
    for page in (proposer, reviewer):
        page.context.close()


def test_rsvp_waitlist_and_promotion_in_english(app: AppHarnessProd, browser: Browser) -> None:
    event = rsvp_event(GROUP)
    first = signed_in_in_english(browser, app, create_account("先着 アン"))
    second = signed_in_in_english(browser, app, create_account("二番 ベン"))

    first.goto(url(app, f"/events/{event.slug}"))
    first.locator(".rsvp-button").click()
    expect(first.locator("#rsvp-status")).to_have_text(en("rsvp.status.going"), timeout=TIMEOUT_MS)
    second.goto(url(app, f"/events/{event.slug}"))
    expect(second.locator(".rsvp-button")).to_contain_text(
        en("rsvp.join_waitlist"), timeout=TIMEOUT_MS
    )
    second.locator(".rsvp-button").click()
    expect(second.locator("#rsvp-status")).to_contain_text(
        en("rsvp.status.waitlisted"), timeout=TIMEOUT_MS
    )
    assert_english(second, "rsvp.status.waitlisted")
    shot(second, "rsvp", "1-waitlisted")

    first.locator("#cancel-rsvp").click()
    expect(first.locator("#rsvp-status")).to_have_count(0, timeout=TIMEOUT_MS)
    second.reload()
    expect(second.locator("#rsvp-status")).to_have_text(en("rsvp.status.going"), timeout=TIMEOUT_MS)
    assert_english(second, "rsvp.status.going", "rsvp.cancel")
    shot(second, "rsvp", "2-promoted")
    for page in (first, second):
        page.context.close()


def _supported_by_three(idea_slug: str) -> None:
    supporters = [member_of_group(f"賛同 {number}") for number in range(3)]
    with write_session() as session:
        idea_id = session.exec(select(ProjectIdea.id).where(ProjectIdea.slug == idea_slug)).one()
        for supporter in supporters:
            actor = load_actor(session, member_id=supporter.member_id)
            support_idea(session, actor=actor, idea_id=idea_id, now=datetime.now(UTC))


def test_an_idea_becomes_an_event_in_english(app: AppHarnessProd, browser: Browser) -> None:
    title = f"Science experiments for families {uuid.uuid4().hex[:4]}"
    poster = signed_in_in_english(browser, app, member_of_group("発案 ユキ"))
    poster.locator("#ideas-link").click()
    poster.locator("#post-idea-link").click()
    expect(poster.locator("#idea-form")).to_be_visible(timeout=TIMEOUT_MS)
    assert_english(poster, "idea_form.submit")
    poster.locator("#idea-title").fill(title)
    poster.locator("#idea-description").fill("Simple experiments with things from home.")
    poster.locator("#idea-group_id").select_option(str(group_id(GROUP)))
    poster.locator("#submit-idea").click()
    expect(poster.locator("#idea-title")).to_have_text(title, timeout=TIMEOUT_MS)
    shot(poster, "idea", "1-posted")
    _supported_by_three(unquote(poster.url.rstrip("/").rsplit("/", 1)[-1]))

    reviewer = signed_in_in_english(browser, app, organiser("世話人 マコ"))
    reviewer.goto(poster.url)
    expect(reviewer.locator(".idea-status")).to_have_text(
        en("idea_status.ready"), timeout=TIMEOUT_MS
    )
    assert_english(reviewer, "idea_status.ready", "idea.convert")
    shot(reviewer, "idea", "2-ready")
    reviewer.locator("#convert-idea").click()
    expect(reviewer.locator("#event-title")).to_have_value(title, timeout=TIMEOUT_MS)
    day = (datetime.now(UTC).astimezone(ZoneInfo("Asia/Tokyo")) + timedelta(days=22)).date()
    reviewer.locator("#event-start_date").fill(day.isoformat())
    reviewer.locator("#event-end_date").fill(day.isoformat())
    reviewer.locator("#submit-proposal").click()
    expect(reviewer.locator("#event-status")).to_have_text(
        en("status.submitted"), timeout=TIMEOUT_MS
    )
    reviewer.locator("[data-move=approved]").click()
    expect(reviewer.locator("#event-status")).to_have_text(
        en("status.approved"), timeout=TIMEOUT_MS
    )
    expect(reviewer.locator("#event-idea-link")).to_contain_text(title)
    shot(reviewer, "idea", "3-event-published")
    for page in (poster, reviewer):
        page.context.close()


def test_a_member_subscribes_to_a_personal_feed_in_english(
    app: AppHarnessProd, browser: Browser
) -> None:
    page = signed_in_in_english(browser, app, create_account("暦 ジョー"))
    page.goto(url(app, "/calendar"))
    expect(page.locator("#no-feed-token")).to_be_visible(timeout=TIMEOUT_MS)
    assert_english(page, "calendar.my_title", "calendar.no_token", "calendar.create")

    page.locator("#create-feed-token").click()
    expect(page.locator("#personal-subscribe .feed-url")).to_contain_text(
        "/feeds/personal/", timeout=TIMEOUT_MS
    )
    assert_english(page, "calendar.subscribe", "calendar.rotate", "calendar.revoke")
    shot(page, "feed", "1-personal-url")
    page.context.close()


def test_an_organiser_checks_people_in_in_english(app: AppHarnessProd, browser: Browser) -> None:
    event = rsvp_event(GROUP, capacities=(5,))
    attendee = create_account("受付 ハナ")
    add_rsvp(event, attendee.member_id)
    page = signed_in_in_english(browser, app, organiser("世話人 リョウ"))
    page.goto(url(app, f"/events/{event.slug}/attendees"))
    row = page.locator(".attendee-row").filter(has_text=attendee.display_name)
    expect(row).to_contain_text(en("attendees.status.going"), timeout=TIMEOUT_MS)
    assert_english(page, "attendees.title", "attendees.download_csv", "attendees.check_in")
    shot(page, "checkin", "1-attendees")

    row.locator(".check-in").click()

    expect(row.locator(".checked-in")).to_be_visible(timeout=TIMEOUT_MS)
    assert_english(page, "attendees.checked_in")
    shot(page, "checkin", "2-checked-in")
    page.context.close()
