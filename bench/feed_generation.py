"""2. Feed generation from the database, in process, three ways side by side: the plain
icalendar build (``public_feed_entries`` then ``build_calendar``), and
``feed_documents.public_document`` with an empty fragment cache (cold) and with the
cache of a previous build (warm, what a worker does after an edit). Time and peak
memory (tracemalloc; the warm cache itself is counted in "cache MB", not in the peak),
and whether the three documents are the same bytes."""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, select

from bench.stats import median
from community_app.domain.calendar import (
    FeedFilter,
    FeedHeader,
    build_calendar,
    public_feed_entries,
)
from community_app.domain.feed_documents import FragmentCache, public_document
from community_app.domain.models import Group

HEADER = FeedHeader("Tsudoi 集い", "Tsudoi の公開イベント", "http://127.0.0.1", "Asia/Tokyo")
BENCH_CACHE_BYTES = 2 * 1024 * 1024 * 1024  # room for 100 000 fragments: no eviction here

Timing = tuple[float, float, bytes]  # query s, build s (0 when interleaved), document


def _where(engine: Engine, slug: str | None) -> FeedFilter:
    if slug is None:
        return FeedFilter()
    with Session(engine) as session:
        group = session.exec(select(Group).where(Group.slug == slug)).one()
        return FeedFilter(group_id=group.id)


def _plain(engine: Engine, where: FeedFilter) -> Timing:
    now = datetime.now(UTC)
    begin = time.perf_counter()
    with Session(engine) as session:
        entries = public_feed_entries(session, now=now, where=where)
    queried = time.perf_counter()
    body = build_calendar(entries, HEADER)
    return queried - begin, time.perf_counter() - queried, body


def _fragments(engine: Engine, where: FeedFilter, cache: FragmentCache) -> Timing:
    now = datetime.now(UTC)
    begin = time.perf_counter()
    with Session(engine) as session:
        body = public_document(session, now=now, where=where, header=HEADER, cache=cache)
    return time.perf_counter() - begin, 0.0, body


def _traced(once: Callable[[], Timing]) -> tuple[Timing, float]:
    gc.collect()
    tracemalloc.start()
    try:
        timing = once()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return timing, peak / 1e6


def _row(
    backend: str, size: int, mode: str, timings: list[Timing], peak_mb: float, runs: object
) -> dict[str, object]:
    return {
        "part": "feed generation",
        "backend": backend,
        "mode": mode,
        "asked": size,
        "runs": runs,
        "query_s": median([t[0] for t in timings]),
        "build_s": median([t[1] for t in timings]),
        "total_s": median([t[0] + t[1] for t in timings]),
        "peak_mb": peak_mb,
        "bytes": len(timings[-1][2]),
    }


def measure(
    engine: Engine, backend: str, size: int, slug: str | None, runs: int
) -> list[dict[str, object]]:
    """Rows for the plain build, fragments cold and fragments warm. ``runs`` timed runs
    each, then one under tracemalloc for the peak; ``runs == 0`` (the largest feed):
    the traced run is the only one, and its time is reported (tracemalloc slows it)."""
    where = _where(engine, slug)
    label = runs or "1 (timed under tracemalloc, slower)"
    modes: list[tuple[str, Callable[[], Timing]]] = [
        ("icalendar (plain)", lambda: _plain(engine, where)),
        ("fragments cold", lambda: _fragments(engine, where, FragmentCache(BENCH_CACHE_BYTES))),
    ]
    warm_cache = FragmentCache(BENCH_CACHE_BYTES)
    modes.append(("fragments warm", lambda: _fragments(engine, where, warm_cache)))
    rows: list[dict[str, object]] = []
    bodies: list[bytes] = []
    for mode, once in modes:
        if mode == "fragments warm":
            once()  # fill the cache, as the previous poll did
        timings = []
        for _ in range(runs):
            gc.collect()
            timings.append(once())
        traced, peak = _traced(once)
        rows.append(_row(backend, size, mode, timings or [traced], peak, label))
        bodies.append(traced[2])
    identical = all(body == bodies[0] for body in bodies)
    count = bodies[0].count(b"BEGIN:VEVENT\r\n")
    for row in rows:
        row |= {"events": count, "identical": identical}
    rows[-1]["cache_mb"] = warm_cache.size / 1e6
    return rows
