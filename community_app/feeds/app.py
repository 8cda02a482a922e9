"""The Starlette app mounted into Reflex with ``api_transformer``.

Endpoints are plain ``def`` functions: Starlette runs them in a thread pool, so the
blocking database work never stalls the event loop that serves the websocket.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from community_app.db import get_engine, read_session
from community_app.domain.calendar import build_calendar, etag_for, public_feed_entries
from community_app.settings import get_settings

ICS_MEDIA_TYPE = "text/calendar; charset=utf-8"
FEED_CACHE_SECONDS = 300


def _calendar_response(request: Request, body: bytes, *, filename: str) -> Response:
    etag = etag_for(body)
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={FEED_CACHE_SECONDS}",
        "Content-Disposition": f'inline; filename="{filename}"',
    }
    if etag in [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=ICS_MEDIA_TYPE, headers=headers)


def events_feed(request: Request) -> Response:
    settings = get_settings()
    with read_session() as session:
        entries = public_feed_entries(session, now=datetime.now(UTC))
    body = build_calendar(
        entries,
        name="Tsudoi 集い",
        description="Tsudoi の公開イベント / Published events on Tsudoi",
        site_url=settings.site_url,
    )
    return _calendar_response(request, body, filename="events.ics")


def health(request: Request) -> Response:
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        reason = str(error.orig if hasattr(error, "orig") else error).splitlines()[0]
        return JSONResponse({"status": "error", "database": reason}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


def create_feeds_app() -> Starlette:
    return Starlette(
        routes=[
            Route("/feeds/events.ics", events_feed, methods=["GET", "HEAD"]),
            Route("/health", health, methods=["GET", "HEAD"]),
        ]
    )
