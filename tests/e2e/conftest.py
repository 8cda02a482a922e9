"""Browser tests: the production build served by AppHarnessProd, driven by Playwright.

They run in their own pytest process (``make test`` does this), because Playwright's
sync API and the harness each want an event loop. Debian's Chromium is used; no
browser is ever downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from reflex.testing import AppHarnessProd
from starlette.types import ASGIApp

from community_app.security_headers import SecurityHeaders, websocket_origins
from community_app.settings import PROJECT_ROOT, get_settings
from tests.chromium import CHROMIUM_FLAGS
from tests.conftest import reset_configuration
from tests.e2e.shared_build import SharedBuildHarness

ARTIFACTS = PROJECT_ROOT / "test-artifacts"


def journey_shot(page: Page, language: str, name: str) -> None:
    """A step of a journey, kept in test-artifacts/journeys/<language>/<name>.png."""
    folder = ARTIFACTS / "journeys" / language
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"Chromium not found at {path}: run `make test`, which installs it")
    return path


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated SQLite file with the demo data, used by the app under test."""
    from community_app.cli import migrate
    from community_app.db import write_session
    from community_app.domain.demo import seed_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'community.db'}"
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    reset_configuration()
    migrate()
    with write_session() as session:
        seed_demo(session, now=datetime.now(UTC), password_hash="not-used-in-these-tests")
    yield url
    reset_configuration()
    if previous is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = previous


class HeadersHarness(SharedBuildHarness):
    """The harness serves the built pages from a server of its own (not through the
    app's middleware, as the one-port production server does): it gets the same
    security headers here, allowed to reach the backend's port (one port in production:
    'self' covers it there), so every browser test
    runs under the production Content-Security-Policy."""

    def _wrap_frontend(self, app: ASGIApp) -> ASGIApp:
        assert self.backend is not None  # started (and listening) before the frontend
        host, port = self.backend.servers[0].sockets[0].getsockname()[:2]
        backend = f"http://{host}:{port}"
        return SecurityHeaders(
            app,
            site_url=get_settings().site_url,
            connect_sources=[backend, *websocket_origins(backend)],
            form_sources=[backend],  # log-in and log-out post a form to /auth on it
        )


CSP_VIOLATION = "Content Security Policy"


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder shared by the xdist workers of this run (this process's own without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-build"


@pytest.fixture(scope="session")
def app(demo_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppHarnessProd]:
    """The production build served with this process's own backend and database; one
    build a run, shared by the xdist workers (tests/e2e/shared_build.py)."""
    # The app under test queues webhooks but never sends them: tests talk to loopback only.
    os.environ["SEND_WEBHOOKS"] = "false"
    os.environ["FETCH_CALENDARS"] = "false"
    reset_configuration()
    folder = run_folder(tmp_path_factory)
    with HeadersHarness.for_run(PROJECT_ROOT, "community_app", folder) as harness:
        yield harness


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="ja-JP")
    page = context.new_page()
    violations = watch_csp_violations(page)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not violations, f"the page broke its Content-Security-Policy: {violations}"


def watch_csp_violations(page: Page) -> list[str]:
    """Chromium's console reports of anything the Content-Security-Policy blocked."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if CSP_VIOLATION in message.text else None,
    )
    return violations


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe.min.js, installed from the npm registry when missing (a no-op otherwise)."""
    done = subprocess.run(
        [str(PROJECT_ROOT / "scripts" / "ensure-axe.sh")],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"could not install axe-core: {done.stderr.strip()}")
    return Path(done.stdout.strip())
