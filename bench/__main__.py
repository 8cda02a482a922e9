"""`make bench` (``python -m bench``): seeds scratch databases, runs the production build
on loopback, measures, prints one table and writes it as JSON under bench/results/."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session, select

from bench import feed_generation, feed_serving, mail_enqueue, pages, rsvp_burst
from bench.blank_app import READY_TEXT, write_blank_app
from bench.databases import (
    analyse_like_autovacuum,
    postgres_base_url,
    redis_base_url,
    scratch_database,
)
from bench.report import render
from bench.seed import seed_events
from community_app.domain.models import Group

RESULTS = Path(__file__).resolve().parent / "results"


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller N and fewer runs")
    parser.add_argument(
        "--only",
        default="serving,generation,rsvp,pages,mail",
        help="comma-separated parts: serving, generation, rsvp, pages, mail",
    )
    return parser.parse_args()


def _group_id(engine: object, slug: str) -> int:
    with Session(engine) as session:  # type: ignore[arg-type]
        group = session.exec(select(Group).where(Group.slug == slug)).one()
        assert group.id is not None
        return group.id


def _blank_app_pages(folder: Path, chromium: str, runs: int) -> list[dict[str, object]]:
    """A blank Reflex app with Tsudoi's config, built and served in this run, browsed as
    Tsudoi's pages were (it stores no events)."""
    print("[blank] building and serving a blank Reflex app ...", file=sys.stderr, flush=True)
    from bench.server import reflex_prod_server

    app_dir = write_blank_app(folder)
    with reflex_prod_server(app_dir, folder / "blank.log") as base:
        browsed = pages.browse(base, [("blank", "/", READY_TEXT)], runs, chromium)
    return [{"backend": "none", "events_stored": 0} | row for row in browsed]


def _websocket_bursts(
    backend: str, folder: Path, memory: Path, sizes: tuple[int, ...]
) -> list[dict[str, object]]:
    """The RSVP burst over the websocket, against a production server of its own: SQLite
    as `make run` serves it (one worker, state in memory); PostgreSQL with Redis and two
    workers when a Redis URL is given (else one worker)."""
    from bench.server import production_server

    redis_url = redis_base_url() if backend == "postgresql" else None
    workers = 2 if redis_url else 1
    setup = f"{backend}, {workers} worker(s), state in {'Redis' if redis_url else 'memory'}"
    print(f"[{backend}] RSVP burst over the websocket ({setup}) ...", file=sys.stderr, flush=True)
    with scratch_database(backend, folder, "wsburst") as (url, engine):
        seed_events(engine, total=1, now=datetime.now(UTC))
        log = folder / f"server-ws-{backend}.log"
        with production_server(url, memory, log, redis_url=redis_url, workers=workers) as server:
            return rsvp_burst.run_websocket(server.base_url, engine, backend, sizes, setup=setup)


def main() -> int:
    args = _arguments()
    parts = set(args.only.split(","))
    quick = args.quick
    os.environ.setdefault("APP_ENV", "development")
    started = time.perf_counter()
    rows: list[dict[str, object]] = []
    notes: list[str] = []
    backends = ["sqlite"] + (["postgresql"] if postgres_base_url() else [])
    if "postgresql" not in backends:
        notes.append("PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL")
    total = 20_000 if quick else 100_000
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    failed = False
    try:
        with tempfile.TemporaryDirectory(prefix="tsudoi-bench-") as scratch:
            folder = Path(scratch)
            memory = folder / "memory"
            memory.mkdir()
            for backend in backends:
                if not parts & {"serving", "generation", "pages"}:
                    break
                print(f"[{backend}] seeding {total:,} events ...", file=sys.stderr, flush=True)
                with scratch_database(backend, folder, "site") as (url, engine):
                    seeded = seed_events(engine, total=total, now=datetime.now(UTC))
                    analyse_like_autovacuum(engine)
                    small = min(seeded.group_slugs)
                    if "generation" in parts:
                        print(f"[{backend}] feed generation ...", file=sys.stderr, flush=True)
                        plan = [(1_000, 5 if not quick else 3), (10_000, 3 if not quick else 1)]
                        for size, runs in plan:
                            if size in seeded.group_slugs:
                                rows += feed_generation.measure(
                                    engine, backend, size, seeded.group_slugs[size], runs
                                )
                        if not quick:
                            try:
                                rows += feed_generation.measure(engine, backend, total, None, 0)
                            except Exception as error:  # a finding, not a bench failure
                                notes.append(
                                    f"[{backend}] feed of {total:,} events failed: "
                                    f"{type(error).__name__}: {str(error).splitlines()[0]}"
                                )
                        else:
                            notes.append("feed generation of 100 000 events skipped (--quick)")
                    if "pages" in parts:
                        rows += pages.list_queries(
                            engine,
                            backend,
                            seeded.event_slug,
                            _group_id(engine, seeded.group_slugs[small]),
                            runs=3 if quick else 5,
                        )
                    # The server runs on SQLite only: one production build per bench run.
                    if backend == "sqlite" and parts & {"serving", "pages"}:
                        print(
                            "[sqlite] starting the production build ...",
                            file=sys.stderr,
                            flush=True,
                        )
                        log = folder / "server.log"
                        from bench.server import production_server

                        with production_server(url, memory, log) as server:
                            base = server.base_url
                            if "serving" in parts:
                                print("[sqlite] feed serving ...", file=sys.stderr, flush=True)
                                sizes = dict(seeded.group_slugs)
                                rows += [
                                    {"backend": backend} | row
                                    for row in feed_serving.run(
                                        base, engine, sizes, memory, quick=quick
                                    )
                                ]
                            if "pages" in parts:
                                print("[sqlite] pages in Chromium ...", file=sys.stderr, flush=True)
                                targets = [
                                    ("home", "/", seeded.first_title),
                                    ("event", f"/events/{seeded.event_slug}", seeded.event_title),
                                ]
                                rows += [
                                    {"backend": backend, "events_stored": seeded.total_events} | row
                                    for row in pages.browse(
                                        base, targets, 3 if quick else 5, chromium
                                    )
                                ]
                        if "pages" in parts:
                            rows += _blank_app_pages(folder, chromium, 3 if quick else 5)
                        if postgres_base_url():
                            notes.append(
                                "feed serving and pages ran on SQLite only (one production build)"
                            )
            if "rsvp" in parts:
                for backend in backends:
                    print(f"[{backend}] RSVP burst ...", file=sys.stderr, flush=True)
                    rows += rsvp_burst.run(backend, folder, (50, 200))
                    rows += _websocket_bursts(backend, folder, memory, (50, 200))
            if "mail" in parts:
                for backend in backends:
                    print(f"[{backend}] mail enqueue ...", file=sys.stderr, flush=True)
                    rows += mail_enqueue.measure(backend, folder, 50 if quick else 200)
    except Exception as error:
        # The figures measured so far are still written, with the reason it stopped.
        failed = True
        notes.append(f"stopped early: {type(error).__name__}: {error}"[:500])
        traceback.print_exc()
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "quick": quick,
        "seconds": round(time.perf_counter() - started, 1),
        "rows": rows,
        "notes": notes,
    }
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    print(render(result))
    print(f"\nwritten to {path.relative_to(RESULTS.parent.parent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
