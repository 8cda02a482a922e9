"""An organiser adds a webhook on the group page, sees its secret once, and removes it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from reflex.testing import AppHarnessProd
from sqlmodel import select

from community_app.db import read_session
from community_app.domain.models import Webhook
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.support import TIMEOUT_MS, Capture, create_account, group_id, log_in, new_page

pytestmark = pytest.mark.e2e

GROUP = "wlb-night-cafe"
HOOK = "https://hooks.slack.com/services/T0E2E/B0E2E/e2eSecretPathToken123"


def _stored_secrets() -> list[str]:
    with read_session() as session:
        return list(
            session.exec(
                select(Webhook.signing_secret).where(Webhook.group_id == group_id(GROUP))
            ).all()
        )


def test_an_organiser_adds_a_webhook_sees_the_secret_once_and_removes_it(
    app: AppHarnessProd, browser: Browser
) -> None:
    page = new_page(browser)
    capture = Capture(page, app)
    log_in(capture, create_account("連携 世話人", organiser_of=GROUP))
    capture.visit(f"/groups/{GROUP}")
    section = page.locator("#group-webhooks")
    expect(section).to_contain_text("登録されている Webhook はありません", timeout=TIMEOUT_MS)

    # A private address is refused with a clear message, and nothing is stored.
    page.locator("#webhook-url").fill("http://192.168.0.10/hook")
    page.locator("#add-webhook").click()
    expect(section.locator(".form-error")).to_contain_text("この URL には送信できません")
    assert _stored_secrets() == []

    page.locator("#webhook-url").fill(HOOK)
    page.locator("#add-webhook").click()
    secret_box = page.locator("#webhook-secret")
    expect(secret_box).to_be_visible(timeout=TIMEOUT_MS)
    [stored] = _stored_secrets()
    expect(secret_box).to_have_text(stored)
    expect(section.locator(".webhook-target")).to_have_text(
        "hooks.slack.com/services/T0E2E/B0E2E/e2eS…"
    )

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "group-webhooks-secret-once.png"), full_page=True)

    capture.visit(f"/groups/{GROUP}")  # shown once: gone after the next load
    expect(section.locator(".webhook-row")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(page.locator("#webhook-secret")).to_have_count(0)

    section.locator(".remove-webhook").click()
    expect(section.locator(".webhook-row")).to_have_count(0, timeout=TIMEOUT_MS)
    assert _stored_secrets() == []
    page.context.close()


def test_a_member_sees_no_webhook_section(app: AppHarnessProd, browser: Browser) -> None:
    page = new_page(browser)
    capture = Capture(page, app)
    log_in(capture, create_account("ふつうの 会員"))
    capture.visit(f"/groups/{GROUP}")
    expect(page.locator("#group-name")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#group-webhooks")).to_have_count(0)
    page.context.close()
