"""A newcomer signs up, logs out and back in, in a real browser."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect
from reflex.testing import AppHarnessProd

from tests.e2e.conftest import journey_shot

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 20_000
PASSWORD = "yoru-cafe-2026"


def _url(app: AppHarnessProd, path: str) -> str:
    assert app.frontend_url is not None
    return app.frontend_url.rstrip("/") + path


def _fill_signup(page: Page, *, email: str, name: str, password: str) -> None:
    page.locator("#email").fill(email)
    page.locator("#display_name").fill(name)
    page.locator("#password").fill(password)
    page.locator("#signup-form button[type=submit]").click()


def test_sign_up_log_out_and_log_in_again(app: AppHarnessProd, page: Page) -> None:
    email = f"hana.{uuid.uuid4().hex[:8]}@example.org"
    page.goto(_url(app, "/signup"))
    expect(page.get_by_role("heading", name="新規登録")).to_be_visible(timeout=TIMEOUT_MS)

    _fill_signup(page, email=email, name="山田 花", password="short77")
    # The message stands under the password, which takes the focus; the form keeps the rest.
    expect(page.locator("#password-error[role=alert]")).to_contain_text(
        "8文字以上", timeout=TIMEOUT_MS
    )
    expect(page.locator("#password")).to_be_focused()
    expect(page.locator("#password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#email")).to_have_value(email)

    _fill_signup(page, email=email.upper(), name="山田 花", password=PASSWORD)
    expect(page.locator("#account-link")).to_have_text("山田 花", timeout=TIMEOUT_MS)
    expect(page).to_have_url(_url(app, "/"))

    page.locator("#account-link").click()
    expect(page.get_by_role("heading", name="プロフィール")).to_be_visible(timeout=TIMEOUT_MS)
    page.locator("#logout-button").click()
    # Logging out is a navigation (the server clears the HttpOnly cookie): wait for it.
    expect(page).to_have_url(_url(app, "/"), timeout=TIMEOUT_MS)
    expect(page.locator("#login-link")).to_be_visible(timeout=TIMEOUT_MS)

    page.goto(_url(app, "/login"))
    page.locator("#email").fill(email)
    page.locator("#password").fill("wrong-password-1")
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator(".form-error")).to_contain_text(
        "メールアドレスまたはパスワードが正しくありません", timeout=TIMEOUT_MS
    )
    page.locator("#password").fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("#account-link")).to_have_text("山田 花", timeout=TIMEOUT_MS)


def test_the_account_page_sends_visitors_to_log_in(app: AppHarnessProd, page: Page) -> None:
    page.goto(_url(app, "/account"))
    expect(page).to_have_url(_url(app, "/login?next=/account"), timeout=TIMEOUT_MS)


def test_a_new_member_joins_an_open_group_and_leaves_it(app: AppHarnessProd, page: Page) -> None:
    page.goto(_url(app, "/signup"))
    expect(page.locator("#signup-form")).to_be_visible(timeout=TIMEOUT_MS)
    journey_shot(page, "ja", "signup-1-form")
    _fill_signup(
        page, email=f"ken.{uuid.uuid4().hex[:8]}@example.org", name="佐々木 健", password=PASSWORD
    )
    expect(page.locator("#account-link")).to_have_text("佐々木 健", timeout=TIMEOUT_MS)

    page.goto(_url(app, "/groups"))
    page.locator(".group-card", has_text="WLB").first.click()
    expect(page.locator("#group-name")).to_contain_text("WLB", timeout=TIMEOUT_MS)
    count_before = int(page.locator("#member-count").inner_text().split(":")[-1])

    page.locator("#join-group").click()
    expect(page.get_by_text("参加中")).to_be_visible(timeout=TIMEOUT_MS)
    journey_shot(page, "ja", "signup-2-joined-group")
    expect(page.locator("#member-count")).to_contain_text(str(count_before + 1))

    page.locator("#leave-group").click()
    expect(page.locator("#join-group")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#member-count")).to_contain_text(str(count_before))


def test_a_visitor_is_asked_to_log_in_to_join(app: AppHarnessProd, page: Page) -> None:
    page.goto(_url(app, "/groups"))
    page.locator(".group-card").first.click()
    expect(page.get_by_text("参加するにはログインしてください")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#join-group")).to_have_count(0)
    page.locator("#login-to-join").click()
    expect(page).to_have_url(re.compile(r"/login\?next=/groups/"), timeout=TIMEOUT_MS)
