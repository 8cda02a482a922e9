"""The public API's rate limit: ``API_RATE_LIMIT`` requests a minute per client address.

A fixed one-minute window counted where every worker sees it: in Redis when
``REDIS_URL`` is set (one INCR and EXPIRE per request, pipelined), else in this
process's memory. That covers every deployment: several workers need Redis anyway
(``settings.WEB_WORKERS``), and a single worker counts in memory without writing to the
database on every API call. Should Redis fail, the process counts in memory meanwhile
rather than refuse or leave the API unlimited.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Protocol

import redis
from starlette.requests import Request

from community_app.domain.rate_limits import client_bucket
from community_app.settings import Settings, get_settings

WINDOW_SECONDS = 60
KEY_PREFIX = "tsudoi:api-rate:"
MAX_KEYS_IN_MEMORY = 50_000
log = logging.getLogger(__name__)
clock: Callable[[], float] = time.time  # the limiters' clock (a test may fix it)


class Limiter(Protocol):
    def hit(self, client: str) -> int | None:
        """Count one request; the seconds to wait when over the limit, else None."""


class MemoryLimiter:
    def __init__(
        self, limit: int, *, window: int = WINDOW_SECONDS, clock: Callable[[], float] = time.time
    ) -> None:
        self.limit, self.window, self._clock = limit, window, clock
        self._counts: dict[str, tuple[int, int]] = {}  # client -> (window number, count)
        self._lock = threading.Lock()

    def hit(self, client: str) -> int | None:
        moment = self._clock()
        number = int(moment // self.window)
        with self._lock:
            if len(self._counts) >= MAX_KEYS_IN_MEMORY:  # forget finished windows
                self._counts = {k: v for k, v in self._counts.items() if v[0] == number}
            seen, count = self._counts.get(client, (number, 0))
            count = count + 1 if seen == number else 1
            self._counts[client] = (number, count)
        return _retry_after(moment, self.window) if count > self.limit else None


class RedisLimiter:
    def __init__(
        self,
        client: redis.Redis,
        limit: int,
        *,
        prefix: str = KEY_PREFIX,
        window: int = WINDOW_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client, self.limit, self.prefix, self.window = client, limit, prefix, window
        self._clock = clock
        self._fallback = MemoryLimiter(limit, window=window, clock=clock)
        self._failing = False  # said once in the log, not on every request

    def hit(self, client: str) -> int | None:
        moment = self._clock()
        key = f"{self.prefix}{int(moment // self.window)}:{client}"
        try:
            pipeline = self.client.pipeline(transaction=False)
            pipeline.incr(key)
            pipeline.expire(key, self.window * 2)
            count = int(pipeline.execute()[0])
        except redis.RedisError as error:
            if not self._failing:
                log.warning("API rate limit: Redis unavailable (%s); counting in memory", error)
            self._failing = True
            return self._fallback.hit(client)
        if self._failing:
            log.warning("API rate limit: Redis answers again")
            self._failing = False
        return _retry_after(moment, self.window) if count > self.limit else None


def _retry_after(moment: float, window: int) -> int:
    return max(1, math.ceil(window - moment % window))


_limiters: dict[tuple[str | None, int], Limiter] = {}
_limiters_lock = threading.Lock()


def forget_limiters() -> None:
    """Drop every limiter and its counts (tests: each starts afresh)."""
    with _limiters_lock:
        _limiters.clear()


def limiter_for(settings: Settings) -> Limiter | None:
    """The limiter of these settings (one per process); None when the API is unlimited."""
    if settings.api_rate_limit == 0:
        return None
    key = (settings.redis_url, settings.api_rate_limit)
    with _limiters_lock:
        if key not in _limiters:
            _limiters[key] = (
                RedisLimiter(
                    redis.Redis.from_url(settings.redis_url), settings.api_rate_limit, clock=clock
                )
                if settings.redis_url
                else MemoryLimiter(settings.api_rate_limit, clock=clock)
            )
        return _limiters[key]


def client_address(request: Request, *, trusted_proxy_hops: int) -> str:
    """The client's address: the connection's peer, or the address the nearest trusted
    proxy saw (X-Forwarded-For), as Reflex resolves it for the websocket."""
    address = request.client.host if request.client else "unknown"
    if trusted_proxy_hops:
        forwarded = [ip.strip() for ip in request.headers.get("x-forwarded-for", "").split(",")]
        forwarded = [ip for ip in forwarded if ip]
        if len(forwarded) >= trusted_proxy_hops:
            address = forwarded[-trusted_proxy_hops]
    return client_bucket(address)


def retry_after(request: Request) -> int | None:
    """Count this request against its client; the seconds to wait when over the limit."""
    settings = get_settings()
    limiter = limiter_for(settings)
    if limiter is None:
        return None
    return limiter.hit(client_address(request, trusted_proxy_hops=settings.trusted_proxy_hops))
