"""One-click unsubscribe (RFC 8058) without logging in.

``POST /mail/unsubscribe/{member}/{category}/{signature}`` (what mail clients send for
``List-Unsubscribe-Post: List-Unsubscribe=One-Click``, and what the page's button
sends) turns the category off. ``GET`` only shows a page that asks: link scanners and
previews open links, and must not unsubscribe anyone. The signature is checked by the
domain (``mail_preferences``): forged links, and links altered for another member or
category, get the same "not valid" page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from community_app.db import read_session, write_session
from community_app.domain.errors import DomainError
from community_app.domain.mail_preferences import (
    UNSUBSCRIBE_PATH,
    UnsubscribeTarget,
    read_unsubscribe_link,
    unsubscribe,
)
from community_app.i18n import negotiate_locale, translate
from community_app.settings import get_settings

HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",  # the path is a credential for one switch
    "X-Robots-Tag": "noindex",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
}
STYLE = (
    "body{font-family:'Hiragino Sans','Noto Sans JP',Meiryo,sans-serif;max-width:36rem;"
    "margin:3rem auto;padding:0 1rem;line-height:1.7;color:#1c1917}"
    "button{font-size:1rem;padding:.6rem 1.2rem;background:#b45309;color:#fff;border:0;"
    "border-radius:6px;cursor:pointer}"
)


def _page(locale: str, body: str, status: int = 200) -> Response:
    title = escape(translate("mail.unsubscribe.title", locale))
    site = escape(get_settings().site_name)
    html = (
        f'<!DOCTYPE html><html lang="{locale}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} | {site}</title><style>{STYLE}</style></head>"
        f"<body><main><h1>{title}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(html, status_code=status, headers=HEADERS)


def _settings_link(locale: str) -> str:
    label = escape(translate("mail.unsubscribe.settings", locale))
    return f'<p><a href="/account">{label}</a></p>'


def _invalid(request: Request) -> Response:
    locale = negotiate_locale(request.headers.get("accept-language", ""))
    message = escape(translate("mail.unsubscribe.invalid", locale))
    return _page(locale, f'<p id="unsubscribe-invalid">{message}</p>', status=400)


def _category(target: UnsubscribeTarget) -> str:
    label = escape(translate(f"mail.category.{target.category.value}", target.locale))
    return f'<p><strong id="unsubscribe-category">{label}</strong></p>'


def _link_parts(request: Request) -> dict[str, object]:
    raw_id = request.path_params["member_id"]
    return {
        "member_id": int(raw_id) if raw_id.isdigit() and len(raw_id) < 11 else raw_id,
        "category": request.path_params["category"],
        "signature": request.path_params["signature"],
        "secret": get_settings().secret_key,
    }


def unsubscribe_page(request: Request) -> Response:
    try:
        with read_session() as session:
            target = read_unsubscribe_link(session, **_link_parts(request))  # type: ignore[arg-type]
    except DomainError:
        return _invalid(request)
    locale = target.locale
    if target.is_off:
        done = escape(translate("mail.unsubscribe.done", locale))
        return _page(locale, f"<p>{done}</p>{_category(target)}{_settings_link(locale)}")
    question = escape(translate("mail.unsubscribe.confirm", locale))
    button = escape(translate("mail.unsubscribe.button", locale))
    form = (
        f'<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">'
        f'<button type="submit" id="unsubscribe-button">{button}</button></form>'
    )
    return _page(locale, f"<p>{question}</p>{_category(target)}{form}{_settings_link(locale)}")


def unsubscribe_now(request: Request) -> Response:
    try:
        with write_session() as session:
            target = unsubscribe(session, now=datetime.now(UTC), **_link_parts(request))  # type: ignore[arg-type]
    except DomainError:
        return _invalid(request)
    done = escape(translate("mail.unsubscribe.done", target.locale))
    body = f'<p id="unsubscribe-done">{done}</p>{_category(target)}'
    return _page(target.locale, body + _settings_link(target.locale))


ROUTES = [
    Route(
        f"{UNSUBSCRIBE_PATH}/{{member_id}}/{{category}}/{{signature}}",
        unsubscribe_page,
        methods=["GET", "HEAD"],
    ),
    Route(
        f"{UNSUBSCRIBE_PATH}/{{member_id}}/{{category}}/{{signature}}",
        unsubscribe_now,
        methods=["POST"],
    ),
]
