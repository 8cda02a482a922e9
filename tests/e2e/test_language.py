"""The interface speaks the visitor's language: the browser's for visitors, the account's
setting for members, and the header's switch changes it without reloading the page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from reflex.testing import AppHarnessProd

from community_app.db import read_session
from community_app.domain.models import Member
from tests.e2e.support import TIMEOUT_MS, Capture, create_account, log_in, url

pytestmark = pytest.mark.e2e


def _page(browser: Browser, locale: str) -> Page:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale=locale)
    return context.new_page()


def _document_language(page: Page) -> str:
    """What screen readers go by: ``<html lang>``, not the lang of an inner element."""
    return str(page.evaluate("document.documentElement.lang"))


def _expect_document_language(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", language, timeout=TIMEOUT_MS)
    assert _document_language(page) == language


def _stored_locale(member_id: int) -> str:
    with read_session() as session:
        member = session.get(Member, member_id)
        assert member is not None
        return member.locale


def test_a_visitor_whose_browser_asks_for_english_reads_english(
    app: AppHarnessProd, browser: Browser
) -> None:
    page = _page(browser, "en-US")
    try:
        page.goto(url(app, "/"))
        expect(page.locator("#login-link")).to_have_text("Log in", timeout=TIMEOUT_MS)
        expect(page.locator("body [lang]").first).to_have_attribute("lang", "en")
        _expect_document_language(page, "en")
        # The switch answers in place: the page is not loaded again.
        page.evaluate("window.__not_reloaded = true")
        page.locator("#locale-toggle").click()
        expect(page.locator("#login-link")).to_have_text("ログイン", timeout=TIMEOUT_MS)
        expect(page.locator("body [lang]").first).to_have_attribute("lang", "ja")
        _expect_document_language(page, "ja")
        assert page.evaluate("window.__not_reloaded === true")
        # The visitor's choice now outlasts the browser's preference.
        page.goto(url(app, "/events"))
        expect(page.locator("#login-link")).to_have_text("ログイン", timeout=TIMEOUT_MS)
        page.reload()
        expect(page.locator("#login-link")).to_have_text("ログイン", timeout=TIMEOUT_MS)
        _expect_document_language(page, "ja")
        # And back to English: <html lang> follows every switch, not only the first.
        page.locator("#locale-toggle").click()
        expect(page.locator("#login-link")).to_have_text("Log in", timeout=TIMEOUT_MS)
        _expect_document_language(page, "en")
    finally:
        page.context.close()


def test_a_japanese_browser_reads_japanese(app: AppHarnessProd, browser: Browser) -> None:
    page = _page(browser, "ja-JP")
    try:
        page.goto(url(app, "/"))
        expect(page.locator("#login-link")).to_have_text("ログイン", timeout=TIMEOUT_MS)
        expect(page.locator("body [lang]").first).to_have_attribute("lang", "ja")
        _expect_document_language(page, "ja")
    finally:
        page.context.close()


def test_a_members_language_is_their_setting_on_every_browser(
    app: AppHarnessProd, browser: Browser
) -> None:
    account = create_account("言語 テスト")
    first = _page(browser, "ja-JP")
    second = _page(browser, "ja-JP")
    try:
        log_in(Capture(first, app), account)
        expect(first.locator("#locale-toggle")).to_have_text("English")
        first.locator("#locale-toggle").click()
        expect(first.locator("#locale-toggle")).to_have_text("日本語", timeout=TIMEOUT_MS)
        expect(first.locator("#account-link")).to_have_text(account.display_name)
        _expect_document_language(first, "en")
        assert _stored_locale(account.member_id) == "en"

        # Another browser, set to Japanese, shows the member's English once they log in.
        log_in(Capture(second, app), account)
        expect(second.locator("#locale-toggle")).to_have_text("日本語", timeout=TIMEOUT_MS)
        second.goto(url(app, "/account"))
        expect(second.locator("select#locale")).to_have_value("en", timeout=TIMEOUT_MS)
        expect(second.get_by_text("Profile", exact=True)).to_be_visible()
        _expect_document_language(second, "en")
    finally:
        first.context.close()
        second.context.close()
