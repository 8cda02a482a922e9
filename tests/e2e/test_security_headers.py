"""Security headers on the running app's routes, and the production build working in
Chromium under its Content-Security-Policy (every browser test's ``page`` fixture fails
on any CSP violation; see conftest.py). Remote images in Markdown are shown as links.
"""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect
from reflex.testing import AppHarnessProd
from sqlmodel import select

from community_app.db import write_session
from community_app.domain.models import Event
from tests.e2e.conftest import CSP_VIOLATION, watch_csp_violations
from tests.e2e.support import backend_url, new_page, rsvp_event, url

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 20_000
GROUP = "wlb-night-cafe"
PAGES = ["/", "/events", "/login", "/groups", "/ideas", "/no/such/page"]
BACKEND_ROUTES = ["/health", "/feeds/events.ics", "/feeds/groups/no-such-group.ics", "/_event"]


def _assert_protected(response: httpx.Response) -> None:
    policy = response.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in policy, response.url
    assert "script-src 'self'" in policy, response.url
    assert response.headers.get("x-content-type-options") == "nosniff", response.url
    assert response.headers.get("referrer-policy"), response.url


def test_every_page_static_file_and_backend_route_carries_the_headers(
    app: AppHarnessProd,
) -> None:
    home = httpx.get(url(app, "/"), timeout=10)
    scripts = re.findall(r'src="(/assets/[^"]+\.js)"|href="(/assets/[^"]+\.js)"', home.text)
    asset = next(path for pair in scripts for path in pair if path)
    responses = [httpx.get(url(app, path), timeout=10) for path in [*PAGES, asset]]
    responses += [httpx.get(backend_url(app, path), timeout=10) for path in BACKEND_ROUTES]
    for response in responses:
        _assert_protected(response)
    assert home.headers["content-security-policy"].count("'sha256-") >= 3


def test_pages_work_under_the_policy_and_report_no_violation(
    app: AppHarnessProd, page: Page
) -> None:
    # The fixture fails the test on any violation: scripts, styles, fonts, the websocket.
    page.goto(url(app, "/events"))
    expect(page.locator(".event-card").first).to_be_visible(timeout=TIMEOUT_MS)
    page.reload()  # a 304 for the page: its stored policy (with its hashes) must stay
    expect(page.locator(".event-card").first).to_be_visible(timeout=TIMEOUT_MS)
    page.locator(".event-card").first.click()
    expect(page.locator("#event-title")).to_be_visible(timeout=TIMEOUT_MS)
    page.goto(url(app, "/login"))
    expect(page.locator("input[name=email]")).to_be_visible(timeout=TIMEOUT_MS)


def test_control_a_policy_without_the_builds_hashes_breaks_the_page(
    app: AppHarnessProd, browser: Browser
) -> None:
    """The violation watcher sees what the policy blocks: strip the inline scripts' hashes
    and the same page reports violations and never shows its events."""
    page = new_page(browser)
    violations = watch_csp_violations(page)

    def without_hashes(route: Route) -> None:
        response = route.fetch()
        headers = dict(response.headers)
        headers["content-security-policy"] = re.sub(
            r" 'sha256-[^']+'", "", headers["content-security-policy"]
        )
        route.fulfill(response=response, headers=headers)

    page.route(re.compile(r".*/events$"), without_hashes)
    with page.expect_console_message(lambda message: CSP_VIOLATION in message.text):
        page.goto(url(app, "/events"))
    assert any("inline script" in violation for violation in violations), violations
    page.context.close()


def test_a_remote_image_in_a_description_is_a_link_and_never_loads(
    app: AppHarnessProd, page: Page
) -> None:
    pixel = backend_url(app, "/pixel.png?reader=1")
    event = rsvp_event(GROUP, capacities=(None,))
    with write_session() as session:
        row = session.exec(select(Event).where(Event.id == event.event_id)).one()
        row.description = f"読んでね\n\n![追跡]({pixel})\n\n![ロゴ](/favicon.ico)\n"
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(url(app, f"/events/{event.slug}"))
    description = page.locator("#event-description")
    expect(description.locator("a.remote-image")).to_have_attribute(
        "href", pixel, timeout=TIMEOUT_MS
    )
    expect(description.locator("img")).to_have_attribute("src", "/favicon.ico")
    assert description.locator(f"img[src='{pixel}']").count() == 0
    assert not [address for address in requested if "pixel.png" in address]
