"""The routes of the API and the widget, mounted by ``feeds.app`` beside the feeds."""

from __future__ import annotations

import re

from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import Receive, Scope, Send

from community_app.api import embed
from community_app.api.openapi import docs_page, openapi_bytes
from community_app.api.present import API_PREFIX
from community_app.api.routes import CACHE_CONTROL, OPERATIONS, endpoint, error_response
from community_app.settings import get_settings

METHODS = ["GET", "HEAD"]
GZIP_MINIMUM_SIZE = 1000


def openapi_json(request: Request) -> Response:
    body = openapi_bytes(get_settings().site_url)
    return Response(body, media_type="application/json", headers={"Cache-Control": CACHE_CONTROL})


def docs(request: Request) -> Response:
    return HTMLResponse(
        docs_page(get_settings().site_url), headers={"Cache-Control": CACHE_CONTROL}
    )


def not_found(request: Request) -> Response:
    """Any other path below /api/v1 (a slug with a slash in it, say): JSON too."""
    return error_response(404, "not_found", "Not found.", "見つかりません。")


async def _not_found_app(scope: Scope, receive: Receive, send: Send) -> None:
    await not_found(Request(scope))(scope, receive, send)


def api_routes() -> list[BaseRoute]:
    """``/api/v1`` (CORS open for GET, gzipped) and ``/embed``."""
    api = Router(
        routes=[
            Route("/openapi.json", openapi_json, methods=METHODS),
            Route("/", docs, methods=METHODS),
            *(Route(op.path, endpoint(op), methods=METHODS) for op in OPERATIONS),
        ],
        default=_not_found_app,
    )
    open_for_reading = CORSMiddleware(
        GZipMiddleware(api, minimum_size=GZIP_MINIMUM_SIZE),
        allow_origins=["*"],
        allow_methods=METHODS,
        allow_headers=["If-None-Match"],
        expose_headers=["ETag", "Retry-After"],
        max_age=86400,
    )
    widget = Router(
        routes=[
            Route("/events", embed.events_widget, methods=METHODS),
            Route("/groups/{slug}", embed.group_widget, methods=METHODS),
        ]
    )
    api_mount = Mount(API_PREFIX, app=open_for_reading)
    # Mount matches the rest of the path with ".*", which stops at a newline: a slug
    # with %0A in it would fall out of the API (to a plain-text 404). The API answers it.
    api_mount.path_regex = re.compile(api_mount.path_regex.pattern, re.DOTALL)
    return [
        Route(API_PREFIX, docs, methods=METHODS),
        api_mount,
        Mount(embed.EMBED_PATH_PREFIX.rstrip("/"), app=widget),
    ]
