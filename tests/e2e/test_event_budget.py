"""What a real page sends over the websocket, measured in Chromium: the per-connection
event budget (``ui/socket_guard.py``) must never cut normal use, fast typing included.

An organiser loads pages and types fast into the cancel reason, a text area that sends
an event for every change. The test counts the events the page sent (websocket
frames) and checks that none was dropped: the text reached the server whole and no
"too many actions" toast appeared. It prints what it measured.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, WebSocket, expect
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
    box = page.locator("#move-reason")
    typing = _measure(page, sent, lambda: box.press_sequentially(REASON, delay=KEY_DELAY_MS))

    expect(box).to_have_value(REASON, timeout=TIMEOUT_MS)
    page.locator("[data-move=cancelled]").click()
    expect(page.get_by_text("このイベントは中止になりました")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text("操作が速すぎる")).to_have_count(0)
    with read_session() as session:  # every keystroke's event reached the server
        cancelled = session.get(Event, event_id)
        assert cancelled is not None and cancelled.status_reason == REASON
    seconds = len(REASON) * KEY_DELAY_MS / 1000
    print(
        f"\nevents per page load: {loads}; typing {len(REASON)} characters in ~{seconds:.0f} s"
        f" sent {typing} events (~{typing / seconds:.1f}/s); budget {EVENT_BURST} at once,"
        f" {EVENTS_PER_SECOND:.0f}/s"
    )
    assert 1 <= max(loads.values()) < EVENT_BURST // 4
    page.context.close()


def _visit(page: Page, app: AppHarnessProd, path: str) -> None:
    page.goto(url(app, path))
    expect(page.locator("#account-link")).to_be_visible(timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
