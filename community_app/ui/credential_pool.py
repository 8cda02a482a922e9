"""Where log-in, sign-up and password change run: a small thread pool of their own.

They run Argon2 (~0.1-0.3 s of CPU each). Run through ``asyncio.to_thread`` they would
share the default pool with every other blocking handler, and a flood of them (four
tabs sending a wrong password every 20 ms) would take all its threads: every page of
every visitor would wait behind them. Here they get ``MAX_CONCURRENT_HASHES`` threads
and a short waiting line; past ``MAX_WAITING`` callers are told the server is busy at
once instead of queueing without end. The rate limits (``domain.rate_limits``) then
make each queued guess cheap: they are checked before Argon2 runs.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from community_app.domain.errors import DomainError
from community_app.domain.passwords import MAX_CONCURRENT_HASHES

T = TypeVar("T")

MAX_WAITING = 8 * MAX_CONCURRENT_HASHES  # submitted but not finished, in this process
THREAD_PREFIX = "credentials"

_pool = ThreadPoolExecutor(max_workers=MAX_CONCURRENT_HASHES, thread_name_prefix=THREAD_PREFIX)
_in_pool = 0  # touched only on the event loop's thread


def _busy() -> DomainError:
    return DomainError("server_busy", "The server is busy. Please try again in a moment.")


async def run_credential_work(work: Callable[..., T], /, **kwargs: Any) -> T:
    """Run ``work(**kwargs)`` in the credential pool; DomainError("server_busy") when
    ``MAX_WAITING`` calls are already in it."""
    global _in_pool
    if _in_pool >= MAX_WAITING:
        raise _busy()
    _in_pool += 1
    try:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_pool, functools.partial(work, **kwargs))
    finally:
        _in_pool -= 1
