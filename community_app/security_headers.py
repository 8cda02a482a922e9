"""Security headers on every answer: pages, static files, feeds, /health and the
websocket's handshake, as one ASGI middleware (``api_transformer`` in community_app.py).

The Content-Security-Policy lets scripts come from the app only:

- files from the site itself (``'self'``);
- the inline scripts of the production build (React Router's context and module loader,
  the colour-mode and scroll-restoration snippets): each HTML answer is read before it
  leaves and its own inline scripts are allowed by their SHA-256, nothing else inline;
- ``'unsafe-eval'``, because Reflex runs ``rx.call_script`` (focus moves, reading the
  browser's time zone) through ``eval`` of code that only the server sends over the
  websocket. No remote script, no ``data:`` script, no plugin, no framing.

Styles may be inline (Emotion and Radix write ``<style>`` elements at run time).
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import re
import zlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

HSTS = "max-age=31536000"
REFERRER_POLICY = "strict-origin-when-cross-origin"
MAX_HTML_BYTES = 4 * 1024 * 1024  # larger pages pass without inline hashes
HASH_CACHE_SIZE = 512
_INLINE_SCRIPT = re.compile(
    rb"<script(?![^>]*\ssrc\s*=)[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)


def websocket_origins(site_url: str) -> list[str]:
    """The websocket twin of an http(s) origin ('self' covers it in new browsers only)."""
    parts = urlsplit(site_url)
    scheme = "wss" if parts.scheme == "https" else "ws"
    return [f"{scheme}://{parts.netloc}"] if parts.netloc else []


def content_security_policy(
    *,
    connect_sources: Iterable[str],
    script_hashes: Iterable[str],
    form_sources: Iterable[str] = (),
) -> str:
    scripts = " ".join(["'self'", *(f"'sha256-{digest}'" for digest in script_hashes)])
    connect = " ".join(["'self'", *connect_sources])
    forms = " ".join(["'self'", *form_sources])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts} 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            f"connect-src {connect}",
            "object-src 'none'",
            "base-uri 'self'",
            f"form-action {forms}",
            "frame-ancestors 'none'",
        ]
    )


def inline_script_hashes(html: bytes) -> list[str]:
    """Base64 SHA-256 of each inline script's text, in page order, without repeats."""
    seen: dict[str, None] = {}
    for match in _INLINE_SCRIPT.finditer(html):
        seen[base64.b64encode(hashlib.sha256(match.group(1)).digest()).decode()] = None
    return list(seen)


def _decoded(body: bytes, encoding: str) -> bytes | None:
    if encoding in ("", "identity"):
        return body
    if encoding == "gzip":
        try:
            return gzip.decompress(body)
        except (OSError, EOFError, zlib.error):
            return None
    return None  # an encoding we cannot read: the page gets no inline scripts


