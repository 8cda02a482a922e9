"""Work that happens at a time rather than on a click: drawing lotteries whose draw time
has come. Started with the app (``app.register_lifespan_task``); every worker runs it,
and the tier lock makes a second draw of the same lottery a no-op."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from community_app.db import write_session
from community_app.domain.lottery import draw_due_lotteries

logger = logging.getLogger("community_app")


def run_due_work(now: datetime) -> int:
    """Draw the due lotteries in one transaction; returns how many were drawn."""
    with write_session() as session:
        return len(draw_due_lotteries(session, now=now))


async def run_scheduler(interval: float = 30) -> None:
    """Run ``run_due_work`` every ``interval`` seconds for the life of the app; a failing
    round is logged, not fatal."""
    while True:
        try:
            drawn = await asyncio.to_thread(run_due_work, datetime.now(UTC))
            if drawn:
                logger.info("scheduler: drew %d lotteries", drawn)
        except Exception:  # the loop must outlive a database hiccup
            logger.exception("scheduler round failed")
        await asyncio.sleep(interval)
