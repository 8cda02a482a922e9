"""2. Feed generation from the database: community_app.domain.calendar called directly
(the query for the entries, then the iCalendar document), time and peak memory."""

from __future__ import annotations

import gc
import time
import tracemalloc
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
from community_app.domain.models import Group

HEADER = FeedHeader("Tsudoi 集い", "Tsudoi の公開イベント", "http://127.0.0.1", "Asia/Tokyo")


def _where(engine: Engine, slug: str | None) -> FeedFilter:
    if slug is None:
        return FeedFilter()
    with Session(engine) as session:
        group = session.exec(select(Group).where(Group.slug == slug)).one()
        return FeedFilter(group_id=group.id)


def _once(engine: Engine, where: FeedFilter) -> tuple[float, float, int, int]:
    now = datetime.now(UTC)
    begin = time.perf_counter()
    with Session(engine) as session:
        entries = public_feed_entries(session, now=now, where=where)
    queried = time.perf_counter()
    body = build_calendar(entries, HEADER)
    built = time.perf_counter()
    return queried - begin, built - queried, len(entries), len(body)


def measure(
    engine: Engine, backend: str, size: int, slug: str | None, runs: int
) -> dict[str, object]:
    where = _where(engine, slug)
    query_s, build_s = [], []
    count = length = 0
    traced_only = runs == 0  # the largest size: one run, timed under tracemalloc
    for _ in range(runs):
        gc.collect()
        query, build, count, length = _once(engine, where)
        query_s.append(query)
        build_s.append(build)
    gc.collect()
    tracemalloc.start()
    query, build, count, length = _once(engine, where)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if traced_only:
        query_s, build_s = [query], [build]
    return {
        "part": "feed generation",
        "backend": backend,
        "events": count,
        "runs": runs or "1 (timed under tracemalloc, slower)",
        "query_s": median(query_s),
        "build_s": median(build_s),
        "total_s": median([q + b for q, b in zip(query_s, build_s, strict=True)]),
        "peak_mb": peak / 1e6,
        "bytes": length,
        "asked": size,
    }
