"""Every page passes axe-core with no serious or critical violation, whoever looks at it.

A visitor, a member, an organiser and a site admin each load every registered page (all
static routes, an event, its edit form, a group, an idea; the organiser also the
attendee and check-in pages of their event). axe-core, the npm package installed by
``scripts/ensure-axe.sh``, is injected into each page and run on the whole document.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from reflex.testing import AppHarnessProd
from sqlmodel import col, select

from community_app.db import read_session, write_session
from community_app.domain.enums import IdeaStatus
from community_app.domain.members import create_member
from community_app.domain.models import ProjectIdea
from community_app.domain.passwords import hash_password
from tests.e2e.support import (
    PASSWORD,
    TIMEOUT_MS,
    Account,
    Capture,
    add_rsvp,
    create_account,
    log_in,
    new_page,
    rsvp_event,
)
from tests.e2e.test_exposure import static_routes

pytestmark = pytest.mark.e2e

ORGANISED_GROUP = "kiryu-after-school"
BLOCKING = ("serious", "critical")

# Runs axe on the document; returns the serious and critical violations as plain data.
_RUN_AXE = """async (blocking) => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations
    .filter((v) => blocking.includes(v.impact))
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => {
        const data = (n.any[0] || {}).data || {};  // colour-contrast: the colours found
        const colours = data.contrastRatio
          ? ` (${data.fgColor} on ${data.bgColor}: ${data.contrastRatio})` : "";
        return n.target.join(" ") + colours;
      }),
    }));
}"""


@dataclass(frozen=True)
class Subjects:
    """The pages with a parameter that are checked, one of each kind."""

    event_slug: str
    group_slug: str
    idea_slug: str


def first_open_idea_slug() -> str:
    with read_session() as session:
        idea_slug = session.exec(
            select(ProjectIdea.slug)
            .where(ProjectIdea.status == IdeaStatus.OPEN)
            .order_by(col(ProjectIdea.id))
        ).first()
    if idea_slug is None:
        pytest.fail("the demo data has no open idea")
    return idea_slug


@pytest.fixture(scope="module")
def subjects(app: AppHarnessProd) -> Subjects:
    event = rsvp_event(ORGANISED_GROUP, capacities=(1, None))
    add_rsvp(event, create_account("参加 太郎").member_id)  # the attendee list is not empty
    add_rsvp(event, create_account("待機 次郎").member_id, status="waitlisted")
    return Subjects(event.slug, ORGANISED_GROUP, first_open_idea_slug())


def routes_for(subjects: Subjects, *, organiser: bool) -> list[str]:
    event = f"/events/{subjects.event_slug}"
    return [
        *static_routes(),
        "/events?view=month",
        event,
        f"{event}/edit",
        f"/groups/{subjects.group_slug}",
        f"/ideas/{subjects.idea_slug}",
        *([f"{event}/attendees", f"{event}/checkin"] if organiser else []),
    ]


def admin_account() -> Account:
    email = f"a11y.admin.{uuid.uuid4().hex[:10]}@example.org"
    with write_session() as session:
        member = create_member(
            session,
            email=email,
            display_name="管理 一子",
            is_admin=True,
            password_hash=hash_password(PASSWORD),
            now=datetime.now(UTC),
        )
        assert member.id is not None
        return Account(member.id, email, "管理 一子")


ACCOUNTS = {
    "visitor": lambda: None,
    "member": lambda: create_account("一般 花子"),
    "organiser": lambda: create_account("世話人 次郎", organiser_of=ORGANISED_GROUP),
    "admin": admin_account,
}


def serious_violations(page: Page, axe_script: Path) -> list[str]:
    """The serious and critical axe violations of the page as it is now, one a line."""
    # Run through the DevTools protocol: a <script> element of ours would be refused by
    # the page's Content-Security-Policy, like any script the app did not ship.
    page.evaluate("() => {\n" + axe_script.read_text() + "\n}")
    found = page.evaluate(_RUN_AXE, list(BLOCKING))
    return [f"{v['id']} ({v['impact']}: {v['help']}) at {'; '.join(v['targets'])}" for v in found]


@pytest.fixture(scope="module", params=list(ACCOUNTS))
def role_page(
    request: pytest.FixtureRequest, app: AppHarnessProd, browser: Browser
) -> Iterator[tuple[str, Capture]]:
    """One browser context per role, logged in (except the visitor's)."""
    capture = Capture(new_page(browser), app)
    account = ACCOUNTS[request.param]()
    if account is not None:
        log_in(capture, account)
    yield request.param, capture
    capture.page.context.close()


def test_every_page_has_no_serious_or_critical_violation(
    role_page: tuple[str, Capture], subjects: Subjects, axe_script: Path
) -> None:
    role, capture = role_page
    problems = []
    for route in routes_for(subjects, organiser=role == "organiser"):
        capture.visit(route)
        capture.page.wait_for_timeout(150)  # let the loaded data render
        problems += [f"{route}: {line}" for line in serious_violations(capture.page, axe_script)]

    assert problems == [], f"{role}: {len(problems)} violations\n" + "\n".join(problems)


@pytest.fixture(scope="module")
def visitor(app: AppHarnessProd, browser: Browser) -> Iterator[Capture]:
    capture = Capture(new_page(browser), app)
    yield capture
    capture.page.context.close()


def test_the_check_finds_an_unlabelled_control(visitor: Capture, axe_script: Path) -> None:
    """A negative control: the same check fails on a page with a nameless text box."""
    visitor.visit("/")
    visitor.page.evaluate(
        "() => document.querySelector('main').append(document.createElement('input'))"
    )

    assert any(line.startswith("label ") for line in serious_violations(visitor.page, axe_script))


def test_the_first_tab_stop_skips_to_the_main_content(visitor: Capture) -> None:
    visitor.visit("/events")

    visitor.page.keyboard.press("Tab")

    focused = visitor.page.evaluate(
        "() => [document.activeElement.className, document.activeElement.hash]"
    )
    assert focused == ["skip-link", "#main"]
    visitor.page.keyboard.press("Enter")
    assert visitor.page.evaluate("() => document.activeElement.id") == "main"


def test_a_refused_login_is_announced_and_the_page_stays_accessible(
    visitor: Capture, axe_script: Path
) -> None:
    page = visitor.page
    visitor.visit("/login")
    page.locator("#email").fill("nobody@example.org")
    page.locator("#password").fill("not-the-password")

    page.locator("#login-form button[type=submit]").click()

    alert = page.locator(".form-error[role=alert]")
    expect(alert).to_contain_text("パスワードが正しくありません", timeout=TIMEOUT_MS)
    assert serious_violations(page, axe_script) == []


def test_a_refused_sign_up_names_the_field_and_the_page_stays_accessible(
    visitor: Capture, axe_script: Path
) -> None:
    page = visitor.page
    visitor.visit("/signup")
    page.locator("#email").fill("not-an-address")
    page.locator("#display_name").fill("山田 花")
    page.locator("#password").fill("long-enough-2026")
    # The browser's own check would stop a malformed address before the server sees it.
    page.locator("#email").evaluate("input => { input.type = 'text' }")

    page.locator("#signup-form button[type=submit]").click()

    message = page.locator("#email-error[role=alert]")
    expect(message).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#email")).to_have_attribute("aria-describedby", "email-error")
    expect(page.locator("#email")).to_be_focused()
    expect(page.locator("#display_name")).to_have_value("山田 花")
    assert serious_violations(page, axe_script) == []
