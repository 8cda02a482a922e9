"""The admin mailbox in the browser (Japanese and English): without SMTP_URL a test mail
is rendered and kept, and an admin reads both of its parts with working links; members
switch mail categories on their account page; others never see the mailbox."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect
from reflex.testing import AppHarnessProd
from sqlmodel import select

from community_app.db import read_session, write_session
from community_app.domain.enums import MailCategory, MailStatus
from community_app.domain.mail_preferences import mail_preferences
from community_app.domain.models import MailMessage, Member
from community_app.i18n import translate
from tests.e2e.support import TIMEOUT_MS, Account, Capture, create_account, log_in, new_page

pytestmark = pytest.mark.e2e


def _admin(name: str, locale: str) -> Account:
    account = create_account(name)
    with write_session() as session:
        member = session.get(Member, account.member_id)
        assert member is not None
        member.is_admin, member.locale = True, locale
        session.add(member)
    return account


def _wait_until(condition: Callable[[], bool], what: str) -> None:
    """The mail loop runs every few seconds: wait for its round, not for a time."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def _status_of(address: str) -> MailStatus | None:
    with read_session() as session:
        row = session.exec(select(MailMessage).where(MailMessage.to_address == address)).first()
        return row.status if row else None


def _send_test_mail_and_read_it(page: Page, address: str, locale: str) -> None:
    expect(page.locator("#mail-held-notice")).to_be_visible(timeout=TIMEOUT_MS)
    page.locator("#mail-test-to").fill(address)
    page.locator("#mail-test-send").click()
    expect(page.locator("#mail-test-queued")).to_be_visible(timeout=TIMEOUT_MS)
    _wait_until(lambda: _status_of(address) is MailStatus.HELD, "the mail to be kept")
    page.locator("#mail-refresh").click()
    row = page.locator(".mail-row", has_text=address)
    expect(row.locator(".mail-status")).to_have_text(
        translate("mail.status.held", locale), timeout=TIMEOUT_MS
    )
    row.locator(".mail-open").click()
    subject = "[Tsudoi] テストメール" if locale == "ja" else "[Tsudoi] Test mail"
    expect(page.locator("#mail-subject")).to_have_text(subject, timeout=TIMEOUT_MS)
    frame = page.frame_locator("#mail-html")
    button = "サイトを開く" if locale == "ja" else "Open the site"
    expect(frame.locator("a", has_text=button)).to_be_visible(timeout=TIMEOUT_MS)
    assert page.locator("#mail-html").get_attribute("sandbox") == (
        "allow-popups allow-popups-to-escape-sandbox"
    )
    text_link = page.locator("#mail-text a").first
    assert (text_link.get_attribute("href") or "").startswith("http")


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_an_admin_sends_a_test_mail_and_reads_it_in_the_mailbox(
    app: AppHarnessProd, browser: Browser, locale: str
) -> None:
    admin = _admin("メール 管理者" if locale == "ja" else "Mail Admin", locale)
    page = new_page(browser)
    capture = Capture(page, app)
    log_in(capture, admin)
    capture.visit("/admin")
    page.locator("#mailbox-link").click()
    title = page.get_by_role("heading", name=translate("mail.admin.title", locale), exact=True)
    expect(title).to_be_visible(timeout=TIMEOUT_MS)

    _send_test_mail_and_read_it(page, f"a..b.{locale}@docomo.ne.jp", locale)


def test_members_do_not_see_the_mailbox(app: AppHarnessProd, browser: Browser) -> None:
    member = create_account("ふつうの メンバー")
    page = new_page(browser)
    capture = Capture(page, app)
    log_in(capture, member)

    capture.visit("/admin/mail")

    expect(page.locator("#mail-denied")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#mail-list")).to_have_count(0)


def test_a_member_turns_a_mail_category_off_on_the_account_page(
    app: AppHarnessProd, browser: Browser
) -> None:
    member = create_account("設定 する人")
    page = new_page(browser)
    capture = Capture(page, app)
    log_in(capture, member)
    capture.visit("/account")

    switch = page.locator("#mail-switch-ideas")
    expect(switch).to_have_attribute("data-state", "checked", timeout=TIMEOUT_MS)
    switch.click()
    expect(switch).to_have_attribute("data-state", "unchecked", timeout=TIMEOUT_MS)

    with read_session() as session:
        switches = mail_preferences(session, member_id=member.member_id)
    assert switches[MailCategory.IDEAS] is False
    assert switches[MailCategory.PARTICIPATION] is True
