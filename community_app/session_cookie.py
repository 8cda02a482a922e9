"""The login cookie: set and cleared only by the server over plain HTTP, HttpOnly, and
kept out of every page state.

Reflex keeps each tab's state for an hour (``.states/`` or Redis), and with it the
headers of the tab's websocket handshake. So the login cookie is taken out of the
websocket's ``Cookie`` header before Reflex sees it (``hide_from_page_state``) and put
in the connection's ASGI scope, which lives in memory for as long as the socket and is
never stored; handlers read it from there (``ui.auth``). The cookie is set by
``POST /auth/session`` (redeeming a one-time ticket, ``domain.login_tickets``) and
cleared by ``POST /auth/logout`` (``feeds.auth_routes``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from reflex_base.config import get_config

from community_app.domain.sessions import SESSION_ABSOLUTE_LIFETIME
from community_app.settings import get_settings

COOKIE_NAME = "tsudoi_session"
# Where the connection's login token waits in the websocket's ASGI scope (memory only).
SCOPE_KEY = "tsudoi.session_token"

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]


def cookie_attributes() -> dict[str, Any]:
    """Starlette's ``set_cookie`` arguments: HttpOnly, SameSite=Lax, Secure over https."""
    return {
        "key": COOKIE_NAME,
        "max_age": int(SESSION_ABSOLUTE_LIFETIME.total_seconds()),
        "path": "/",
        "httponly": True,
        "samesite": "lax",
        "secure": get_settings().site_url.startswith("https://"),
    }


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


def is_same_origin(scope: Scope) -> bool:
    """No ``Origin`` (not a browser), or one naming this host: a page of another site
    may neither use nor set the login (cross-site websocket hijacking, login CSRF)."""
    origin = _header(scope, b"origin")
    if not origin:
        return True
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False  # "null" (sandboxed frames, privacy redirects) included
    if parts.netloc == _header(scope, b"host"):
        return True
    # The public address, and the frontend's own when Reflex serves it on another port.
    ours = {get_settings().site_url, get_config().deploy_url or ""}
    return any((parts.scheme, parts.netloc) == urlsplit(url)[:2] for url in ours if url)


def split_login_cookie(cookie_header: str) -> tuple[str, str]:
    """(the login token or "", the Cookie header without it)."""
    token, kept = "", []
    for part in cookie_header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE_NAME:
            token = token or _unquote(value)
        elif part.strip():
            kept.append(part.strip())
    return token, "; ".join(kept)


def _unquote(value: str) -> str:
    try:
        parsed = SimpleCookie(f"{COOKIE_NAME}={value}")
    except CookieError:
        return ""
    morsel = parsed.get(COOKIE_NAME)
    return morsel.value if morsel is not None else ""


def hide_from_page_state(app: ASGIApp) -> ASGIApp:
    """Wrap the app so no websocket handshake shows the login cookie to Reflex."""

    async def guarded(scope: Scope, receive: Any, send: Any) -> None:
        if scope.get("type") != "websocket":
            await app(scope, receive, send)
            return
        token, headers = "", []
        for key, value in scope.get("headers", []):
            if key.lower() == b"cookie":
                found, rest = split_login_cookie(bytes(value).decode("latin-1"))
                token = token or found
                if rest:
                    headers.append((key, rest.encode("latin-1")))
            else:
                headers.append((key, value))
        scope = dict(scope)
        scope["headers"] = headers
        scope[SCOPE_KEY] = token if is_same_origin(scope) else ""
        await app(scope, receive, send)

    return guarded
