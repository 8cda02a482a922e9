"""The login cookie over plain HTTP: set by redeeming a ticket, cleared at logout,
HttpOnly, refused to other sites; and kept out of what Reflex sees of a websocket."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine

from community_app.db import write_session
from community_app.domain.login_tickets import issue_ticket
from community_app.domain.sessions import resolve_session, start_session
from community_app.feeds.app import create_feeds_app
from community_app.session_cookie import COOKIE_NAME, SCOPE_KEY, hide_from_page_state
from tests.factories import make_member

pytestmark = pytest.mark.integration

SITE = "https://tsudoi.example"  # app_database's SITE_URL


def _post(path: str, data: dict[str, str], headers: dict[str, str]) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_feeds_app())
        async with httpx.AsyncClient(transport=transport, base_url=SITE) as client:
            return await client.post(path, data=data, headers=headers)

    return asyncio.run(send())


def _ticket() -> tuple[str, str]:
    """(a ticket, the token the websocket handler saw) for a new member's login."""
    now = datetime.now(UTC)
    with write_session() as session:
        member = make_member(session)
        assert member.id is not None
        token = start_session(session, member_id=member.id, now=now)
        return issue_ticket(session, session_token=token, now=now), token


def _resolves(token: str) -> bool:
    with write_session() as session:
        return resolve_session(session, token=token, now=datetime.now(UTC)) is not None


def test_a_ticket_becomes_an_httponly_lax_secure_cookie_and_a_redirect(
    app_database: Engine,
) -> None:
    ticket, handler_token = _ticket()

    response = _post(
        "/auth/session", {"ticket": ticket, "next": "/events?page=2"}, {"Origin": SITE}
    )

    assert response.status_code == 303
    assert response.headers["location"] == SITE + "/events?page=2"
    assert response.headers["cache-control"] == "no-store"
    set_cookie = response.headers["set-cookie"]
    for attribute in ("HttpOnly", "SameSite=lax", "Secure", "Path=/"):
        assert attribute in set_cookie
    token = response.cookies[COOKIE_NAME]
    assert _resolves(token) and not _resolves(handler_token)


def test_a_used_ticket_sends_the_browser_back_to_the_login_page(app_database: Engine) -> None:
    ticket, _ = _ticket()
    _post("/auth/session", {"ticket": ticket}, {"Origin": SITE})

    again = _post("/auth/session", {"ticket": ticket, "next": "/admin"}, {"Origin": SITE})

    assert again.status_code == 303
    assert again.headers["location"] == SITE + "/login?next=%2Fadmin"
    assert "set-cookie" not in again.headers


def test_an_unsafe_next_is_replaced_by_the_home_page(app_database: Engine) -> None:
    ticket, _ = _ticket()

    response = _post("/auth/session", {"ticket": ticket, "next": "//evil.example/"}, {})

    assert response.headers["location"] == "/"


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "null", "https://tsudoi.example.evil.example"]
)
def test_another_sites_page_can_neither_log_in_nor_out(app_database: Engine, origin: str) -> None:
    ticket, _ = _ticket()

    login = _post("/auth/session", {"ticket": ticket}, {"Origin": origin})
    logout = _post("/auth/logout", {}, {"Origin": origin})

    assert (login.status_code, logout.status_code) == (403, 403)
    assert "set-cookie" not in login.headers and "set-cookie" not in logout.headers


def test_logout_ends_the_login_and_clears_the_cookie(app_database: Engine) -> None:
    ticket, _ = _ticket()
    token = _post("/auth/session", {"ticket": ticket}, {"Origin": SITE}).cookies[COOKIE_NAME]

    response = _post(
        "/auth/logout",
        {"next": "/events"},
        {"Origin": SITE, "Cookie": f"{COOKIE_NAME}={token}"},
    )

    assert response.status_code == 303 and response.headers["location"] == SITE + "/events"
    assert f'{COOKIE_NAME}=""' in response.headers["set-cookie"]
    assert "Max-Age=0" in response.headers["set-cookie"]
    assert not _resolves(token)


# --- the websocket handshake ---------------------------------------------------------


def _handshake(headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    """What the app behind ``hide_from_page_state`` sees of a websocket's scope."""
    seen: dict[str, Any] = {}

    async def app(scope: Any, _receive: Any, _send: Any) -> None:
        seen.update(scope)

    scope = {"type": "websocket", "path": "/_event/", "headers": headers}
    asyncio.run(hide_from_page_state(app)(scope, None, None))
    return seen


def test_the_login_cookie_never_reaches_reflex_in_the_handshake_headers() -> None:
    seen = _handshake(
        [
            (b"host", b"tsudoi.example"),
            (b"origin", b"https://tsudoi.example"),
            (b"cookie", b"theme=dark; tsudoi_session=SECRET-TOKEN; lang=ja"),
        ]
    )

    assert seen[SCOPE_KEY] == "SECRET-TOKEN"  # in memory, for the socket's handlers
    assert dict(seen["headers"])[b"cookie"] == b"theme=dark; lang=ja"
    assert b"SECRET-TOKEN" not in repr(seen["headers"]).encode()


def test_a_handshake_from_another_site_speaks_for_nobody() -> None:
    seen = _handshake(
        [
            (b"host", b"tsudoi.example"),
            (b"origin", b"https://evil.example"),
            (b"cookie", b"tsudoi_session=SECRET-TOKEN"),
        ]
    )

    assert seen[SCOPE_KEY] == ""
    assert b"cookie" not in dict(seen["headers"])


def test_plain_http_requests_pass_untouched() -> None:
    seen: dict[str, Any] = {}

    async def app(scope: Any, _receive: Any, _send: Any) -> None:
        seen.update(scope)

    headers = [(b"cookie", b"tsudoi_session=SECRET-TOKEN")]
    asyncio.run(hide_from_page_state(app)({"type": "http", "headers": headers}, None, None))

    assert seen["headers"] == headers and SCOPE_KEY not in seen
