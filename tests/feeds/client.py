"""A tiny synchronous client for the feeds app, through httpx's ASGI transport."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import httpx

from community_app.feeds.app import create_feeds_app


def get(path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async def _get() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_feeds_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path, headers=headers)

    return asyncio.run(_get())


@dataclass(frozen=True)
class RawResponse:
    status_code: int
    headers: httpx.Headers
    content: bytes  # as sent: not decompressed


def request(method: str, path: str, headers: dict[str, str] | None = None) -> RawResponse:
    """Any method; the body is returned as sent (no automatic gzip decoding)."""

    async def _send() -> RawResponse:
        transport = httpx.ASGITransport(app=create_feeds_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.send(
                client.build_request(method, path, headers=headers), stream=True
            )
            raw = b"".join([chunk async for chunk in response.aiter_raw()])
            await response.aclose()
            return RawResponse(response.status_code, response.headers, raw)

    return asyncio.run(_send())
