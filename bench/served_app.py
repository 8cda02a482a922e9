"""The production app, plus one bench-only route: the same feed bytes served from memory.

``bench/server.py`` starts ``reflex run --env prod`` with
``REFLEX_APP_MODULE_IMPORT=bench.served_app``, so the server under test is the real app
(same pages, same feeds, same middleware) and nothing in ``community_app`` changes. The
extra route ``/feeds/bench-memory/{name}`` sits behind the same ``/feeds`` mount and the
same GZip middleware as ``/feeds/events.ics``: it answers with bytes and headers the
bench fetched from the real feed and wrote to ``BENCH_MEMORY_DIR``, read once per worker
and then kept in memory, plain and gzipped (a precomputed twin compresses nothing per
request, like a warm feed). It exists only in this module, which only the bench imports.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route, Router

from community_app.community_app import app

_MEMORY: dict[str, tuple[bytes, bytes, dict[str, str]]] = {}


def _load(name: str) -> tuple[bytes, bytes, dict[str, str]] | None:
    if name not in _MEMORY:
        folder = Path(os.environ["BENCH_MEMORY_DIR"])
        body, meta = folder / f"{name}.body", folder / f"{name}.json"
        if not (name.isidentifier() and body.is_file() and meta.is_file()):
            return None
        plain = body.read_bytes()
        # Precomputed in both encodings, as the feed keeps its rendered documents.
        zipped = gzip.compress(plain, compresslevel=9, mtime=0)
        _MEMORY[name] = (plain, zipped, json.loads(meta.read_text()))
    return _MEMORY[name]


def memory_feed(request: Request) -> Response:
    """The precomputed twin of a feed: same bytes (plain or gzip, both computed once),
    same validators, same 304 rule."""
    stored = _load(request.path_params["name"])
    if stored is None:
        return PlainTextResponse("not stored\n", status_code=404)
    body, zipped, headers = stored
    if request.headers.get("if-none-match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", "") and len(body) >= 1000:
        encoded = headers | {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        return Response(zipped, media_type=headers["Content-Type"], headers=encoded)
    return Response(body, media_type=headers["Content-Type"], headers=headers)


def _feeds_router() -> Router:
    feeds_app = app.api_transformer
    for route in feeds_app.routes:  # type: ignore[union-attr]
        if isinstance(route, Mount) and route.path == "/feeds":
            return route.app.app  # type: ignore[no-any-return,attr-defined]  # GZip -> Router
    raise RuntimeError("the /feeds mount of the feeds app was not found")


if os.environ.get("BENCH_MEMORY_DIR"):
    _feeds_router().routes.insert(
        0, Route("/bench-memory/{name}", memory_feed, methods=["GET", "HEAD"])
    )

__all__ = ["app"]
