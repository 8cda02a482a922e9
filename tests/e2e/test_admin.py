"""A site admin creates a group, appoints its organiser and disables an account."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect
from reflex.testing import AppHarnessProd
from sqlmodel import select

from community_app.db import read_session, write_session
from community_app.domain.enums import GroupRole
from community_app.domain.members import create_member
from community_app.domain.models import Group, Member, Membership
from community_app.domain.passwords import hash_password

pytestmark = pytest.mark.e2e
TIMEOUT_MS = 20_000
PASSWORD = "kanri-no-kagi-2026"


def _url(app: AppHarnessProd, path: str) -> str:
    assert app.frontend_url is not None
    return app.frontend_url.rstrip("/") + path


def _make_account(*, is_admin: bool, name: str) -> str:
    email = f"{uuid.uuid4().hex[:10]}@example.org"
    with write_session() as session:
        create_member(
            session,
            email=email,
            display_name=name,
            is_admin=is_admin,
            password_hash=hash_password(PASSWORD),
            now=datetime.now(UTC),
        )
    return email


@pytest.fixture(scope="module")
def admin_email(app: AppHarnessProd) -> Iterator[str]:
    yield _make_account(is_admin=True, name="管理 太郎")


def _log_in(app: AppHarnessProd, page: Page, email: str, name: str) -> None:
    page.goto(_url(app, "/login"))
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("#account-link")).to_have_text(name, timeout=TIMEOUT_MS)


def test_an_admin_creates_a_group_and_appoints_its_organiser(
    app: AppHarnessProd, page: Page, admin_email: str
) -> None:
    organiser_email = _make_account(is_admin=False, name="読書会 世話人")
    _log_in(app, page, admin_email, "管理 太郎")
    page.locator("#admin-link").click()
    expect(page.get_by_role("heading", name="サイト管理")).to_be_visible(timeout=TIMEOUT_MS)

    slug = f"dokusho-{uuid.uuid4().hex[:6]}"
    page.locator("#create-group-form #name").fill("まちの読書会")
    page.locator("#create-group-form #slug").fill(slug)
    page.locator("#create-group-form button[type=submit]").click()
    expect(page.locator(".admin-notice")).to_contain_text(
        "グループを作成しました", timeout=TIMEOUT_MS
    )

    with read_session() as session:
        group = session.exec(select(Group).where(Group.slug == slug)).one()
        organiser = session.exec(select(Member).where(Member.email == organiser_email)).one()
    page.locator("#appoint-form #group_id").select_option(str(group.id))
    page.locator("#appoint-form #member_id").select_option(str(organiser.id))
    page.locator("#appoint-form button[type=submit]").click()
    expect(page.locator(".admin-notice")).to_contain_text("任命しました", timeout=TIMEOUT_MS)

    with read_session() as session:
        membership = session.exec(
            select(Membership).where(
                Membership.group_id == group.id, Membership.member_id == organiser.id
            )
        ).one()
    assert membership.role == GroupRole.ORGANISER


def test_an_admin_disables_an_account_which_then_cannot_log_in(
    app: AppHarnessProd, page: Page, admin_email: str
) -> None:
    victim_email = _make_account(is_admin=False, name="退会 予定")
    _log_in(app, page, admin_email, "管理 太郎")
    page.goto(_url(app, "/admin"))
    row = page.locator("#admin-members tr", has_text=victim_email)
    row.get_by_role("button", name="無効にする").click()
    expect(row.get_by_role("button", name="有効にする")).to_be_visible(timeout=TIMEOUT_MS)

    page.locator("#account-link").click()
    page.locator("#logout-button").click()
    # Logging out is a navigation (the server clears the HttpOnly cookie): wait for it.
    expect(page).to_have_url(_url(app, "/"), timeout=TIMEOUT_MS)
    page.goto(_url(app, "/login"))
    page.locator("#email").fill(victim_email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator(".form-error")).to_contain_text("正しくありません", timeout=TIMEOUT_MS)


def test_a_member_sees_no_admin_page(app: AppHarnessProd, page: Page) -> None:
    email = _make_account(is_admin=False, name="一般 花子")
    _log_in(app, page, email, "一般 花子")
    expect(page.locator("#admin-link")).to_have_count(0)
    page.goto(_url(app, "/admin"))
    expect(page.get_by_text("この操作を行う権限がありません")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#admin-members")).to_have_count(0)


def test_an_admin_edits_a_group_from_its_page(
    app: AppHarnessProd, page: Page, admin_email: str
) -> None:
    with write_session() as session:
        slug = f"henshu-{uuid.uuid4().hex[:6]}"
        session.add(Group(slug=slug, name="編集前の会"))
    _log_in(app, page, admin_email, "管理 太郎")
    page.goto(_url(app, f"/groups/{slug}"))
    expect(page.locator("#group-name")).to_have_text("編集前の会", timeout=TIMEOUT_MS)

    page.get_by_text("グループ情報を編集").click()
    page.locator("#edit-name").fill("編集後の会")
    page.locator("#edit-group-form select[name=join_policy]").select_option("approval")
    page.locator("#edit-group-form button[type=submit]").click()

    expect(page.locator("#group-name")).to_have_text("編集後の会", timeout=TIMEOUT_MS)
    expect(page.get_by_text("承認制").first).to_be_visible()
    with read_session() as session:
        group = session.exec(select(Group).where(Group.slug == slug)).one()
    assert (group.name, group.join_policy.value) == ("編集後の会", "approval")


def test_a_bad_group_name_is_refused_with_a_message(
    app: AppHarnessProd, page: Page, admin_email: str
) -> None:
    _log_in(app, page, admin_email, "管理 太郎")
    page.goto(_url(app, "/admin"))
    page.locator("#create-group-form #name").fill("   ")
    page.locator("#create-group-form #slug").fill("Not A Slug!")
    page.locator("#create-group-form button[type=submit]").click()
    expect(page.locator(".form-error")).to_be_visible(timeout=TIMEOUT_MS)
    with read_session() as session:
        assert session.exec(select(Group).where(Group.name == "   ")).first() is None
