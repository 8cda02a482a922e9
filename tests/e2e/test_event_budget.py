"""What a real page sends over the websocket, measured in Chromium: the per-connection
event budget (``ui/socket_guard.py``) must never cut normal use, fast typing included.

An organiser loads pages, clicks a button as fast as Playwright can and types fast into
the cancel reason (a text area whose changes the frontend sends debounced). The test
counts the events the page sent (websocket frames, the boot event in the CONNECT
packet included) and checks that none was dropped: every click was sent, the text
reached the server whole and no "too many actions" toast appeared. It prints what it
measured (a page load: one event; typing: a handful).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Locator, Page, WebSocket, expect
from reflex.testing import AppHarnessProd

from community_app.db import read_session
from community_app.domain.models import Event
from community_app.ui.socket_guard import EVENT_BURST, EVENTS_PER_SECOND
from tests.e2e.support import TIMEOUT_MS, Capture, create_account, log_in, new_page, url
from tests.e2e.test_event_management import GROUP, _event

pytestmark = pytest.mark.e2e

REASON = (
    "会場の都合により、今回は中止とさせていただきます。ご参加予定の皆さま、申し訳ありません。" * 3
)
KEY_DELAY_MS = 40  # 25 keys a second: faster than anyone types for long
FRANTIC_CLICKS = 30  # on one button, as fast as Playwright clicks


class SentEvents:
    """The names of the events the page sends, in order."""

    def __init__(self, page: Page) -> None:
        self.names: list[str] = []
        page.on("websocket", self._watch)

    def _watch(self, socket: WebSocket) -> None:
        socket.on("framesent", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        text = payload if isinstance(payload, str) else payload.decode(errors="replace")
        if text.startswith("40"):  # CONNECT: a page load's boot event rides in it
            boot = json.loads(text[text.find("{") :]).get("event", {})
            self.names.append(str(boot.get("name", "")))
        elif text.startswith("42"):
            message = json.loads(text[text.find("[") :])
            if message[0] == "event" and isinstance(message[1], dict):
                self.names.append(str(message[1].get("name", "")))

    def since(self, mark: int) -> list[str]:
        return self.names[mark:]


def _measure(page: Page, sent: SentEvents, action: Callable[[], None]) -> int:
    mark = len(sent.names)
    action()
    return len(sent.since(mark))


def test_loading_pages_and_typing_fast_stay_within_the_budget(
    app: AppHarnessProd, browser: Browser
) -> None:
    event_id, slug = _event()
    page = new_page(browser)
    sent = SentEvents(page)
    log_in(Capture(page, app), create_account("計測 世話人", organiser_of=GROUP))

    loads = {
        path: _measure(page, sent, lambda path=path: _visit(page, app, path))
        for path in ("/", "/events", f"/events/{slug}")
    }
    page.locator("#cancel-toggle").click()
    canned = page.get_by_role("button", name="会場の都合により中止します。")
    clicks = _measure(page, sent, lambda: _click_times(canned, FRANTIC_CLICKS))
    box = page.locator("#move-reason")
    expect(box).to_have_value("会場の都合により中止します。", timeout=TIMEOUT_MS)
    too_fast = page.get_by_text("操作が速すぎる")
    expect(too_fast).to_have_count(0)  # a dropped event would have shown it (for seconds)
    box.fill("")

    def type_and_cancel() -> None:
        box.press_sequentially(REASON, delay=KEY_DELAY_MS)
        expect(box).to_have_value(REASON, timeout=TIMEOUT_MS)
        page.locator("[data-move=cancelled]").click()
        expect(page.get_by_text("このイベントは中止になりました")).to_be_visible(timeout=TIMEOUT_MS)

    typing = _measure(page, sent, type_and_cancel)

    expect(too_fast).to_have_count(0)
    with read_session() as session:  # every keystroke's text reached the server
        cancelled = session.get(Event, event_id)
        assert cancelled is not None and cancelled.status_reason == REASON
    print(
        f"\nevents per page load: {loads}; {FRANTIC_CLICKS} quick clicks sent {clicks};"
        f" typing {len(REASON)} characters at {1000 // KEY_DELAY_MS}/s and cancelling sent"
        f" {typing}; budget {EVENT_BURST} at once, {EVENTS_PER_SECOND:.0f}/s"
    )
    assert clicks == FRANTIC_CLICKS  # each click is an event, and none was dropped
    assert 1 <= max(loads.values()) < EVENT_BURST // 4
    page.context.close()


def _visit(page: Page, app: AppHarnessProd, path: str) -> None:
    page.goto(url(app, path))
    expect(page.locator("#account-link")).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")


def _click_times(button: Locator, times: int) -> None:
    for _ in range(times):
        button.click()
