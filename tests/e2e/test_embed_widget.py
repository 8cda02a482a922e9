"""The events widget in a browser, framed by a page of another site (another loopback
port), as a town's homepage would show it; and the group page's copy-paste snippet."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, expect
from reflex.testing import AppHarnessProd
from sqlmodel import col, func, select

from community_app.db import read_session
from community_app.domain.models import Event, Group
from community_app.settings import get_settings
from tests.e2e.support import TIMEOUT_MS, Capture, backend_url, new_page

pytestmark = pytest.mark.e2e


def _busiest_group() -> tuple[str, str, str, int]:
    """(slug, name, English name, upcoming published events) of the group with the most."""
    with read_session() as session:
        row = session.exec(
            select(Group.slug, Group.name, Group.name_en, func.count(col(Event.id)))
            .join(Event, col(Event.group_id) == col(Group.id))
            .where(col(Event.published_at).is_not(None), col(Event.ends_at) > datetime.now(UTC))
            .group_by(col(Group.id))
            .order_by(func.count(col(Event.id)).desc())
        ).first()
    assert row is not None
    return row


@pytest.fixture
def other_site(app: AppHarnessProd) -> Iterator[tuple[str, str]]:
    """A page on another origin (its own port) that frames the widget: (its URL, the
    widget's URL)."""
    slug = _busiest_group()[0]
    widget = backend_url(app, f"/embed/groups/{quote(slug)}?lang=en&theme=dark")
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Town hall</title>"
        "</head><body><h1>Town hall</h1>"
        f"<iframe id='tsudoi' src='{widget}' width='480' height='420' title='Events'></iframe>"
        "</body></html>"
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", widget
    server.shutdown()
    server.server_close()


def test_another_site_frames_the_widget_of_a_group(
    app: AppHarnessProd, browser: Browser, other_site: tuple[str, str]
) -> None:
    host_url, widget_url = other_site
    _slug, name, name_en, upcoming = _busiest_group()
    page = new_page(browser)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "frame" in m.text.lower() else None)

    page.goto(host_url)
    frame = page.frame_locator("#tsudoi")

    assert host_url.split("/")[2] != widget_url.split("/")[2]  # another origin
    expect(frame.locator("h1")).to_have_text(
        f"Upcoming events of {name_en or name}", timeout=TIMEOUT_MS
    )
    expect(frame.locator("li")).to_have_count(min(upcoming, 5))
    link = frame.locator("li a").first
    assert (link.get_attribute("href") or "").startswith("http")
    background = frame.locator("body").evaluate("b => getComputedStyle(b).backgroundColor")
    assert background == "rgb(27, 26, 24)"  # the dark theme
    assert refused == []


def test_the_group_page_offers_the_snippet_to_copy(app: AppHarnessProd, browser: Browser) -> None:
    slug = _busiest_group()[0]
    page = new_page(browser)
    Capture(page, app).visit(f"/groups/{quote(slug)}")

    snippet = page.locator("#embed-snippet")

    src = f"{get_settings().site_url}/embed/groups/{quote(slug, safe='')}?lang=ja&amp;theme=light"
    expect(snippet).to_have_value(
        f'<iframe src="{src}"'
        ' title="Tsudoi" width="100%" height="420" style="border:0;max-width:480px"'
        ' loading="lazy"></iframe>',
        timeout=TIMEOUT_MS,
    )
