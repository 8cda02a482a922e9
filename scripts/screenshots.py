"""Take the README screenshots: `make screenshots`.

Serves the production build (Reflex's AppHarnessProd, as the browser tests do) on a
fresh SQLite database with the demo data, opens it in Debian's Chromium and writes
docs/screenshots/{home,event,review}-{desktop,phone}.png: the visible viewport only
(1280×800 on the desktop, 390×844 on a phone), so the files stay small. The review
queue is photographed as the demo site admin, who reviews every group.

    python scripts/screenshots.py            # all six
    python scripts/screenshots.py --serve    # only serve the demo site (Ctrl-C stops)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("REFLEX_TELEMETRY_ENABLED", "false")

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402
from reflex.testing import AppHarnessProd  # noqa: E402

from tests.chromium import CHROMIUM_FLAGS  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
FEATURED_EVENT = "NPOの仕事を知る勉強会 #4 〜子ども食堂の現場から〜"
REVIEWER = "admin@tsudoi.example"
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 1,
        "is_mobile": True,
        "has_touch": True,
    },
}
TIMEOUT_MS = 30_000


def _reset_configuration() -> None:
    from community_app.db import get_engine
    from community_app.settings import get_settings

    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()


@contextmanager
def demo_site() -> Iterator[AppHarnessProd]:
    """The production app on a new SQLite file with the demo data (real demo password)."""
    from community_app.cli import migrate
    from community_app.db import write_session
    from community_app.domain.demo import seed_demo

    with tempfile.TemporaryDirectory(prefix="tsudoi-screenshots-") as folder:
        os.environ.update(
            DATABASE_URL=f"sqlite:///{Path(folder) / 'community.db'}",
            APP_ENV="development",
            SEND_WEBHOOKS="false",
            FETCH_CALENDARS="false",
        )
        _reset_configuration()
        migrate()
        with write_session() as session:
            seed_demo(session, now=datetime.now(UTC))
        with AppHarnessProd.create(root=ROOT, app_name="community_app") as harness:
            yield harness


def _url(app: AppHarnessProd, path: str) -> str:
    assert app.frontend_url is not None
    return app.frontend_url.rstrip("/") + quote(path, safe="/?=&")


def featured_event_slug() -> str:
    from sqlmodel import select

    from community_app.db import read_session
    from community_app.domain.models import Event

    with read_session() as session:
        return session.exec(select(Event.slug).where(Event.title == FEATURED_EVENT)).one()


def _log_in(page: Page, app: AppHarnessProd, email: str) -> None:
    from community_app.domain.demo import DEMO_PASSWORD

    page.goto(_url(app, "/login"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("#account-link")).to_be_attached(timeout=TIMEOUT_MS)


def _settle(page: Page) -> None:
    """Wait for the loaded data to render, then for fonts and the last layout shift."""
    page.wait_for_load_state("networkidle")
    page.evaluate("() => document.fonts.ready")
    page.wait_for_timeout(500)


def _shoot(page: Page, name: str) -> Path:
    path = OUT / f"{name}.png"
    page.screenshot(path=str(path))  # the viewport: small files
    return path


def take_screenshots(app: AppHarnessProd, browser: Browser) -> list[Path]:
    written = []
    event_path = f"/events/{featured_event_slug()}"
    for device, options in VIEWPORTS.items():
        context = browser.new_context(locale="ja-JP", **options)  # type: ignore[arg-type]
        page = context.new_page()
        page.goto(_url(app, "/"))
        expect(page.locator(".event-card").first).to_be_visible(timeout=TIMEOUT_MS)
        _settle(page)
        written.append(_shoot(page, f"home-{device}"))

        page.goto(_url(app, event_path))
        expect(page.locator("#event-title")).to_have_text(FEATURED_EVENT, timeout=TIMEOUT_MS)
        _settle(page)
        written.append(_shoot(page, f"event-{device}"))

        _log_in(page, app, REVIEWER)
        page.goto(_url(app, "/review"))
        expect(page.locator(".proposal-row").first).to_be_visible(timeout=TIMEOUT_MS)
        _settle(page)
        written.append(_shoot(page, f"review-{device}"))
        context.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", action="store_true", help="only serve the demo site")
    arguments = parser.parse_args()
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with demo_site() as app:
        if arguments.serve:
            print(f"serving {app.frontend_url} (Ctrl-C stops)", flush=True)
            while True:
                time.sleep(3600)
        OUT.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            for path in take_screenshots(app, browser):
                print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KiB")
            browser.close()


if __name__ == "__main__":
    main()
