"""Work that happens at a time rather than on a click: drawing lotteries whose draw time
has come, and (on SQLite) refreshing the query planner's statistics. Started with the
app (``app.register_lifespan_task``); every worker runs it, and the tier lock makes a
second draw of the same lottery a no-op."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from community_app.db import get_engine, refresh_planner_statistics, write_session
from community_app.domain.lottery import draw_due_lotteries

logger = logging.getLogger("community_app")
# SQLite has no autovacuum to keep planner statistics current as events pile up.
STATISTICS_EVERY_S = 6 * 3600


def run_due_work(now: datetime) -> int:
    """Draw the due lotteries in one transaction; returns how many were drawn."""
    with write_session() as session:
        return len(draw_due_lotteries(session, now=now))


async def run_scheduler(interval: float = 30) -> None:
    """Run ``run_due_work`` every ``interval`` seconds for the life of the app; a failing
    round is logged, not fatal. On SQLite, planner statistics are refreshed every
    ``STATISTICS_EVERY_S`` (``prepare`` refreshed them at start)."""
    loop = asyncio.get_running_loop()
    statistics_due = loop.time() + STATISTICS_EVERY_S
    while True:
        try:
            drawn = await asyncio.to_thread(run_due_work, datetime.now(UTC))
            if drawn:
                logger.info("scheduler: drew %d lotteries", drawn)
            engine = get_engine()
            if engine.dialect.name == "sqlite" and loop.time() >= statistics_due:
                statistics_due = loop.time() + STATISTICS_EVERY_S
                await asyncio.to_thread(refresh_planner_statistics, engine)
        except Exception:  # the loop must outlive a database hiccup
            logger.exception("scheduler round failed")
        await asyncio.sleep(interval)
