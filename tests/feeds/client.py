"""A tiny synchronous client for the feeds app, through httpx's ASGI transport."""

from __future__ import annotations

import asyncio

import httpx

from community_app.feeds.app import create_feeds_app


def get(path: str, headers: dict[str, str] | None = None) -> httpx.Response:
    async def _get() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_feeds_app())
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path, headers=headers)

    return asyncio.run(_get())
