"""Fetching partner calendars: on a schedule and on an organiser's demand, through the
fetch guard (public addresses only, checked at connect time; no redirects; a size cap
and a total deadline), with conditional requests so an unchanged calendar costs a 304.

No transaction is open while a request is in flight, nor while a document is parsed
(seconds for a big partner calendar): the write lock is taken only to store the result.
Every failure is recorded on the calendar (shown on the group page) and never raised
to the caller.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import Engine

from community_app.db import read_session, write_session
from community_app.domain import external_calendars
from community_app.domain.errors import DomainError
from community_app.domain.external_calendars import FetchTarget
from community_app.fetch_guard import FetchRefused, fetch, guarded_client
from community_app.settings import get_settings

logger = logging.getLogger(__name__)

DEADLINE_SECONDS = 15.0
MAX_CALENDAR_BYTES = 2_000_000
REFRESH_EVERY = timedelta(hours=1)
LOOP_INTERVAL_SECONDS = 300.0


def _conditional_headers(target: FetchTarget) -> dict[str, str]:
    headers = {"Accept": "text/calendar, */*;q=0.5"}
    if target.etag:
        headers["If-None-Match"] = target.etag
    if target.last_modified:
        headers["If-Modified-Since"] = target.last_modified
    return headers


async def _download(
    target: FetchTarget, client: httpx.AsyncClient, deadline: float
) -> tuple[int, bytes, str, str] | str:
    """(status, body, etag, last-modified), or the reason it failed."""
    try:
        response = await fetch(
            client,
            "GET",
            target.url,
            headers=_conditional_headers(target),
            deadline=deadline,
            max_bytes=MAX_CALENDAR_BYTES,
        )
    except FetchRefused as error:
        return f"refused: {error}"
    except httpx.HTTPError as error:
        return f"{type(error).__name__}: {error}"
    etag = response.headers.get("etag", "")
    modified = response.headers.get("last-modified", "")
    return response.status_code, response.body, etag, modified


def _parsed(
    target: FetchTarget, body: bytes, now: datetime, engine: Engine | None
) -> list[external_calendars.ParsedEvent] | str:
    """The document's events, parsed with no transaction open; or why it cannot be read."""
    try:
        with read_session(engine) as session:
            timezone = external_calendars.calendar_timezone(session, calendar_id=target.calendar_id)
        return external_calendars.events_in_window(body, timezone=timezone, now=now)
    except (ValueError, KeyError, IndexError, TypeError, DomainError) as problem:
        return f"not a readable iCalendar file ({type(problem).__name__})"


def _record(
    target: FetchTarget,
    outcome: tuple[int, bytes, str, str] | str,
    now: datetime,
    engine: Engine | None,
) -> str:
    """Store the outcome; return "" on success or the error recorded."""
    events: list[external_calendars.ParsedEvent] | str = ""
    if not isinstance(outcome, str) and outcome[0] == 200:
        events = _parsed(target, outcome[1], now, engine)  # before the write lock
    with write_session(engine) as session:
        if isinstance(outcome, str):
            error = outcome
        elif outcome[0] == 304:
            external_calendars.record_not_modified(session, calendar_id=target.calendar_id, now=now)
            return ""
        elif outcome[0] != 200:
            error = f"HTTP {outcome[0]}"
        elif isinstance(events, str):
            error = events
        else:
            try:
                external_calendars.store_calendar(
                    session,
                    calendar_id=target.calendar_id,
                    events=events,
                    etag=outcome[2],
                    last_modified=outcome[3],
                    now=now,
                )
                return ""
            except DomainError as problem:  # the calendar was removed meanwhile
                error = str(problem)
        external_calendars.record_fetch_failure(
            session, calendar_id=target.calendar_id, error=error, now=now
        )
        return error


async def refresh(
    target: FetchTarget,
    *,
    client: httpx.AsyncClient,
    now: datetime,
    engine: Engine | None = None,
    deadline: float = DEADLINE_SECONDS,
) -> str:
    """Fetch one calendar and import it; returns "" or the error it recorded."""
    outcome = await _download(target, client, deadline)
    return await asyncio.to_thread(_record, target, outcome, now, engine)


def _due(now: datetime, engine: Engine | None) -> list[FetchTarget]:
    with write_session(engine) as session:
        return external_calendars.claim_due_targets(session, now=now, every=REFRESH_EVERY)


async def refresh_due(
    *, client: httpx.AsyncClient, now: datetime, engine: Engine | None = None
) -> int:
    """Fetch every calendar due at ``now`` and not claimed by another worker,
    concurrently; returns how many were tried."""
    targets = await asyncio.to_thread(_due, now, engine)
    await asyncio.gather(
        *(refresh(target, client=client, now=now, engine=engine) for target in targets)
    )
    return len(targets)


async def run_import_loop(interval: float = LOOP_INTERVAL_SECONDS) -> None:
    """Refresh due calendars every ``interval`` seconds for the life of the app. With
    ``FETCH_CALENDARS=false`` (the browser tests) nothing is fetched."""
    if not get_settings().fetch_calendars:
        logger.info("calendars: fetching is off (FETCH_CALENDARS=false)")
        return
    async with guarded_client() as client:
        while True:
            try:
                await refresh_due(client=client, now=datetime.now(UTC))
            except Exception:  # the loop must outlive a database hiccup
                logger.exception("calendar import round failed")
            await asyncio.sleep(interval)
