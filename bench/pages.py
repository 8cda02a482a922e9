"""4. Pages in headless Chromium (bytes on the wire, time to interactive) and the list
queries behind them (time and query plan)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import Session

from bench.stats import median
from community_app.domain.calendar import FeedFilter, public_feed_entries
from community_app.domain.event_search import EventFilters, parse_filters, search_events
from community_app.domain.events import get_public_event, list_upcoming_events
from tests.chromium import CHROMIUM_FLAGS


def browse(
    base: str, targets: list[tuple[str, str, str]], runs: int, chromium: str
) -> list[dict[str, object]]:
    """For each (name, path, text): load it ``runs`` times in a fresh context (empty
    cache); bytes = encoded response bodies + headers; interactive = the page's data,
    loaded over the websocket after hydration, is on screen (``text`` visible)."""
    from playwright.sync_api import sync_playwright

    rows: list[dict[str, object]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            for name, path, expected in targets:
                loads, dom, transferred, requests = [], [], [], []
                heaviest: dict[str, int] = {}  # path -> bytes (the last run's)
                for _ in range(runs):
                    context = browser.new_context(locale="ja-JP")
                    page = context.new_page()
                    responses: list[Any] = []
                    page.on("requestfinished", lambda request, seen=responses: seen.append(request))
                    begin = time.perf_counter()
                    page.goto(base + path, wait_until="commit")
                    page.get_by_text(expected, exact=True).first.wait_for(timeout=60_000)
                    loads.append(time.perf_counter() - begin)
                    dom.append(
                        page.evaluate(
                            "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"
                        )
                        / 1000
                    )
                    page.wait_for_load_state("networkidle")
                    total = 0
                    for request in responses:
                        sizes = request.sizes()
                        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
                        total += size
                        heaviest[request.url.removeprefix(base)] = size
                    transferred.append(total)
                    requests.append(len(responses))
                    context.close()
                rows.append(
                    {
                        "part": "pages",
                        "page": name,
                        "path": path,
                        "runs": runs,
                        "bytes_gzip": int(median(transferred)),
                        "requests": int(median(requests)),
                        "dom_content_loaded_s": median(dom),
                        "interactive_s": median(loads),
                        "heaviest": sorted(heaviest.items(), key=lambda kv: -kv[1])[:8],
                    }
                )
        finally:
            browser.close()
    return rows


@contextmanager
def _statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _plan(engine: Engine, statement: str, parameters: Any) -> list[str]:
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(prefix + statement, parameters).all()
    if engine.dialect.name == "sqlite":
        return [str(row[-1]) for row in rows]
    return [str(row[0]) for row in rows]


def list_queries(
    engine: Engine, backend: str, event_slug: str, group_id: int, runs: int
) -> list[dict[str, object]]:
    now = datetime.now(UTC)
    calls: dict[str, Callable[[Session], object]] = {
        "home: list_upcoming_events": lambda s: list_upcoming_events(s, now=now),
        "/events: search_events (page 1)": lambda s: search_events(
            s, now=now, filters=EventFilters()
        ),
        "/events: search_events (page 50)": lambda s: search_events(
            s, now=now, filters=EventFilters(), page=50
        ),
        "/events?when=past": lambda s: search_events(
            s, now=now, filters=parse_filters({"when": "past"})
        ),
        "/events?tag=防災": lambda s: search_events(
            s, now=now, filters=parse_filters({"tag": "防災"})
        ),
        "/events?q=第99回": lambda s: search_events(
            s, now=now, filters=parse_filters({"q": "第99回"})
        ),
        "event page: get_public_event": lambda s: get_public_event(s, slug=event_slug),
        "feed: public_feed_entries (group of 1 000)": lambda s: public_feed_entries(
            s, now=now, where=FeedFilter(group_id=group_id)
        ),
    }
    rows: list[dict[str, object]] = []
    for name, call in calls.items():
        times = []
        for _ in range(runs):
            with Session(engine) as session:
                begin = time.perf_counter()
                call(session)
                times.append(time.perf_counter() - begin)
        with _statements(engine) as seen, Session(engine) as session:
            call(session)
        plans, sorts_events = [], False
        for statement, parameters in seen:
            if statement.lstrip().upper().startswith("SELECT"):
                plans.append(" | ".join(_plan(engine, statement, parameters)))
                sorts_events = sorts_events or _sorts_events(statement, plans[-1])
        rows.append(
            {
                "part": "list queries",
                "backend": backend,
                "query": name,
                "runs": runs,
                "ms": 1000 * median(times),
                "statements": len(seen),
                "plans": plans,
                "full_scan": any(_is_scan(plan) for plan in plans),
                "sorts_events": sorts_events,
            }
        )
    return rows


# The tables the bench fills (100 000 events, two tags each); a scan of the few groups
# or of the empty RSVP table is what any planner does with a handful of rows.
LARGE_TABLES = ("events", "event_tags", "participation_tiers")


def _is_scan(plan: str) -> bool:
    """A large table read without an index (SQLite ``SCAN t`` without ``INDEX``;
    PostgreSQL ``Seq Scan on t``)."""
    for step in plan.split(" | "):
        text = step.strip().removeprefix("->").strip()
        for table in LARGE_TABLES:
            if text.startswith(f"Seq Scan on {table} ") or text.startswith(
                f"Parallel Seq Scan on {table} "
            ):
                return True
            if text.startswith(f"SCAN {table}") and "INDEX" not in text:
                return True
    return False


def _sorts_events(statement: str, plan: str) -> bool:
    """A page of events whose plan sorts every match (SQLite ``USE TEMP B-TREE FOR ORDER
    BY``, PostgreSQL ``Sort``) instead of reading an index in the list's order."""
    if "FROM events" not in statement or "ORDER BY events.starts_at" not in statement:
        return False
    steps = [step.strip().removeprefix("->").strip() for step in plan.split(" | ")]
    return any(
        step.startswith("USE TEMP B-TREE FOR ORDER BY") or step.startswith("Sort ")
        for step in steps
    )
