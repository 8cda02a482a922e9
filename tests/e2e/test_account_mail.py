"""Account mails in a real browser, in Japanese and English: sign up, open the link
from the received mail (read from the outbox the mailbox shows) and the address is
confirmed; forgot the password, open the mailed link, choose a new one, log in with it
while the old one is refused; a used or altered link says so in the reader's language."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from reflex.testing import AppHarnessProd
from sqlmodel import col, select

from community_app.db import read_session
from community_app.domain.models import MailMessage
from community_app.i18n import translate
from tests.e2e.conftest import journey_shot
from tests.e2e.support import (
    PASSWORD,
    TIMEOUT_MS,
    create_account,
    new_page,
    url,
    wait_until,
)

pytestmark = pytest.mark.e2e
NEW_PASSWORD = "atarashii-kagi-2026"
LINK = re.compile(r"https?://\S+?token=[A-Za-z0-9_-]+")


def _mail(address: str, kind: str) -> MailMessage | None:
    with read_session() as session:
        return session.exec(
            select(MailMessage)
            .where(MailMessage.to_address == address, MailMessage.kind == kind)
            .order_by(col(MailMessage.id).desc())
        ).first()


def mailed_link(address: str, kind: str) -> str:
    """The path and query of the link in the newest mail of ``kind`` to ``address``."""
    wait_until(lambda: _mail(address, kind) is not None, f"a {kind} mail to {address}")
    mail = _mail(address, kind)
    assert mail is not None
    found = LINK.search(mail.text_body)
    assert found is not None, mail.text_body
    parts = urlsplit(found.group(0))
    return f"{parts.path}?{parts.query}"


def _to_english(page: Page) -> None:
    page.locator("#locale-toggle").click()
    expect(page.locator("#locale-toggle")).to_have_text(
        translate("nav.language", "en"), timeout=TIMEOUT_MS
    )


def _log_in(page: Page, app: AppHarnessProd, email: str, password: str) -> None:
    page.goto(url(app, "/login"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("#login-form button[type=submit]").click()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_sign_up_then_the_mailed_link_confirms_the_address(
    app: AppHarnessProd, browser: Browser, language: str
) -> None:
    page = new_page(browser)
    email = f"hana.{uuid.uuid4().hex[:8]}@example.org"
    page.goto(url(app, "/signup"))
    expect(page.locator("#signup-form")).to_be_visible(timeout=TIMEOUT_MS)
    if language == "en":
        _to_english(page)
    page.locator("#email").fill(email)
    page.locator("#display_name").fill("山田 花")
    page.locator("#password").fill(PASSWORD)
    page.locator("#signup-form button[type=submit]").click()

    expect(page.locator("#signup-sent")).to_contain_text(
        translate("signup.sent_body", language), timeout=TIMEOUT_MS
    )
    expect(page.locator("#account-link")).to_have_count(0)  # nobody is logged in
    journey_shot(page, language, "verify-1-check-your-mailbox")
    link = mailed_link(email, "verify_email")

    # The new member may log in at once; a banner asks for the address.
    _log_in(page, app, email, PASSWORD)
    expect(page.locator("#account-link")).to_have_text("山田 花", timeout=TIMEOUT_MS)
    expect(page.locator("#verify-banner")).to_contain_text(
        translate("verify.banner", language), timeout=TIMEOUT_MS
    )
    journey_shot(page, language, "verify-2-banner")

    page.goto(url(app, link))
    expect(page.locator("#link-done")).to_have_text(
        translate("verify.done", language), timeout=TIMEOUT_MS
    )
    expect(page.locator("#verify-banner")).to_have_count(0)
    journey_shot(page, language, "verify-3-confirmed")
    page.goto(url(app, "/account"))
    expect(page.locator("#email-verified")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#current-email")).to_have_text(email)

    page.goto(url(app, link))  # a second time: used
    expect(page.locator("#link-error")).to_have_text(
        translate("error.link_used", language), timeout=TIMEOUT_MS
    )
    page.context.close()


def test_signing_up_with_a_registered_address_gives_the_same_answer(
    app: AppHarnessProd, browser: Browser
) -> None:
    account = create_account("既存 会員")
    page = new_page(browser)
    page.goto(url(app, "/signup"))
    page.locator("#email").fill(account.email.upper())
    page.locator("#display_name").fill("なりすまし")
    page.locator("#password").fill("another-password-1")
    page.locator("#signup-form button[type=submit]").click()

    expect(page.locator("#signup-sent")).to_contain_text(
        translate("signup.sent_body", "ja"), timeout=TIMEOUT_MS
    )
    assert "/login" in mailed_link_or_plain(account.email, "signup_existing")
    page.context.close()


def mailed_link_or_plain(address: str, kind: str) -> str:
    wait_until(lambda: _mail(address, kind) is not None, f"a {kind} mail to {address}")
    mail = _mail(address, kind)
    assert mail is not None
    return mail.text_body


@pytest.mark.parametrize("language", ["ja", "en"])
def test_forgot_password_then_the_mailed_link_sets_a_new_one(
    app: AppHarnessProd, browser: Browser, language: str
) -> None:
    account = create_account("佐藤 圭")
    page = new_page(browser)
    page.goto(url(app, "/login"))
    expect(page.locator("#login-form")).to_be_visible(timeout=TIMEOUT_MS)
    if language == "en":
        _to_english(page)
    page.locator("#forgot-link").click()
    expect(page.locator("#forgot-form")).to_be_visible(timeout=TIMEOUT_MS)
    page.locator("#email").fill(account.email)
    page.locator("#forgot-form button[type=submit]").click()
    expect(page.locator("#forgot-sent")).to_have_text(
        translate("forgot.sent", language), timeout=TIMEOUT_MS
    )
    journey_shot(page, language, "reset-1-link-sent")
    link = mailed_link(account.email, "password_reset")

    page.goto(url(app, link))
    expect(page.locator("#reset-form")).to_be_visible(timeout=TIMEOUT_MS)
    page.locator("#new_password").fill("short")
    page.locator("#reset-form button[type=submit]").click()
    expect(page.locator("#new_password-error")).to_contain_text(
        translate("error.password_too_short", language), timeout=TIMEOUT_MS
    )
    page.locator("#new_password").fill(NEW_PASSWORD)
    page.locator("#reset-form button[type=submit]").click()
    expect(page).to_have_url(url(app, "/login?reset=done"), timeout=TIMEOUT_MS)
    expect(page.locator("#reset-done")).to_have_text(
        translate("login.reset_done", language), timeout=TIMEOUT_MS
    )
    journey_shot(page, language, "reset-2-log-in-again")

    page.goto(url(app, link))  # the link worked once
    expect(page.locator("#link-error")).to_have_text(
        translate("error.link_used", language), timeout=TIMEOUT_MS
    )
    page.goto(url(app, link[:-3] + "xyz"))  # altered
    expect(page.locator("#link-error")).to_have_text(
        translate("error.link_invalid", language), timeout=TIMEOUT_MS
    )
    journey_shot(page, language, "reset-3-altered-link")

    _log_in(page, app, account.email, account.password)
    expect(page.locator(".form-error")).to_contain_text(
        translate("error.invalid_credentials", language), timeout=TIMEOUT_MS
    )
    _log_in(page, app, account.email, NEW_PASSWORD)
    expect(page.locator("#account-link")).to_have_text("佐藤 圭", timeout=TIMEOUT_MS)
    page.context.close()


def test_a_member_moves_the_account_to_a_new_address_by_the_mailed_link(
    app: AppHarnessProd, browser: Browser
) -> None:
    account = create_account("引越 太郎")
    new_address = f"moved.{uuid.uuid4().hex[:8]}@example.org"
    page = new_page(browser)
    _log_in(page, app, account.email, account.password)
    expect(page.locator("#account-link")).to_have_text("引越 太郎", timeout=TIMEOUT_MS)
    page.goto(url(app, "/account"))
    expect(page.locator("#current-email")).to_have_text(account.email, timeout=TIMEOUT_MS)

    page.locator("#new_email").fill(new_address)
    page.locator("#email_current_password").fill("not-my-password")
    page.locator("#email-form button[type=submit]").click()
    expect(page.locator("#email_current_password-error")).to_contain_text(
        translate("error.wrong_password", "ja"), timeout=TIMEOUT_MS
    )
    page.locator("#new_email").fill(new_address)
    page.locator("#email_current_password").fill(account.password)
    page.locator("#email-form button[type=submit]").click()
    expect(page.locator("#email-change-sent")).to_have_text(
        translate("email.change_sent", "ja"), timeout=TIMEOUT_MS
    )
    journey_shot(page, "ja", "email-change-1-sent")
    page.reload()
    expect(page.locator("#current-email")).to_have_text(account.email, timeout=TIMEOUT_MS)

    page.goto(url(app, mailed_link(new_address, "email_change_confirm")))
    expect(page.locator("#link-done")).to_have_text(
        translate("confirm_email.done", "ja"), timeout=TIMEOUT_MS
    )
    page.goto(url(app, "/account"))
    expect(page.locator("#current-email")).to_have_text(new_address, timeout=TIMEOUT_MS)
    assert "m***@example.org" in mailed_link_or_plain(account.email, "email_changed")
    page.context.close()
