"""A hostile client calls handlers directly over the websocket (DESIGN §4).

Each test makes a real browser page's own Reflex event loop send events the UI would
never send (another group's ids, a visitor calling member handlers, junk arguments),
waits for the server's answer and compares the database before and after. Each kind
of check has a positive control: the same channel does change the database when the
caller is allowed to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from reflex.testing import AppHarnessProd
from sqlalchemy import text

from community_app.db import write_session
from community_app.domain.enums import MembershipStatus
from community_app.domain.sessions import hash_token
from tests.e2e.support import (
    ACCOUNT_STATE,
    GROUP_PAGE_STATE,
    LOGIN_STATE,
    PASSWORD,
    PASSWORD_STATE,
    TIMEOUT_MS,
    Account,
    Capture,
    add_membership,
    create_account,
    log_in,
    membership_status,
    new_page,
    raw_session_token,
    send_event,
    snapshot,
    wait_until,
)

pytestmark = pytest.mark.e2e

OWN_GROUP = "hikaridai-otagaisama"  # the organiser in these tests organises this one
OTHER_GROUP = "kiryu-after-school"  # and not this one
PROFILE = {"display_name": "乗っ取り", "locale": "en", "timezone": "UTC"}

Open = Callable[..., Capture]


@pytest.fixture
def open_client(app: AppHarnessProd, browser: Browser) -> Iterator[Open]:
    """A browser page, logged in as ``account`` or carrying ``cookie``, on ``path``."""
    pages = []

    def open_(path: str, account: Account | None = None, cookie: str | None = None) -> Capture:
        page = new_page(browser)
        pages.append(page)
        if cookie is not None:
            assert app.frontend_url is not None
            page.context.add_cookies(
                [{"name": "tsudoi_session", "value": cookie, "url": app.frontend_url}]
            )
        capture = Capture(page, app)
        if account is not None:
            log_in(capture, account)
        capture.visit(path)
        return capture

    yield open_
    for page in pages:
        page.context.close()


def group_event(capture: Capture, handler: str, **payload: Any) -> None:
    send_event(capture, f"{GROUP_PAGE_STATE}.{handler}", payload)


def pending_request(group: str) -> int:
    return add_membership(group, create_account("申請 太郎").member_id, MembershipStatus.PENDING)


def active_member(group: str) -> int:
    member = create_account("会員 次郎")
    add_membership(group, member.member_id, MembershipStatus.ACTIVE)
    return member.member_id


def is_member(group: str, member_id: int) -> bool:
    with write_session() as session:
        return (
            session.execute(
                text(
                    "SELECT 1 FROM memberships JOIN groups ON groups.id = memberships.group_id"
                    " WHERE groups.slug = :slug AND member_id = :member"
                ),
                {"slug": group, "member": member_id},
            ).first()
            is not None
        )


def test_a_visitor_calling_member_and_organiser_handlers_changes_nothing(
    open_client: Open,
) -> None:
    request, member = pending_request(OTHER_GROUP), active_member(OTHER_GROUP)
    visitor = open_client(f"/groups/{OTHER_GROUP}")
    before = snapshot()

    group_event(visitor, "join")
    group_event(visitor, "decide", membership_id=request, approve=True)
    group_event(visitor, "remove_member", member_id=member)
    send_event(visitor, f"{ACCOUNT_STATE}.save_profile", {"form_data": PROFILE})
    send_event(
        visitor,
        f"{PASSWORD_STATE}.change",
        {"form_data": {"current_password": PASSWORD, "new_password": "kawatta-2026"}},
    )

    assert snapshot() == before
    expect(visitor.page.locator("#login-link")).to_be_visible()


def test_a_member_cannot_decide_or_remove_in_a_group_they_do_not_organise(
    open_client: Open,
) -> None:
    request, other = pending_request(OTHER_GROUP), active_member(OTHER_GROUP)
    member = create_account("一般 会員")
    client = open_client(f"/groups/{OTHER_GROUP}", account=member)
    before = snapshot()

    group_event(client, "decide", membership_id=request, approve=True)
    group_event(client, "remove_member", member_id=other)

    assert snapshot() == before
    # positive control: the same channel carries this member's own session
    group_event(client, "join")
    wait_until(lambda: is_member(OTHER_GROUP, member.member_id), "the member's own join")


def test_an_organiser_decides_their_own_groups_requests_and_no_one_elses(
    open_client: Open,
) -> None:
    own_request, other_request = pending_request(OWN_GROUP), pending_request(OTHER_GROUP)
    other_member = active_member(OTHER_GROUP)
    organiser = create_account("世話役 三郎", organiser_of=OWN_GROUP)
    client = open_client(f"/groups/{OWN_GROUP}", account=organiser)
    before = snapshot()

    group_event(client, "decide", membership_id=other_request, approve=True)
    group_event(client, "remove_member", member_id=other_member)  # not in this group
    client.visit(f"/groups/{OTHER_GROUP}")
    group_event(client, "remove_member", member_id=other_member)  # not their group

    assert snapshot() == before
    client.visit(f"/groups/{OWN_GROUP}")
    group_event(client, "decide", membership_id=own_request, approve=True)
    wait_until(lambda: membership_status(own_request) == "active", "the organiser's decision")


def test_junk_arguments_change_nothing_and_the_server_keeps_serving(open_client: Open) -> None:
    request = pending_request(OWN_GROUP)
    organiser = create_account("世話役 四郎", organiser_of=OWN_GROUP)
    client = open_client(f"/groups/{OWN_GROUP}", account=organiser)
    before = snapshot()

    group_event(client, "decide", membership_id="1; DROP TABLE memberships", approve="yes")
    group_event(client, "decide", membership_id=None, approve=None)
    group_event(client, "decide", membership_id=[request], approve={})
    group_event(client, "decide", membership_id=request, approve=True, extra=1)
    group_event(client, "remove_member", member_id={"id": organiser.member_id})
    send_event(client, f"{ACCOUNT_STATE}.save_profile", {"form_data": "not a dict"})
    send_event(
        client,
        f"{LOGIN_STATE}.submit",
        {"form_data": {"email": ["x"], "password": 5, "extra": 1}},
    )

    assert snapshot() == before
    client.visit(f"/groups/{OWN_GROUP}")  # a normal page load still works
    expect(client.page.locator("#group-management")).to_be_visible(timeout=TIMEOUT_MS)
    group_event(client, "decide", membership_id=request, approve=True)
    wait_until(lambda: membership_status(request) == "active", "a well-formed decision")


def expired_token(member_id: int) -> str:
    token = raw_session_token(member_id)
    with write_session() as session:
        session.execute(
            text("UPDATE auth_sessions SET expires_at = :past WHERE token_hash = :hash"),
            {"past": datetime.now(UTC) - timedelta(days=1), "hash": hash_token(token)},
        )
    return token


@pytest.mark.parametrize("kind", ["forged", "expired"])
def test_a_forged_or_expired_session_cookie_shows_the_visitor_ui_and_cannot_act(
    open_client: Open, kind: str
) -> None:
    request = pending_request(OTHER_GROUP)
    organiser = create_account("期限切れ 五郎", organiser_of=OTHER_GROUP)
    cookie = "forged" if kind == "forged" else expired_token(organiser.member_id)
    client = open_client(f"/groups/{OTHER_GROUP}", cookie=cookie)
    before = snapshot()

    group_event(client, "join")
    group_event(client, "decide", membership_id=request, approve=True)

    assert snapshot() == before
    expect(client.page.locator("#login-link")).to_be_visible(timeout=TIMEOUT_MS)
    expect(client.page.locator("#group-management")).to_have_count(0)


def test_a_valid_session_cookie_signs_the_browser_in(open_client: Open) -> None:
    # positive control for the test above: the same cookie, with a live token
    organiser = create_account("有効 六郎", organiser_of=OTHER_GROUP)
    request = pending_request(OTHER_GROUP)

    client = open_client(f"/groups/{OTHER_GROUP}", cookie=raw_session_token(organiser.member_id))

    expect(client.page.locator("#account-link")).to_have_text(organiser.display_name)
    group_event(client, "decide", membership_id=request, approve=True)
    wait_until(lambda: membership_status(request) == "active", "the live session's decision")
