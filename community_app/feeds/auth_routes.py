"""``POST /auth/session`` and ``POST /auth/logout``: the only places the login cookie
is set or cleared (HttpOnly, so no script and no page state ever holds it).

The login form's handler checks the password over the websocket and answers with a
one-time ticket; the page posts it here and gets the cookie with a 303 to where the
member was going. Both routes refuse a request from another site's page (its
``Origin``), so a foreign page can neither log a visitor in to an account of its choice
nor log them out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from community_app.db import write_session
from community_app.domain.login_tickets import redeem_ticket
from community_app.domain.sessions import end_session
from community_app.domain.urls import safe_next_path
from community_app.session_cookie import (
    COOKIE_NAME,
    cookie_attributes,
    is_same_origin,
)

MAX_FORM_BYTES = 4096
NO_STORE = {"Cache-Control": "no-store"}


async def _form(request: Request) -> dict[str, str]:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return {}
    fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=8)
    return {name: values[0] for name, values in fields.items() if values}


def _refused() -> Response:
    return PlainTextResponse(
        "別のサイトからの要求は受け付けません / Requests from other sites are refused\n",
        status_code=403,
        headers=NO_STORE,
    )


def _back_to_the_page(request: Request, path: str) -> str:
    """``path`` on the origin of the page that posted (checked to be ours): Reflex may
    serve the pages on another port than these routes (its test harness does)."""
    origin = request.headers.get("origin", "")
    return origin + path if origin.startswith(("http://", "https://")) else path


def _redeem(ticket: str) -> str | None:
    with write_session() as session:
        return redeem_ticket(session, ticket=ticket, now=datetime.now(UTC))


def _end(token: str) -> None:
    with write_session() as session:
        end_session(session, token=token, now=datetime.now(UTC))


async def start_session(request: Request) -> Response:
    """Redeem the ticket for the cookie, then go on to ``next`` (or back to /login)."""
    if not is_same_origin(request.scope):
        return _refused()
    form = await _form(request)
    next_path = safe_next_path(form.get("next"))
    token = await run_in_threadpool(_redeem, form.get("ticket", ""))
    if token is None:
        login = "/login?" + urlencode({"next": next_path}) if next_path != "/" else "/login"
        return RedirectResponse(
            _back_to_the_page(request, login), status_code=303, headers=NO_STORE
        )
    response = RedirectResponse(
        _back_to_the_page(request, next_path), status_code=303, headers=NO_STORE
    )
    response.set_cookie(value=token, **cookie_attributes())
    return response


async def end_session_route(request: Request) -> Response:
    """End this browser's login (if any) and clear the cookie, then go to ``next``."""
    if not is_same_origin(request.scope):
        return _refused()
    form = await _form(request)
    token = request.cookies.get(COOKIE_NAME, "")
    if token:
        await run_in_threadpool(_end, token)
    response = RedirectResponse(
        _back_to_the_page(request, safe_next_path(form.get("next"))),
        status_code=303,
        headers=NO_STORE,
    )
    attributes = cookie_attributes()
    response.delete_cookie(
        COOKIE_NAME,
        path=attributes["path"],
        secure=attributes["secure"],
        httponly=True,
        samesite="lax",
    )
    return response


def auth_routes() -> list[Route]:
    return [
        Route("/auth/session", start_session, methods=["POST"]),
        Route("/auth/logout", end_session_route, methods=["POST"]),
    ]