class SecurityHeaders:
    """ASGI middleware adding the headers; never replaces one the inner app has set."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        site_url: str,
        connect_sources: Iterable[str] = (),
        form_sources: Iterable[str] = (),
    ):
        self.app = app
        self.connect_sources = [*websocket_origins(site_url), *connect_sources]
        self.form_sources = list(form_sources)
        self.https = site_url.startswith("https://")
        self._hash_cache: OrderedDict[bytes, list[str]] = OrderedDict()

    def headers(self, script_hashes: Iterable[str] = ()) -> list[tuple[bytes, bytes]]:
        policy = content_security_policy(
            connect_sources=self.connect_sources,
            script_hashes=script_hashes,
            form_sources=self.form_sources,
        )
        pairs = [
            ("content-security-policy", policy),
            ("x-content-type-options", "nosniff"),
            ("x-frame-options", "DENY"),
            ("referrer-policy", REFERRER_POLICY),
            ("cross-origin-opener-policy", "same-origin"),
        ]
        if self.https:
            pairs.append(("strict-transport-security", HSTS))
        return [(name.encode(), value.encode()) for name, value in pairs]

    def _with_headers(
        self, existing: list[Any], script_hashes: Iterable[str] = (), *, policy: bool = True
    ) -> list[Any]:
        present = {bytes(name).lower() for name, _value in existing}
        if b"content-security-policy" in present:
            # A route with a policy of its own (the embeddable widget: frame-ancestors *)
            # decides its framing too.
            present.add(b"x-frame-options")
        if not policy:
            present.add(b"content-security-policy")
        added = [pair for pair in self.headers(script_hashes) if pair[0] not in present]
        return [*existing, *added]

    def _hashes_of(self, body: bytes, encoding: str) -> list[str]:
        key = hashlib.sha256(encoding.encode() + b"\0" + body).digest()
        if key in self._hash_cache:
            self._hash_cache.move_to_end(key)
            return self._hash_cache[key]
        html = _decoded(body, encoding)
        hashes = inline_script_hashes(html) if html is not None else []
        self._hash_cache[key] = hashes
        if len(self._hash_cache) > HASH_CACHE_SIZE:
            self._hash_cache.popitem(last=False)
        return hashes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self.app(scope, receive, self._websocket_sender(send))
        elif scope["type"] == "http":
            head = scope.get("method") == "HEAD"
            await self.app(scope, receive, self._http_sender(send, head=head))
        else:
            await self.app(scope, receive, send)

    def _websocket_sender(self, send: Send) -> Send:
        async def sender(message: Message) -> None:
            if message["type"] in ("websocket.accept", "websocket.http.response.start"):
                message["headers"] = self._with_headers(list(message.get("headers") or []))
            await send(message)

        return sender

    def _http_sender(self, send: Send, *, head: bool) -> Send:
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0

        async def flush(hashes: Iterable[str]) -> None:
            assert start is not None
            start["headers"] = self._with_headers(list(start.get("headers") or []), hashes)
            await send(start)

        async def sender(message: Message) -> None:
            nonlocal start, size
            if message["type"] == "http.response.start":
                headers = {bytes(k).lower(): bytes(v) for k, v in message.get("headers") or []}
                if message.get("status") == 304 or (
                    head and headers.get(b"content-type", b"").startswith(b"text/html")
                ):
                    # No body to hash: a policy here would replace the cached page's own
                    # (a browser's reload gets a 304 and keeps its stored page), so the
                    # stored policy, with the page's hashes, stays in force.
                    message["headers"] = self._with_headers(
                        list(message.get("headers") or []), policy=False
                    )
                    await send(message)
                    return
                start = message
                if not headers.get(b"content-type", b"").startswith(b"text/html"):
                    await flush(())
                    start = None
                return
            if start is not None and message["type"] == "http.response.pathsend":
                # Granian's file extension (the one-port production server sends the built
                # pages this way): the body is the file, read here to hash its scripts.
                body = await asyncio.to_thread(Path(message["path"]).read_bytes)
                await flush(self._page_hashes(start, body))
                start = None
                await send(message)
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if message.get("more_body", False) and size <= MAX_HTML_BYTES:
                return
            body = b"".join(chunks)
            await flush(self._page_hashes(start, body))
            start = None
            await send({**message, "body": body})

        return sender

    def _page_hashes(self, start: Message, body: bytes) -> Iterable[str]:
        """The hashes of the inline scripts of the page ``body`` answered with ``start``."""
        if len(body) > MAX_HTML_BYTES:
            return ()
        headers = {bytes(k).lower(): bytes(v) for k, v in start.get("headers") or []}
        encoding = headers.get(b"content-encoding", b"").decode("latin-1").strip().lower()
        return self._hashes_of(body, encoding)


def security_headers(app: ASGIApp) -> ASGIApp:
    """The ``api_transformer`` form: the policy for this site, from the settings."""
    from community_app.settings import get_settings

    return SecurityHeaders(app, site_url=get_settings().site_url)
