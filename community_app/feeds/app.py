"""The Starlette app mounted into Reflex with ``api_transformer``: calendar feeds and
``/health``.

Endpoints are plain ``def`` functions: Starlette runs them in a thread pool, so the
blocking database work never stalls the event loop that serves the websocket. Each
feed reads its entries, derives the validators from them and answers a conditional
request with 304 before any document is built.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, Router

from community_app.db import get_engine, read_session, write_session
from community_app.domain.calendar import (
    FeedEntry,
    FeedFilter,
    FeedHeader,
    build_calendar,
    event_feed_entry,
    feed_validator,
    public_feed_entries,
)
from community_app.domain.enums import EventFormat, EventKind
from community_app.domain.feed_tokens import personal_feed_entries, resolve_feed_token
from community_app.domain.models import Group, Member
from community_app.settings import get_settings

ICS_MEDIA_TYPE = "text/calendar; charset=utf-8"
FEED_CACHE_SECONDS = 300
PUBLIC_CACHE = f"public, max-age={FEED_CACHE_SECONDS}"
PRIVATE_CACHE = "private, no-store"
MAX_FILTER_LENGTH = 120
GZIP_MINIMUM_SIZE = 1000
# One answer for unknown slugs and bad or revoked tokens: nothing tells them apart.
NOT_FOUND_TEXT = "見つかりません / Not found\n"


def _not_found() -> Response:
    return PlainTextResponse(NOT_FOUND_TEXT, status_code=404)


def _bad_filter(name: str) -> Response:
    return PlainTextResponse(
        f"絞り込み条件 {name} が正しくありません / The filter {name} is not valid\n",
        status_code=400,
    )


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def _not_modified(request: Request, etag: str, last_modified: datetime | None) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag in tags
    since = request.headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    try:
        parsed = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if parsed.tzinfo is None:
        return False
    return last_modified.replace(microsecond=0) <= parsed


class RenderedFeeds:
    """The last rendered public feeds, keyed by their ETag, within a byte budget.

    The ETag is a hash of everything ``build_calendar`` reads (``feed_validator``), so
    a hit is the same document, byte for byte, without rendering it again: a calendar
    app polling an unchanged feed costs a query, not an icalendar build. Personal feeds
    are not kept: they are private and each has its own reader.
    """

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, etag: str) -> bytes | None:
        with self._lock:
            body = self._bodies.get(etag)
            if body is not None:
                self._bodies.move_to_end(etag)
            return body

    def put(self, etag: str, body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            if etag in self._bodies:
                return
            self._bodies[etag] = body
            self._size += len(body)
            while self._size > self.max_bytes:
                _, dropped = self._bodies.popitem(last=False)
                self._size -= len(dropped)


RENDERED = RenderedFeeds()


def _render(entries: list[FeedEntry], header: FeedHeader, etag: str, *, personal: bool) -> bytes:
    if personal:
        return build_calendar(entries, header)
    body = RENDERED.get(etag)
    if body is None:
        body = build_calendar(entries, header)
        RENDERED.put(etag, body)
    return body


def _calendar_response(
    request: Request,
    entries: list[FeedEntry],
    header: FeedHeader,
    *,
    filename: str,
    personal: bool = False,
) -> Response:
    validator = feed_validator(entries, header)
    headers = {
        "ETag": validator.etag,
        "Cache-Control": PRIVATE_CACHE if personal else PUBLIC_CACHE,
        "Content-Disposition": f'inline; filename="{filename}"',
    }
    if validator.last_modified is not None:
        headers["Last-Modified"] = _http_date(validator.last_modified)
    if _not_modified(request, validator.etag, validator.last_modified):
        return Response(status_code=304, headers=headers)
    body = _render(entries, header, validator.etag, personal=personal)
    return Response(body, media_type=ICS_MEDIA_TYPE, headers=headers)


def _header(name: str, description: str, timezone: str | None = None) -> FeedHeader:
    settings = get_settings()
    return FeedHeader(name, description, settings.site_url, timezone or settings.default_timezone)


def _choice(raw: str | None, enum: type[EventKind] | type[EventFormat]) -> object:
    if raw is None or raw == "":
        return None
    try:
        return enum(raw)
    except ValueError:
        return False


def _group_by_slug(session: Session, slug: str) -> Group | None:
    if not slug or len(slug) > MAX_FILTER_LENGTH:
        return None
    return session.exec(select(Group).where(Group.slug == slug)).first()


def events_feed(request: Request) -> Response:
    """All published events; ``?group=&kind=&format=&tag=`` narrow them down."""
    params = request.query_params
    kind, event_format = (
        _choice(params.get("kind"), EventKind),
        _choice(params.get("format"), EventFormat),
    )
    if kind is False:
        return _bad_filter("kind")
    if event_format is False:
        return _bad_filter("format")
    tag = params.get("tag") or None
    if tag is not None and len(tag) > MAX_FILTER_LENGTH:
        return _bad_filter("tag")
    now = datetime.now(UTC)
    with read_session() as session:
        group = None
        if params.get("group"):
            group = _group_by_slug(session, params["group"])
            if group is None:
                return _not_found()
        where = FeedFilter(
            group_id=group.id if group else None,
            kind=kind,  # type: ignore[arg-type]
            format=event_format,  # type: ignore[arg-type]
            tag=tag,
        )
        entries = public_feed_entries(session, now=now, where=where)
    name = f"Tsudoi 集い: {group.name}" if group else "Tsudoi 集い"
    header = _header(name, "Tsudoi の公開イベント / Published events on Tsudoi")
    return _calendar_response(request, entries, header, filename="events.ics")


def group_feed(request: Request) -> Response:
    now = datetime.now(UTC)
    with read_session() as session:
        group = _group_by_slug(session, request.path_params["slug"])
        if group is None:
            return _not_found()
        entries = public_feed_entries(session, now=now, where=FeedFilter(group_id=group.id))
    header = _header(
        f"{group.name} (Tsudoi 集い)",
        f"{group.name} の公開イベント / Published events of {group.name_en or group.name}",
        group.timezone,
    )
    return _calendar_response(request, entries, header, filename=f"{group.slug}.ics")


def event_feed(request: Request) -> Response:
    slug = request.path_params["slug"]
    if len(slug) > 200:
        return _not_found()
    with read_session() as session:
        entry = event_feed_entry(session, slug=slug, now=datetime.now(UTC))
    if entry is None:
        return _not_found()
    header = _header(entry.title, entry.summary or entry.title, entry.timezone)
    return _calendar_response(request, [entry], header, filename="event.ics")


def personal_feed(request: Request) -> Response:
    now = datetime.now(UTC)
    with write_session() as session:
        member_id = resolve_feed_token(session, token=request.path_params["token"], now=now)
        if member_id is None:
            return _not_found()
        member = session.get(Member, member_id)
        assert member is not None
        entries = personal_feed_entries(session, member_id=member_id, now=now)
        header = _header(
            f"Tsudoi 集い: {member.display_name}",
            "参加予定のイベント / Events you are going to",
            member.timezone,
        )
    return _calendar_response(request, entries, header, filename="tsudoi.ics", personal=True)


def health(request: Request) -> Response:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        reason = str(error.orig if hasattr(error, "orig") else error).splitlines()[0]
        return JSONResponse({"status": "error", "database": reason}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


def create_feeds_app() -> Starlette:
    methods = ["GET", "HEAD"]
    feeds = Router(
        routes=[
            Route("/events.ics", events_feed, methods=methods),
            Route("/groups/{slug}.ics", group_feed, methods=methods),
            Route("/events/{slug}.ics", event_feed, methods=methods),
            Route("/personal/{token}.ics", personal_feed, methods=methods),
        ]
    )
    # Gzip only the feeds: the Reflex app mounted beside them keeps its own behaviour.
    return Starlette(
        routes=[
            Mount("/feeds", app=GZipMiddleware(feeds, minimum_size=GZIP_MINIMUM_SIZE)),
            Route("/health", health, methods=methods),
        ]
    )
