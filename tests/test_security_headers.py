"""Security headers on every route of the one-port production app: built pages (plain and
gzipped), static files, unknown paths, the feeds, /health and the websocket handshake.

The app is composed as Reflex composes it in production: Reflex's own Starlette app (the
compiled frontend mounted as static files, the websocket endpoint) mounted into the
feeds app, wrapped by the headers middleware (``api_transformer`` in community_app.py).
The browser side (no CSP violation on real pages) is tests/e2e/test_security_headers.py.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
from pathlib import Path
from typing import Any

import httpx
import pytest
from reflex.utils.precompressed_staticfiles import PrecompressedStaticFiles
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.routing import Mount, WebSocketRoute
from starlette.websockets import WebSocket

from community_app.feeds.app import create_feeds_app
from community_app.security_headers import SecurityHeaders, inline_script_hashes

pytestmark = pytest.mark.integration

BUILD_SCRIPT = b'window.__reactRouterContext = {"basename":"/"};'
MODULE_SCRIPT = b'import "/assets/manifest.js"; import("/assets/entry.client.js");'
PAGE = (
    b"<!DOCTYPE html><html><head><script src='/assets/app.js'></script>"
    b"<script>" + BUILD_SCRIPT + b"</script>"
    b'<script type="module" async="">' + MODULE_SCRIPT + b"</script>"
    b"</head><body><div id='root'></div></body></html>"
)


def _sha(script: bytes) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"


def _frontend(folder: Path) -> Path:
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_bytes(PAGE)
    (folder / "index.html.gz").write_bytes(gzip.compress(PAGE))
    (folder / "404.html").write_bytes(b"<html><body>Not found</body></html>")
    (folder / "assets" / "app.js").write_text("console.log('app')")
    return folder


def _composed(frontend: Path, *, site_url: str, protected: bool = True) -> Starlette:
    async def event_socket(websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_text("hello")
        await websocket.close()

    reflex_api = Starlette(
        routes=[
            WebSocketRoute("/_event", event_socket),
            Mount("/", PrecompressedStaticFiles(directory=frontend, html=True, encodings=["gzip"])),
        ]
    )
    feeds = create_feeds_app()
    feeds.mount("", reflex_api)
    app = SecurityHeaders(feeds, site_url=site_url) if protected else feeds
    top = Starlette()
    top.mount("", app)
    return top


class Client:
    """GET and a websocket handshake against an ASGI app, in this thread."""

    def __init__(self, app: Starlette) -> None:
        self.app = app

    def get(self, path: str, headers: dict[str, str] | None = None) -> httpx.Response:
        async def _get() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.get(path, headers=headers)

        return asyncio.run(_get())

    def websocket_accept(self, path: str) -> dict[bytes, bytes]:
        """The headers of the handshake's accept message."""
        sent: list[dict[str, Any]] = []
        incoming = [{"type": "websocket.connect"}, {"type": "websocket.disconnect", "code": 1000}]

        async def receive() -> dict[str, Any]:
            return incoming.pop(0) if incoming else {"type": "websocket.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "websocket",
            "path": path,
            "raw_path": path.encode(),
            "headers": [],
            "query_string": b"",
            "root_path": "",
            "subprotocols": [],
            "scheme": "ws",
        }
        asyncio.run(self.app(scope, receive, send))
        (accept,) = [message for message in sent if message["type"] == "websocket.accept"]
        return dict(accept.get("headers") or [])


@pytest.fixture
def client(app_database: Engine, tmp_path: Path) -> Client:
    return Client(_composed(_frontend(tmp_path / "client"), site_url="https://tsudoi.example"))


ROUTES = [
    "/",
    "/assets/app.js",
    "/no/such/page",
    "/feeds/events.ics",
    "/feeds/groups/unknown.ics",
    "/health",
]


