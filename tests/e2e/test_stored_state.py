"""What Reflex stores of a tab (issue 21, items 3 and 4), read as an attacker would.

Reflex keeps every tab's page state for an hour under the tab's client token, which
travels in the websocket URL (proxy logs hold it); without Redis it pickles it to
``.states/``. These tests log in over the real websocket protocol (``ReflexTab``) and
then read those files, or reconnect with a tab's client token without its cookie.

On main each of them failed: the raw login token was a state var
(``AuthState.session_token``, an ``rx.Cookie``) pickled to 0644 files in a 0755
folder, and a reconnect with the client token was sent the admin's member list in the
hydrate. The controls below switch each protection off and show the attack working.
"""

from __future__ import annotations

import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from reflex.testing import AppHarnessProd

from community_app import session_cookie
from community_app.db import write_session
from community_app.domain.models import Member
from community_app.ui import account_actions
from community_app.ui.tab_session import TabOwnerMiddleware
from tests.e2e.support import (
    HYDRATED,
    PASSWORD,
    TIMEOUT_MS,
    Account,
    Capture,
    backend_url,
    create_account,
    log_in,
    url,
    wait_until,
)
from tests.ws_client import AUTH_STATE, SESSION_COOKIE, ReflexTab, run_tabs

pytestmark = pytest.mark.e2e

ADMIN_STATE = "reflex___state____state.community_app___ui___pages___admin____admin_state"


def _admin(name: str) -> Account:
    account = create_account(name)
    with write_session() as session:
        member = session.get(Member, account.member_id)
        assert member is not None
        member.is_admin = True
        session.add(member)
    return account


def _states_folder(app: AppHarnessProd) -> Path:
    assert app.app_instance is not None
    return Path(app.app_instance._state_manager.states_directory)  # type: ignore[attr-defined]


def _stored(folder: Path) -> bytes:
    return b"\n".join(path.read_bytes() for path in folder.glob("*.pkl"))


@pytest.fixture
def base(app: AppHarnessProd) -> str:
    return backend_url(app, "")


@pytest.fixture
def member() -> Account:
    return create_account(f"保存 確認 {uuid.uuid4().hex[:6]}")


def _logged_in_tab(base: str, account: Account, path: str) -> ReflexTab:
    async def work() -> ReflexTab:
        tab = ReflexTab(base)
        await tab.log_in(account.email, PASSWORD)
        await tab.open(path, same_token=True)
        await tab.close()
        return tab

    return run_tabs(work())


def _wait_for_stored(folder: Path, text: str) -> None:
    # The disk manager writes a moment after each event (debounced): wait for it.
    wait_until(lambda: text.encode() in _stored(folder), f"{text!r} in {folder}")


def test_no_stored_page_state_holds_the_login_token(
    app: AppHarnessProd, base: str, member: Account
) -> None:
    folder = _states_folder(app)

    tab = _logged_in_tab(base, member, "/account")
    token = tab.cookies[SESSION_COOKIE]

    _wait_for_stored(folder, member.display_name)  # the files hold this tab's state ...
    assert token.encode() not in _stored(folder)  # ... but not its login


def test_the_stored_page_states_are_readable_by_the_app_alone(
    app: AppHarnessProd, base: str, member: Account
) -> None:
    folder = _states_folder(app)
    _logged_in_tab(base, member, "/account")
    _wait_for_stored(folder, member.display_name)

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in folder.glob("*.pkl")}
    assert modes and set(modes.values()) == {0o600}, modes


