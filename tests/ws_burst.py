"""A burst of members RSVPing to one tier at once, each from their own tab over the
websocket (``tests/ws_client.py``), against a running app. Used by the scale-out test
and by ``make bench``; the callers check the database themselves."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from tests.ws_client import AUTH_STATE, SESSION_COOKIE, ReflexTab, RsvpAnswer

OPENING_AT_ONCE = 25  # tabs loading the event page together before the burst


@dataclass(frozen=True)
class Member:
    member_id: int
    session_token: str  # the raw login token, as the browser's cookie holds it


@dataclass(frozen=True)
class TabAnswer:
    member_id: int
    token: str  # the tab's client token: its state lives under it (in Redis, if set)
    local_port: int | None  # the tab's end of its websocket: tells which worker served it
    answer: RsvpAnswer


async def _open(tab: ReflexTab, slug: str, gate: asyncio.Semaphore) -> None:
    async with gate:
        await tab.open_event(slug)
    if not tab.var(AUTH_STATE, "signed_in"):
        raise AssertionError(f"tab {tab.token} is not signed in on the event page")


async def rsvp_burst(
    base_url: str,
    members: list[Member],
    *,
    slug: str,
    event_id: int,
    tier_id: int,
    when_loaded: Callable[[], object] | None = None,
) -> list[TabAnswer]:
    """Every member opens the event page in a tab of their own (signed in by the login
    cookie); once all are loaded (and ``when_loaded`` ran, while every tab is still
    connected), all press the tier's button at the same moment. Returns each tab's
    answer, in the order the events were sent."""
    tabs = [ReflexTab(base_url, cookies={SESSION_COOKIE: m.session_token}) for m in members]
    gate = asyncio.Semaphore(OPENING_AT_ONCE)
    try:
        await asyncio.gather(*(_open(tab, slug, gate) for tab in tabs))
        if when_loaded is not None:
            when_loaded()
        answers = await asyncio.gather(*(tab.rsvp(event_id, tier_id) for tab in tabs))
        return sorted(
            (
                TabAnswer(member.member_id, tab.token, tab.local_port, answer)
                for member, tab, answer in zip(members, tabs, answers, strict=True)
            ),
            key=lambda item: item.answer.sent,
        )
    finally:
        await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)
