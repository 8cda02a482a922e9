"""The Starlette app mounted into Reflex with ``api_transformer``: calendar feeds,
``/health``, and the open-data API and widget of ``community_app.api``.

Endpoints are plain ``def`` functions: Starlette runs them in a thread pool, so the
blocking database work never stalls the event loop that serves the websocket. Each
feed derives its validators first (a public feed from one aggregate query) and answers
a conditional request with 304 before any document is read or built; documents are
assembled from cached VEVENT fragments (``domain.feed_documents``) and public ones are
kept rendered, plain and gzipped.
"""

from __future__ import annotations

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

from community_app.api.app import api_routes
from community_app.db import commits_so_far, get_engine, read_session, write_session
from community_app.domain.calendar import (
    FeedEntry,
    FeedFilter,
    FeedHeader,
    FeedValidator,
    event_feed_entry,
    feed_validator,
)
from community_app.domain.enums import EventFormat, EventKind
from community_app.domain.feed_documents import (
    FragmentCache,
    document_of,
    public_document,
    public_validator,
)
from community_app.domain.feed_tokens import personal_feed_entries, resolve_feed_token
from community_app.domain.models import Group, Member
from community_app.feeds.auth_routes import auth_routes
from community_app.feeds.rendered import (
    GZIP_MINIMUM_SIZE,
    Rendered,
    RenderedFeeds,
    ValidatorMemo,
)
from community_app.settings import get_settings

ICS_MEDIA_TYPE = "text/calendar; charset=utf-8"
FEED_CACHE_SECONDS = 300
PUBLIC_CACHE = f"public, max-age={FEED_CACHE_SECONDS}"
PRIVATE_CACHE = "private, no-store"
MAX_FILTER_LENGTH = 120
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


RENDERED = RenderedFeeds()
FRAGMENTS = FragmentCache()
VALIDATORS: ValidatorMemo[FeedValidator] = ValidatorMemo()


def _feed_key(request: Request) -> str:
    """A public feed URL, its query in a fixed order."""
    return f"{request.url.path}?{sorted(request.query_params.multi_items())}"


def _from_memory(request: Request, filename: str) -> Response | None:
    """The answer to a poll from the remembered validator and rendered document, with no
    query; None when either is not in memory."""
    validator = VALIDATORS.get(_feed_key(request))
    if validator is None:
        return None
    headers = _validator_headers(validator, filename, personal=False)
    if _not_modified(request, validator.etag, validator.last_modified):
        return Response(status_code=304, headers=headers)
    rendered = RENDERED.get(validator.etag)
    return None if rendered is None else _send(request, rendered, headers)


def _validator_headers(
    validator: FeedValidator, filename: str, *, personal: bool
) -> dict[str, str]:
    headers = {
        "ETag": validator.etag,
        "Cache-Control": PRIVATE_CACHE if personal else PUBLIC_CACHE,
        "Content-Disposition": f'inline; filename="{filename}"',
    }
    if validator.last_modified is not None:
        headers["Last-Modified"] = _http_date(validator.last_modified)
    return headers


def _send(request: Request, rendered: Rendered, headers: dict[str, str]) -> Response:
    """The stored gzip when the client takes it (the GZip middleware lets an encoded
    response through untouched), else the plain bytes."""
    if rendered.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
        encoded = headers | {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        return Response(rendered.gzipped, media_type=ICS_MEDIA_TYPE, headers=encoded)
    return Response(rendered.body, media_type=ICS_MEDIA_TYPE, headers=headers)


def _public_response(
    request: Request, session: Session, where: FeedFilter, header: FeedHeader, filename: str
) -> Response:
    """A public feed: one aggregate query decides 304; then the rendered document
    if this ETag was seen, else a document assembled from the cached fragments."""
    now = datetime.now(UTC)
    commits = commits_so_far()  # before reading: a commit from now on forgets this read
    validator = public_validator(session, now=now, where=where, header=header)
    VALIDATORS.put(_feed_key(request), validator, commits=commits)
    headers = _validator_headers(validator, filename, personal=False)
    if _not_modified(request, validator.etag, validator.last_modified):
        return Response(status_code=304, headers=headers)
    rendered = RENDERED.get(validator.etag)
    if rendered is None:
        # Read after the validator: an edit committed in between can only put a newer
        # document under this (then already outdated) ETag, never an older one.
        body = public_document(session, now=now, where=where, header=header, cache=FRAGMENTS)
        rendered = RENDERED.put(validator.etag, body)
    return _send(request, rendered, headers)


def _entries_response(
    request: Request,
    entries: list[FeedEntry],
    header: FeedHeader,
    *,
    filename: str,
    personal: bool = False,
) -> Response:
    """A single-event or personal feed: its few entries are loaded, hashed for the
    validators and assembled from fragments keyed by their whole content."""
    validator = feed_validator(entries, header)
    headers = _validator_headers(validator, filename, personal=personal)
    if _not_modified(request, validator.etag, validator.last_modified):
        return Response(status_code=304, headers=headers)
    if personal:
        body = document_of(entries, header, FRAGMENTS)
        return Response(body, media_type=ICS_MEDIA_TYPE, headers=headers)
    rendered = RENDERED.get(validator.etag)
    if rendered is None:
        rendered = RENDERED.put(validator.etag, document_of(entries, header, FRAGMENTS))
    return _send(request, rendered, headers)


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
    remembered = _from_memory(request, "events.ics")
    if remembered is not None:
        return remembered
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
        name = f"Tsudoi 集い: {group.name}" if group else "Tsudoi 集い"
        header = _header(name, "Tsudoi の公開イベント / Published events on Tsudoi")
        return _public_response(request, session, where, header, "events.ics")


def group_feed(request: Request) -> Response:
    remembered = _from_memory(request, f"{request.path_params['slug']}.ics")
    if remembered is not None:
        return remembered
    with read_session() as session:
        group = _group_by_slug(session, request.path_params["slug"])
        if group is None:
            return _not_found()
        header = _header(
            f"{group.name} (Tsudoi 集い)",
            f"{group.name} の公開イベント / Published events of {group.name_en or group.name}",
            group.timezone,
        )
        where = FeedFilter(group_id=group.id)
        return _public_response(request, session, where, header, f"{group.slug}.ics")


def event_feed(request: Request) -> Response:
    slug = request.path_params["slug"]
    if len(slug) > 200:
        return _not_found()
    with read_session() as session:
        entry = event_feed_entry(session, slug=slug, now=datetime.now(UTC))
    if entry is None:
        return _not_found()
    header = _header(entry.title, entry.summary or entry.title, entry.timezone)
    return _entries_response(request, [entry], header, filename="event.ics")


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
    return _entries_response(request, entries, header, filename="tsudoi.ics", personal=True)


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
            *auth_routes(),
            *api_routes(),
        ]
    )
