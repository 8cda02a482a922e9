"""1. Feed serving: /feeds/events.ics (cold, warm, 304) next to the same bytes served
from memory by the same server (``/feeds/bench-memory/…``, see ``served_app``).

httpx (async) is the load generator, on loopback, with ``Accept-Encoding: gzip`` as
calendar apps send it. Each cell is bounded by a request count and a time budget; a
cell whose estimated duration is far beyond its budget is skipped and says so.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import Engine, update
from sqlmodel import Session, select

from bench.stats import median, percentile
from community_app.domain.models import Event, Group

CONCURRENCY = (1, 8, 32)
ENCODING = {"Accept-Encoding": "gzip"}
STORED_HEADERS = ("ETag", "Cache-Control", "Content-Disposition", "Last-Modified", "Content-Type")


@dataclass(frozen=True)
class Burst:
    requests: int
    seconds: float
    latencies: list[float]
    statuses: set[int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else float("nan")


async def _burst(
    client: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    concurrency: int,
    count: int,
    budget: float,
) -> Burst:
    latencies: list[float] = []
    statuses: set[int] = set()
    started = time.perf_counter()
    deadline = started + budget
    issued = 0

    async def worker() -> None:
        nonlocal issued
        while issued < count and time.perf_counter() < deadline:
            issued += 1
            begin = time.perf_counter()
            response = await client.get(url, headers=headers)
            await response.aread()
            latencies.append(time.perf_counter() - begin)
            statuses.add(response.status_code)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Burst(len(latencies), time.perf_counter() - started, latencies, statuses)


def _touch_group(engine: Engine, slug: str) -> None:
    """What an organiser's edit does to the feed: one event's updated_at moves."""
    with Session(engine) as session:
        group = session.exec(select(Group).where(Group.slug == slug)).one()
        first = session.exec(
            select(Event.id).where(Event.group_id == group.id).order_by(Event.id)
        ).first()
        session.execute(
            update(Event).where(Event.id == first).values(updated_at=datetime.now(UTC))  # type: ignore[arg-type]
        )
        session.commit()


def _cell(
    name: str, size: int, mode: str, concurrency: int, runs: list[Burst]
) -> dict[str, object]:
    latencies = [burst.latencies for burst in runs]
    return {
        "part": "feed serving",
        "events": size,
        "mode": mode,
        "concurrency": concurrency,
        "runs": len(runs),
        "requests": sum(burst.requests for burst in runs),
        "rps": median([burst.rps for burst in runs]),
        "p50_ms": 1000 * median([percentile(lat, 0.50) for lat in latencies]),
        "p99_ms": 1000 * median([percentile(lat, 0.99) for lat in latencies]),
        "statuses": sorted({status for burst in runs for status in burst.statuses}),
        "url": name,
    }


async def _measure(
    base: str, engine: Engine, slug: str, size: int, memory_dir: Path, *, quick: bool
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    feed = f"{base}/feeds/events.ics?group={slug}"
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(timeout=300, limits=limits) as client:
        # Cold: the first build after an edit, one request at a time.
        cold: list[Burst] = []
        for _ in range(1 if quick or size > 1_000 else 3):
            _touch_group(engine, slug)
            cold.append(await _burst(client, feed, ENCODING, 1, 1, 600))
        rows.append(_cell(feed, size, "cold (first build after an edit)", 1, cold))
        # The memory twin: the bytes and validators of the feed as it now stands.
        plain = await client.get(feed, headers={"Accept-Encoding": "identity"})
        name = f"f{size}"
        (memory_dir / f"{name}.body").write_bytes(plain.content)
        stored = {key: plain.headers[key] for key in STORED_HEADERS if key in plain.headers}
        (memory_dir / f"{name}.json").write_text(json.dumps(stored))
        memory = f"{base}/feeds/bench-memory/{name}"
        twin = await client.get(memory, headers={"Accept-Encoding": "identity"})
        assert twin.content == plain.content, "the memory twin must serve the same bytes"
        etag = {"If-None-Match": plain.headers["ETag"]} | ENCODING
        modes = (
            ("warm", feed, ENCODING),
            ("memory (same bytes)", memory, ENCODING),
            ("304 (If-None-Match)", feed, etag),
            ("memory 304", memory, etag),
        )
        rounds = 1 if quick else 3
        budget = 2.0 if quick else 4.0
        warm_single = max(burst.seconds for burst in cold)
        for concurrency in CONCURRENCY:
            results: dict[str, list[Burst]] = {mode: [] for mode, _, _ in modes}
            # A request that takes seconds, 32 at once on 2 cores, would take minutes.
            estimate = warm_single * concurrency / 2
            skip_warm = concurrency > 1 and estimate > 5 * budget
            for _ in range(rounds):
                for mode, url, headers in modes:  # side by side, interleaved
                    if mode == "warm" and skip_warm:
                        continue
                    count = max(concurrency * 2, 40 if quick else 400)
                    results[mode].append(
                        await _burst(client, url, headers, concurrency, count, budget)
                    )
            if concurrency == 1 and results["warm"]:
                warm_single = median([percentile(b.latencies, 0.5) for b in results["warm"]])
            for mode, url, _ in modes:
                if results[mode]:
                    rows.append(_cell(url, size, mode, concurrency, results[mode]))
                else:
                    rows.append(
                        {
                            "part": "feed serving",
                            "events": size,
                            "mode": mode,
                            "concurrency": concurrency,
                            "skipped": f"~{estimate:.0f} s estimated for one round",
                        }
                    )
        rows.append(
            {
                "part": "feed serving",
                "events": size,
                "mode": "size",
                "body_bytes": len(plain.content),
                "gzip_bytes": int(
                    (await client.get(feed, headers=ENCODING)).headers.get("content-length", 0)
                ),
            }
        )
    return rows


def run(
    base: str, engine: Engine, group_slugs: dict[int, str], memory_dir: Path, *, quick: bool
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for size, slug in sorted(group_slugs.items()):
        rows += asyncio.run(_measure(base, engine, slug, size, memory_dir, quick=quick))
    return rows
