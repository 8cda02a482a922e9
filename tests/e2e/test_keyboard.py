"""Keyboard-only journeys: nothing is clicked, every step is Tab, Shift+Tab, Enter or Space.

A member logs in, opens an event from the home page, RSVPs and cancels; an organiser
logs in, goes to the review queue, opens a proposal and approves it. Every element the
focus lands on on the way must be on screen with a visible focus ring.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from reflex.testing import AppHarnessProd

from community_app.db import write_session
from community_app.domain.enums import EventStatus
from community_app.domain.models import Event
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.support import TIMEOUT_MS, Account, Capture, create_account, new_page, rsvp_event

pytestmark = pytest.mark.e2e

GROUP = "hikaridai-otagaisama"
MAX_STOPS = 120  # Tab presses allowed to reach one element

# What the focused element looks like: where it is, and whether it shows an outline. A
# text field's ring is drawn by its Radix wrapper, a checkbox's by its ::before.
_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.getBoundingClientRect();
  const outlined = (style) => style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const field = ["INPUT", "TEXTAREA"].includes(el.tagName);
  const ring = outlined(getComputedStyle(el)) || outlined(getComputedStyle(el, "::before"))
    || (field && [el.parentElement, el.parentElement?.parentElement]
      .some((node) => node && outlined(getComputedStyle(node))));
  const onScreen = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
    && box.top < window.innerHeight && box.left < window.innerWidth;
  const label = el.innerText || el.getAttribute("aria-label") || "";
  const name = (el.id ? "#" + el.id + " " : "") + label;
  return { tag: el.tagName.toLowerCase(), name: name.trim().slice(0, 40), ring, onScreen };
}"""


def focus_problem(page: Page) -> str | None:
    """Why the focused element is not visibly focused, or None when it is."""
    focused = page.evaluate(_FOCUS)
    if focused is None:
        return None  # nothing focused (e.g. between the page and the browser's UI)
    if not focused["onScreen"]:
        return f"{focused['tag']} {focused['name']!r} has the focus off screen"
    if not focused["ring"]:
        return f"{focused['tag']} {focused['name']!r} has no visible focus ring"
    return None


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab (then Shift+Tab, if the target lies behind) until ``target`` has the
    focus, checking every element the focus passes on the way."""
    target.wait_for(state="visible", timeout=TIMEOUT_MS)
    for key in ("Tab", "Shift+Tab"):
        for _ in range(MAX_STOPS):
            page.keyboard.press(key)
            problem = focus_problem(page)
            assert problem is None, problem
            if target.evaluate("(el) => el === document.activeElement"):
                return
    raise AssertionError(f"{target} cannot be reached with the keyboard")


def log_in_by_keyboard(capture: Capture, account: Account) -> None:
    page = capture.page
    capture.visit("/login")
    tab_to(page, page.locator("#email"))
    page.keyboard.type(account.email)
    page.keyboard.press("Tab")
    expect(page.locator("#password")).to_be_focused()
    page.keyboard.type(account.password)
    page.keyboard.press("Enter")
    expect(page.locator("#account-link")).to_have_text(account.display_name, timeout=TIMEOUT_MS)


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"keyboard-{name}.png"))


def _soon_event(title: str) -> str:
    """A published event with room, starting in an hour: first on the home page."""
    event = rsvp_event(GROUP, capacities=(5,))
    with write_session() as session:
        row = session.get(Event, event.event_id)
        assert row is not None
        row.title = title
        row.starts_at = datetime.now(UTC) + timedelta(hours=1)
        row.ends_at = row.starts_at + timedelta(hours=2)
    return event.slug


def _proposal(title: str) -> None:
    event = rsvp_event(GROUP)
    with write_session() as session:
        row = session.get(Event, event.event_id)
        assert row is not None
        row.title, row.status, row.published_at = title, EventStatus.SUBMITTED, None


def test_a_member_logs_in_opens_an_event_rsvps_and_cancels_with_the_keyboard(
    app: AppHarnessProd, browser: Browser
) -> None:
    title = f"キーボードで参加する会 {uuid.uuid4().hex[:4]}"
    _soon_event(title)
    capture = Capture(new_page(browser), app)
    page = capture.page

    log_in_by_keyboard(capture, create_account("鍵盤 ひかり"))
    tab_to(page, page.get_by_role("link", name=title))
    page.keyboard.press("Enter")
    expect(page.locator("#event-title")).to_have_text(title, timeout=TIMEOUT_MS)

    tab_to(page, page.locator(".rsvp-button"))
    page.keyboard.press("Enter")
    expect(page.locator("#rsvp-status")).to_have_text("参加が確定しています", timeout=TIMEOUT_MS)
    _shot(page, "member-going")

    tab_to(page, page.locator("#cancel-rsvp"))
    page.keyboard.press("Space")
    expect(page.locator("#rsvp-status")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.locator(".rsvp-button")).to_be_visible()
    page.context.close()


def test_an_organiser_approves_a_proposal_from_the_review_queue_with_the_keyboard(
    app: AppHarnessProd, browser: Browser
) -> None:
    title = f"キーボードで承認する提案 {uuid.uuid4().hex[:4]}"
    _proposal(title)
    capture = Capture(new_page(browser), app)
    page = capture.page

    log_in_by_keyboard(capture, create_account("鍵盤 世話人", organiser_of=GROUP))
    tab_to(page, page.locator("#review-link"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name=title))
    _shot(page, "organiser-review-queue")
    page.keyboard.press("Enter")
    expect(page.locator("#event-status")).to_have_text("レビュー待ち", timeout=TIMEOUT_MS)

    tab_to(page, page.locator("[data-move=approved]"))
    page.keyboard.press("Enter")

    expect(page.locator("#event-status")).to_have_text("公開中", timeout=TIMEOUT_MS)
    _shot(page, "organiser-approved")
    page.context.close()


def test_the_focus_check_finds_an_element_without_a_focus_ring(
    app: AppHarnessProd, browser: Browser
) -> None:
    """A negative control: a link whose outline is removed fails the check."""
    capture = Capture(new_page(browser), app)
    page = capture.page
    capture.visit("/")
    page.add_style_tag(content="#all-events-link:focus-visible { outline: none !important; }")

    with pytest.raises(AssertionError, match="no visible focus ring"):
        tab_to(page, page.locator("#all-events-link"))
    page.context.close()
