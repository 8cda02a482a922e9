"""The bell, the inbox and the audit log, in a real browser."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from reflex.testing import AppHarnessProd
from sqlalchemy import text

from community_app.db import read_session, write_session
from community_app.domain.audit import record_audit
from community_app.domain.enums import NotificationKind
from community_app.domain.notifications import notify
from community_app.domain.permissions import Actor
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.support import (
    TIMEOUT_MS,
    Account,
    Capture,
    create_account,
    log_in,
    new_page,
    send_event,
    snapshot,
    url,
)

pytestmark = pytest.mark.e2e


def _notify(account: Account, kind: NotificationKind, message: str, minutes_ago: int) -> None:
    with write_session() as session:
        notify(
            session,
            member_ids=[account.member_id],
            kind=kind,
            message_ja=message,
            message_en=f"EN {message}",
            now=datetime.now(UTC) - timedelta(minutes=minutes_ago),
        )


def _read_at(message: str) -> object:
    with read_session() as session:
        return session.execute(
            text("SELECT read_at FROM notifications WHERE message = :m"), {"m": message}
        ).scalar_one()


def test_a_member_opens_one_notification_then_marks_all_read(
    app: AppHarnessProd, page: Page
) -> None:
    member = create_account("通知 花子")
    marker = uuid.uuid4().hex[:6]
    decided = f"「夜カフェ」への参加が承認されました。{marker}"
    changed = f"勉強会の時間が変わりました。{marker}"
    _notify(member, NotificationKind.MEMBERSHIP_DECIDED, decided, minutes_ago=5)
    _notify(member, NotificationKind.EVENT_CHANGED, changed, minutes_ago=1)
    capture = Capture(page, app)

    log_in(capture, member)
    bell = page.locator("#notifications-link")
    expect(page.locator("#unread-badge")).to_have_text("2", timeout=TIMEOUT_MS)
    expect(bell).to_have_attribute("aria-label", "お知らせ 2件未読")

    bell.click()
    expect(page.locator(".notification.unread")).to_have_count(2, timeout=TIMEOUT_MS)
    expect(page.locator(".notification").first).to_contain_text(changed)  # newest first
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "notifications-unread.png"))

    page.locator(".notification-link", has_text=decided).click()
    expect(page).to_have_url(url(app, "/groups"), timeout=TIMEOUT_MS)
    expect(page.locator("#unread-badge")).to_have_text("1", timeout=TIMEOUT_MS)
    assert _read_at(decided) is not None

    bell.click()
    expect(page.locator(".notification.unread")).to_have_count(1, timeout=TIMEOUT_MS)
    page.locator("#mark-all-read").click()
    expect(page.locator("#unread-badge")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.locator(".notification.read")).to_have_count(2)
    expect(bell).to_have_attribute("aria-label", "お知らせ 未読なし")
    assert _read_at(changed) is not None

    page.reload()
    expect(page.locator(".notification.read")).to_have_count(2, timeout=TIMEOUT_MS)
    expect(page.locator("#unread-badge")).to_have_count(0)


def test_a_visitor_is_asked_to_log_in_for_notifications(
    app: AppHarnessProd, browser: Browser
) -> None:
    page = new_page(browser)
    page.goto(url(app, "/notifications"))
    expect(page.locator("#notifications-login")).to_contain_text("ログイン", timeout=TIMEOUT_MS)
    expect(page.locator("#notifications-link")).to_have_count(0)
    page.context.close()


def _make_admin() -> Account:
    admin = create_account("監査 次郎")
    with write_session() as session:
        session.execute(
            text("UPDATE members SET is_admin = true WHERE id = :m"), {"m": admin.member_id}
        )
    return admin


def _audit_entry(admin: Account, action: str, detail: str) -> None:
    with write_session() as session:
        record_audit(
            session,
            actor=Actor(member_id=admin.member_id, is_admin=True),
            action=action,
            target_type="group",
            target_id=1,
            now=datetime.now(UTC),
            detail=detail,
        )


def test_an_admin_reads_and_filters_the_audit_log(app: AppHarnessProd, page: Page) -> None:
    admin = _make_admin()
    marker = uuid.uuid4().hex[:8]
    _audit_entry(admin, "create_group", f"created-{marker}")
    _audit_entry(admin, "e2e_check", f"checked-{marker}")
    capture = Capture(page, app)

    log_in(capture, admin)
    capture.visit("/admin")
    page.locator("#audit-link").click()
    expect(page.get_by_role("heading", name="操作ログ")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator(".audit-row").first).to_contain_text(f"checked-{marker}")
    expect(page.locator(".audit-row").first).to_contain_text("監査 次郎")

    page.locator("#audit-action").select_option("create_group")
    page.locator("#audit-filter").click()
    expect(page.locator(".audit-row", has_text=f"checked-{marker}")).to_have_count(
        0, timeout=TIMEOUT_MS
    )
    expect(page.locator(".audit-row", has_text=f"created-{marker}")).to_have_count(1)


def test_a_member_is_told_the_audit_log_is_for_admins_and_receives_no_rows(
    app: AppHarnessProd, browser: Browser
) -> None:
    marker = f"secret-detail-{uuid.uuid4().hex[:8]}"
    _audit_entry(_make_admin(), "create_group", marker)
    member = create_account("一般 三郎")
    capture = Capture(new_page(browser), app)

    log_in(capture, member)
    capture.visit("/admin/audit")

    expect(capture.page.locator("#audit-denied")).to_contain_text(
        "サイト管理者のみ", timeout=TIMEOUT_MS
    )
    expect(capture.page.locator(".audit-row")).to_have_count(0)
    assert marker not in capture.everything()
    capture.page.context.close()


NOTIFICATIONS_STATE = (
    "reflex___state____state.community_app___ui___pages___notifications____notifications_state"
)


def test_a_hostile_member_cannot_mark_someone_elses_notification_read(
    app: AppHarnessProd, browser: Browser
) -> None:
    owner, intruder = create_account("持ち主 一郎"), create_account("侵入 二郎")
    message = f"ほかの人のお知らせ {uuid.uuid4().hex[:6]}"
    _notify(owner, NotificationKind.EVENT_CHANGED, message, minutes_ago=1)
    with read_session() as session:
        notice_id = session.execute(
            text("SELECT id FROM notifications WHERE message = :m"), {"m": message}
        ).scalar_one()
    capture = Capture(new_page(browser), app)
    log_in(capture, intruder)
    capture.visit("/notifications")
    before = snapshot()

    send_event(capture, f"{NOTIFICATIONS_STATE}.mark_read", {"notification_id": notice_id})
    send_event(capture, f"{NOTIFICATIONS_STATE}.mark_read", {"notification_id": str(notice_id)})

    assert snapshot() == before
    assert _read_at(message) is None
    assert message not in capture.everything()
    capture.page.context.close()
