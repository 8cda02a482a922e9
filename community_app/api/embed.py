"""The embeddable widget: ``/embed/events`` and ``/embed/groups/{slug}``, a small
server-rendered HTML page (no script, its CSS inline) listing the next published
events, meant for an ``<iframe>`` on another site.

These are the only routes that any site may frame: they answer with their own
``Content-Security-Policy`` (``frame-ancestors *``), which a site-wide security-headers
middleware must leave in place (see ``EMBED_PATH_PREFIX`` and ``EMBED_CSP``).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from html import escape
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from community_app.db import read_session
from community_app.domain.errors import NotFound
from community_app.domain.event_search import EventFilters
from community_app.domain.events import EventCard
from community_app.domain.open_data import event_slice, group_card
from community_app.i18n import format_datetime, message
from community_app.settings import get_settings

EMBED_PATH_PREFIX = "/embed/"
# Inline styles only, no script, links open outside the frame; any site may frame it.
EMBED_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors *"
)
CACHE_CONTROL = "public, max-age=300"
DEFAULT_ITEMS, MAX_ITEMS = 5, 20
THEMES = ("light", "dark")
STYLE = """
:root{--fg:#1f1d1a;--muted:#6b655c;--line:#e7e2da;--bg:#fff;--accent:#c2410c}
[data-theme=dark]{--fg:#f1ede6;--muted:#b3aba0;--line:#3a3631;--bg:#1b1a18;--accent:#fb923c}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);
font:15px/1.5 system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif}
main{padding:12px 14px}
h1{font-size:1rem;margin:0 0 8px}
a{color:inherit;text-decoration:none}
a:hover .t,a:focus .t,footer a:hover{text-decoration:underline}
ul{list-style:none;margin:0;padding:0}
li{border-top:1px solid var(--line)}
li a{display:block;padding:8px 0}
time{display:block;color:var(--muted);font-size:.85rem}
.t{font-weight:600;color:var(--accent)}
.m{display:block;color:var(--muted);font-size:.8rem}
.x{font-size:.75rem;border:1px solid currentColor;border-radius:4px;padding:0 4px;margin-left:6px}
.e{color:var(--muted)}
footer{border-top:1px solid var(--line);padding-top:8px;font-size:.8rem;color:var(--muted);
display:flex;justify-content:space-between;gap:8px}
footer a{color:var(--accent)}
"""


def _choice(request: Request, name: str, choices: tuple[str, ...], default: str) -> str | None:
    value = request.query_params.get(name, default)
    return value if value in choices else None


def _item(site: str, card: EventCard, locale: str) -> str:
    when = format_datetime(card.starts_at, card.timezone, locale)
    cancelled = (
        f"<span class='x'>{escape(message('embed.cancelled', locale))}</span>"
        if card.status == "cancelled"
        else ""
    )
    group = card.group_name_en if locale == "en" and card.group_name_en else card.group_name
    meta = f"{message('format.' + card.format, locale)} · {group}"
    return (
        f"<li><a href='{escape(site)}/events/{quote(card.slug, safe='')}' rel='noopener'>"
        f"<time datetime='{card.starts_at.isoformat()}'>{escape(when)}</time>"
        f"<span class='t'>{escape(card.title)}</span>{cancelled}"
        f"<span class='m'>{escape(meta)}</span></a></li>"
    )


def _page(*, title: str, items: list[str], more: str, locale: str, theme: str) -> str:
    body = (
        f"<ul>{''.join(items)}</ul>"
        if items
        else f"<p class='e'>{escape(message('embed.empty', locale))}</p>"
    )
    return (
        f"<!doctype html><html lang='{locale}' data-theme='{theme}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<meta name='color-scheme' content='{theme}'>"
        f"<title>{escape(title)}</title><base target='_blank'><style>{STYLE}</style></head>"
        f"<body><main><h1><a href='{escape(more)}' rel='noopener'>{escape(title)}</a></h1>{body}"
        f"<footer><a href='{escape(more)}' rel='noopener'>{escape(message('embed.more', locale))}"
        f"</a><span>{escape(message('embed.powered', locale))}</span></footer></main></body></html>"
    )


def _bad(name: str) -> Response:
    text = " / ".join(message("embed.bad_parameter", locale, name=name) for locale in ("ja", "en"))
    return HTMLResponse(
        f"<p>{escape(text)}</p>", status_code=400, headers={"Content-Security-Policy": EMBED_CSP}
    )


def _widget(request: Request, group_slug: str) -> Response:
    locale = _choice(request, "lang", ("ja", "en"), get_settings().default_locale)
    theme = _choice(request, "theme", THEMES, "light")
    raw_limit = request.query_params.get("limit", str(DEFAULT_ITEMS))
    if locale is None:
        return _bad("lang")
    if theme is None:
        return _bad("theme")
    if not raw_limit.isascii() or not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_ITEMS:
        return _bad("limit")
    site, now = get_settings().site_url, datetime.now(UTC)
    try:
        with read_session() as session:
            found = event_slice(
                session,
                now=now,
                filters=EventFilters(group=group_slug),
                after=None,
                limit=int(raw_limit),
            )
            group = group_card(session, slug=group_slug, now=now)[0] if group_slug else None
    except NotFound:
        return HTMLResponse(
            "<p>見つかりません / Not found</p>",
            status_code=404,
            headers={"Content-Security-Policy": EMBED_CSP},
        )
    if group is None:
        title, more = message("embed.title_site", locale), f"{site}/events"
    else:
        name = group.name_en if locale == "en" and group.name_en else group.name
        title = message("embed.title_group", locale, name=name)
        more = f"{site}/groups/{quote(group.slug, safe='')}"
    page = _page(
        title=title,
        items=[_item(site, c, locale) for c in found.items],
        more=more,
        locale=locale,
        theme=theme,
    ).encode()
    etag = f'"{hashlib.sha256(page).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Content-Security-Policy": EMBED_CSP}
    if etag in [
        t.strip().removeprefix("W/") for t in request.headers.get("if-none-match", "").split(",")
    ]:
        return Response(status_code=304, headers=headers)
    return HTMLResponse(page, headers=headers)


def events_widget(request: Request) -> Response:
    return _widget(request, "")


def group_widget(request: Request) -> Response:
    slug = request.path_params["slug"]
    if not slug or len(slug) > 120:
        return HTMLResponse(
            "<p>見つかりません / Not found</p>",
            status_code=404,
            headers={"Content-Security-Policy": EMBED_CSP},
        )
    return _widget(request, slug)