def test_control_a_handshake_cookie_reaching_reflex_is_stored_with_the_tab(
    app: AppHarnessProd, base: str, member: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without ``hide_from_page_state`` the Cookie header is kept in the router data."""
    folder = _states_folder(app)
    tab = _logged_in_tab(base, member, "/account")
    token = tab.cookies[SESSION_COOKIE]
    monkeypatch.setattr(session_cookie, "split_login_cookie", lambda header: ("", header))

    async def reconnect() -> None:
        await tab.open("/groups", same_token=True)
        await tab.close()

    run_tabs(reconnect())

    _wait_for_stored(folder, token)


# --- item 4: a tab's state belongs to the login it was filled under -----------------


@pytest.fixture
def admin() -> Account:
    return _admin(f"管理 {uuid.uuid4().hex[:6]}")


@pytest.fixture
def bystander() -> Iterator[Account]:
    """A member whose e-mail only the admin page shows."""
    yield create_account(f"会員 {uuid.uuid4().hex[:6]}")


def _admin_tab(base: str, admin: Account, bystander: Account) -> ReflexTab:
    async def work() -> ReflexTab:
        tab = ReflexTab(base)
        await tab.log_in(admin.email, PASSWORD)
        await tab.open("/admin", same_token=True)
        await tab.wait_for(lambda t: bystander.email in str(t.state), "the member list")
        await tab.close()
        return tab

    return run_tabs(work())


def _hydrate_without_cookie(tab: ReflexTab, path: str = "/") -> str:
    """Connect as a stranger who has read the tab's client token in a proxy log."""

    async def work() -> str:
        stranger = ReflexTab(tab.base_url)
        stranger.token = tab.token
        await stranger.open(path, same_token=True)
        await stranger.close()
        return str(stranger.updates[0].delta)  # the hydrate: the whole stored state

    return run_tabs(work())


def test_after_logout_the_old_client_token_hydrates_nothing_of_the_admin(
    base: str, admin: Account, bystander: Account
) -> None:
    tab = _admin_tab(base, admin, bystander)

    async def log_out() -> None:
        await tab.open("/account", same_token=True)
        await tab.send(f"{AUTH_STATE}.log_out")
        await tab.wait_for(lambda t: bool(t.posted_forms), "the logout's form post")
        action, fields = tab.posted_forms[-1]
        assert action == "/auth/logout"
        await tab.post_form(action, fields)
        await tab.close()

    run_tabs(log_out())

    assert SESSION_COOKIE not in tab.cookies  # the server cleared the cookie
    hydrate = _hydrate_without_cookie(tab)
    assert bystander.email not in hydrate
    assert admin.display_name not in hydrate


def test_a_closed_tab_hydrates_nothing_for_a_socket_without_its_cookie(
    base: str, admin: Account, bystander: Account
) -> None:
    tab = _admin_tab(base, admin, bystander)

    hydrate = _hydrate_without_cookie(tab, "/admin")

    assert bystander.email not in hydrate
    assert admin.display_name not in hydrate


def test_control_without_the_owner_check_the_client_token_is_enough(
    base: str, admin: Account, bystander: Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def no_check(*_args: object, **_kwargs: object) -> None:
        return None

    tab = _admin_tab(base, admin, bystander)
    monkeypatch.setattr(TabOwnerMiddleware, "preprocess", no_check)

    hydrate = _hydrate_without_cookie(tab, "/admin")

    assert bystander.email in hydrate


def test_the_owner_reconnecting_with_the_cookie_keeps_the_tab(
    base: str, admin: Account, bystander: Account
) -> None:
    tab = _admin_tab(base, admin, bystander)

    async def reconnect() -> str:
        await tab.open("/admin", same_token=True)
        await tab.close()
        return str(tab.updates[0].delta)

    assert bystander.email in run_tabs(reconnect())


# --- the same in Chromium -------------------------------------------------------------


def test_in_the_browser_logout_leaves_nothing_of_the_admin_in_the_next_hydrate(
    app: AppHarnessProd, page: Page, admin: Account, bystander: Account
) -> None:
    """On main the reload after logout was hydrated with the admin page's member list
    (the same client token, the same stored state)."""
    capture = Capture(page, app)
    log_in(capture, admin)
    [cookie] = [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    capture.visit("/admin")
    expect(page.get_by_text(bystander.email)).to_be_visible(timeout=TIMEOUT_MS)
    assert bystander.email in capture.everything()  # the capture sees the member list
    client_token = page.evaluate("window.sessionStorage.getItem('token')")

    capture.visit("/account")
    seen = len(capture.frames)
    page.locator("#logout-button").click()
    expect(page).to_have_url(url(app, "/"), timeout=TIMEOUT_MS)
    expect(page.locator("#login-link")).to_be_visible(timeout=TIMEOUT_MS)
    capture.wait_for(lambda frames: any(HYDRATED.search(f) for f in frames[seen:]), "home")

    after = "\n".join(capture.frames[seen:])
    assert bystander.email not in after
    assert admin.display_name not in after
    assert [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE] == []
    assert page.evaluate("window.sessionStorage.getItem('token')") != client_token


def test_a_password_change_hands_the_new_login_to_the_cookie_and_says_so(
    app: AppHarnessProd, page: Page, member: Account
) -> None:
    capture = Capture(page, app)
    log_in(capture, member)
    [before] = [c["value"] for c in page.context.cookies() if c["name"] == SESSION_COOKIE]
    capture.visit("/account")

    page.locator("#current_password").fill(PASSWORD)
    page.locator("#new_password").fill("atarashii-2026")
    page.locator("#password-form button[type=submit]").click()

    expect(page.get_by_text("パスワードを変更しました")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#account-link")).to_have_text(member.display_name)
    [after] = [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE]
    assert after["httpOnly"] and after["value"] != before
    assert after["value"] not in capture.everything()  # no frame carried the new login
    assert account_actions.resolve(before) is None  # every earlier login was revoked
