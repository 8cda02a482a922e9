"""Every page fits a 360 px wide phone, and the header's menu works there.

A visitor, a member and an organiser load every registered page (the routes of the
accessibility test, with an event whose title, summary, description, tier and join link
are long unbroken Japanese text and URLs) in a 360×740 touch viewport. A phone browser
zooms out to show a page that is too wide, which widens ``window.innerWidth`` too, so
the check compares the document's width with the 360 px the phone has. A screenshot of
each page lands in test-artifacts/phone/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from reflex.testing import AppHarnessProd

from community_app.db import write_session
from community_app.domain.enums import EventFormat
from community_app.domain.models import Event, ParticipationTier
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.support import TIMEOUT_MS, Capture, add_rsvp, create_account, log_in, rsvp_event
from tests.e2e.test_accessibility import ORGANISED_GROUP, Subjects, first_open_idea_slug, routes_for

pytestmark = pytest.mark.e2e

PHONE: dict[str, Any] = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "locale": "ja-JP",
}
WIDTH = PHONE["viewport"]["width"]
SHOTS = ARTIFACTS / "phone"
LONG_TITLE = "改行できる空白がひとつもないとても長い日本語タイトルの勉強会第百二十三回特別企画"
LONG_URL = "https://example.com/" + "a-long-path-segment-without-breaks/" * 4 + "?q=" + "x" * 60
# The join URL is a secret (test_exposure.py looks for it in every page a visitor gets):
# as long, but never the same text as the public fields, whichever test runs first.
LONG_JOIN_URL = "https://meet.example.com/" + "a-long-join-segment-without-breaks/" * 4 + "x" * 40
LONG_DESCRIPTION = f"""資料はこちら: {LONG_URL}

| 時間 | 内容 | 担当 | 資料 |
|---|---|---|---|
| 19:00 | {"あ" * 40} | {"い" * 20} | {LONG_URL} |

```
{"preformatted-text-without-spaces-" * 6}
```
"""

# The document's width, the layout viewport's, and the widest elements that are not
# inside a scrolling box (to say which element is too wide).
_MEASURE = """(limit) => {
  const clipped = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > limit + 0.5 && !clipped(el))
    .slice(0, 3)
    .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 40)}`);
  return [document.documentElement.scrollWidth, window.innerWidth, wide];
}"""


@pytest.fixture(scope="module")
def subjects(app: AppHarnessProd) -> Subjects:
    """The accessibility test's pages, with long content on the event."""
    event = rsvp_event(ORGANISED_GROUP, capacities=(1, None))
    add_rsvp(event, create_account("参加 とても長いお名前の参加者さん").member_id)
    with write_session() as session:
        row = session.get(Event, event.event_id)
        assert row is not None
        row.title, row.summary = LONG_TITLE, "概要" + "あ" * 60 + LONG_URL
        row.description, row.join_url = LONG_DESCRIPTION, LONG_JOIN_URL
        row.format, row.venue_address = EventFormat.HYBRID, LONG_URL
        row.venue_name = "会場" + "う" * 50
        tier = session.get(ParticipationTier, event.tier_ids[0])
        assert tier is not None
        tier.name = "参加枠" + "え" * 40
    return Subjects(event.slug, ORGANISED_GROUP, first_open_idea_slug())


def _screenshot_name(role: str, route: str) -> str:
    name = re.sub(r"[^\w-]+", "_", route).strip("_") or "home"
    return f"{role}-{name}.png"


def measure(page: Page) -> tuple[int, int, list[str]]:
    document_width, viewport_width, wide = page.evaluate(_MEASURE, WIDTH)
    return document_width, viewport_width, wide


ACCOUNTS = {
    "visitor": lambda: None,
    "member": lambda: create_account("一般 花子"),
    "organiser": lambda: create_account(
        "世話人 とても長いお名前の世話人さん", organiser_of=ORGANISED_GROUP
    ),
}


@pytest.fixture(scope="module", params=list(ACCOUNTS))
def phone(
    request: pytest.FixtureRequest, app: AppHarnessProd, browser: Browser
) -> Iterator[tuple[str, Capture]]:
    capture = Capture(browser.new_context(**PHONE).new_page(), app)
    account = ACCOUNTS[request.param]()
    if account is not None:
        log_in(capture, account)
    yield request.param, capture
    capture.page.context.close()


def test_every_page_fits_a_360_px_phone(phone: tuple[str, Capture], subjects: Subjects) -> None:
    role, capture = phone
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for route in routes_for(subjects, organiser=role == "organiser"):
        capture.visit(route)
        capture.page.wait_for_timeout(150)  # let the loaded data render
        capture.page.screenshot(path=str(SHOTS / _screenshot_name(role, route)))
        document_width, viewport_width, wide = measure(capture.page)
        if document_width > WIDTH or viewport_width != WIDTH:
            problems.append(f"{route}: {document_width} px wide ({', '.join(wide)})")

    assert problems == [], f"{role}:\n" + "\n".join(problems)


def test_the_check_finds_a_page_that_is_too_wide(phone: tuple[str, Capture]) -> None:
    """A negative control: the same measurement fails when one element is too wide."""
    _role, capture = phone
    capture.visit("/")
    capture.page.evaluate(
        """() => { const wide = document.createElement("div");
                   wide.style.cssText = "width: 500px; height: 10px"; wide.className = "too-wide";
                   document.querySelector("main").append(wide); }"""
    )

    document_width, _viewport_width, wide = measure(capture.page)

    assert document_width > WIDTH and "div.too-wide" in wide


def test_the_phone_header_folds_the_links_into_a_menu_and_keeps_bell_and_language(
    app: AppHarnessProd, browser: Browser
) -> None:
    capture = Capture(browser.new_context(**PHONE).new_page(), app)
    page = capture.page
    log_in(capture, create_account("電話 さくら"))
    capture.visit("/")
    for always_there in ("#notifications-link", "#locale-toggle", "#account-link"):
        expect(page.locator(always_there)).to_be_in_viewport()
    expect(page.locator("#ideas-link")).to_be_hidden()
    menu = page.locator("#menu-button")
    expect(menu).to_have_attribute("aria-expanded", "false")

    menu.tap()

    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#ideas-link")).to_be_in_viewport()
    page.locator("#ideas-link").tap()
    expect(page).to_have_url(re.compile(r"/ideas$"), timeout=TIMEOUT_MS)
    expect(page.locator("#ideas-link")).to_be_hidden()  # a new page starts with it closed
    page.locator("#locale-toggle").tap()
    expect(menu).to_have_attribute("aria-label", "Menu", timeout=TIMEOUT_MS)
    page.context.close()


def test_a_wide_screen_shows_the_links_and_no_menu_button(app: AppHarnessProd, page: Page) -> None:
    Capture(page, app).visit("/")

    expect(page.locator("#ideas-link")).to_be_visible()
    expect(page.locator("#menu-button")).to_be_hidden()