@pytest.mark.parametrize("path", ROUTES)
def test_every_route_answers_with_the_security_headers(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code in (200, 404), response.text
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "script-src 'self'" in policy and "https:" not in policy.split("connect-src")[0]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["strict-transport-security"] == "max-age=31536000"


def test_a_page_allows_exactly_its_own_inline_scripts_plain_or_gzipped(
    client: Client,
) -> None:
    for encoding in ("identity", "gzip"):
        response = client.get("/", headers={"accept-encoding": encoding})
        assert response.content == PAGE  # the body passes through untouched
        policy = response.headers["content-security-policy"]
        assert _sha(BUILD_SCRIPT) in policy and _sha(MODULE_SCRIPT) in policy, encoding
        assert _sha(b"alert(document.cookie)") not in policy
    assert client.get("/", headers={"accept-encoding": "gzip"}).headers.get("content-encoding") == (
        "gzip"
    )


def test_the_embeddable_widget_keeps_its_own_policy_and_may_be_framed(client: Client) -> None:
    response = client.get("/embed/events")
    assert response.status_code == 200
    assert "frame-ancestors *" in response.headers["content-security-policy"]
    assert "x-frame-options" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_not_modified_answer_keeps_the_cached_pages_policy(client: Client) -> None:
    # A reload asks with If-None-Match and gets a 304 without a body. Its headers replace
    # the stored ones: a policy computed from no body would allow none of the page's
    # inline scripts, and the reloaded page would stay blank (seen in Chromium).
    etag = client.get("/").headers["etag"]
    again = client.get("/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert "content-security-policy" not in again.headers
    assert again.headers["x-content-type-options"] == "nosniff"


def test_the_websocket_handshake_carries_the_headers(client: Client) -> None:
    headers = client.websocket_accept("/_event")
    assert b"frame-ancestors 'none'" in headers[b"content-security-policy"]
    assert headers[b"x-content-type-options"] == b"nosniff"


def test_hsts_only_when_the_site_is_https(app_database: Engine, tmp_path: Path) -> None:
    app = _composed(_frontend(tmp_path / "client"), site_url="http://localhost:3000")
    response = Client(app).get("/health")
    assert "strict-transport-security" not in response.headers
    assert "ws://localhost:3000" in response.headers["content-security-policy"]


def test_control_without_the_middleware_no_route_has_them(
    app_database: Engine, tmp_path: Path
) -> None:
    app = _composed(_frontend(tmp_path / "client"), site_url="https://x", protected=False)
    for path in ROUTES:
        assert "content-security-policy" not in Client(app).get(path).headers, path


def test_inline_script_hashes_skip_external_scripts_and_repeats() -> None:
    html = b"<script src='/a.js'></script><script>x()</script><SCRIPT type='module'>x()</SCRIPT>"
    assert inline_script_hashes(html) == [_sha(b"x()")[8:-1]]


def test_a_page_sent_as_a_file_by_the_production_server_gets_its_hashes(tmp_path: Path) -> None:
    # Granian (the one-port production server) sends static files with the ASGI pathsend
    # extension: no body message, so the held start must go out before the file does
    # (forwarding the file first made every page of `make run` fail to start).
    page = tmp_path / "index.html"
    page.write_bytes(b"<html><script>window.a = 1</script></html>")

    async def file_app(scope: Any, receive: Any, send: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/html")],
            }
        )
        await send({"type": "http.response.pathsend", "path": str(page)})

    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        sent.append(message)

    async def receive() -> Any:
        return {"type": "http.request"}

    app = SecurityHeaders(file_app, site_url="http://localhost:3000")
    asyncio.run(app({"type": "http", "method": "GET", "path": "/"}, receive, send))

    assert [message["type"] for message in sent] == [
        "http.response.start",
        "http.response.pathsend",
    ]
    policy = dict(sent[0]["headers"])[b"content-security-policy"].decode()
    assert next(iter(inline_script_hashes(page.read_bytes()))) in policy
