"""Rendered public feeds kept in memory, plain and gzipped, keyed by their ETag; and
their validators remembered for a moment, so polling costs no query."""

from __future__ import annotations

import gzip
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from community_app.db import commits_so_far

V = TypeVar("V")

GZIP_MINIMUM_SIZE = 1000
GZIP_LEVEL = 9  # as the GZip middleware compresses personal feeds and everything else


@dataclass(frozen=True)
class Rendered:
    body: bytes
    gzipped: bytes | None  # None when too small to be worth compressing


class RenderedFeeds:
    """The last rendered public feeds, plain and gzipped, keyed by their ETag, within a
    byte budget (least recently used first out).

    The ETag stands for everything the document shows (``public_validator``,
    ``feed_validator``), so a hit is the same document, byte for byte: a calendar app
    polling an unchanged feed costs one aggregate query, no rendering and no
    compression. Personal feeds are not kept: they are private and each has one reader.
    """

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, Rendered] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0

    def get(self, etag: str) -> Rendered | None:
        with self._lock:
            rendered = self._items.get(etag)
            if rendered is not None:
                self._items.move_to_end(etag)
            return rendered

    def put(self, etag: str, body: bytes) -> Rendered:
        """Keep ``body`` and its gzip under ``etag``; the pair is returned either way."""
        rendered = Rendered(body, _gzipped(body))
        cost = _cost(rendered)
        if cost > self.max_bytes:
            return rendered
        with self._lock:
            if etag in self._items:
                return self._items[etag]
            self._items[etag] = rendered
            self._size += cost
            while self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= _cost(dropped)
        return rendered


class ValidatorMemo(Generic[V]):
    """The validator of each public feed URL, remembered for ``seconds``.

    Calendar apps poll feeds; a popular feed is asked for many times a second. Within
    the moment a validator is remembered, a poll is answered (304, or the rendered
    document) without a database query. A transaction committed by this process
    forgets everything at once, so a change made here shows on the next request; a
    change made by another worker shows within ``seconds`` (feeds already tell
    clients they may keep a copy for ``max-age=300``), as does an event leaving a feed
    because it ended.
    """

    def __init__(
        self,
        seconds: float = 1.0,
        *,
        max_items: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds, self.max_items, self._clock = seconds, max_items, clock
        self._items: OrderedDict[str, tuple[V, float, int]] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def get(self, key: str) -> V | None:
        with self._lock:
            remembered = self._items.get(key)
            if remembered is None:
                return None
            value, expires, commits = remembered
            if self._clock() >= expires or commits != commits_so_far():
                del self._items[key]
                return None
            return value

    def put(self, key: str, value: V, *, commits: int) -> None:
        """Remember ``value``, read when this process had made ``commits`` commits."""
        with self._lock:
            self._items[key] = (value, self._clock() + self.seconds, commits)
            self._items.move_to_end(key)
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)


def _gzipped(body: bytes) -> bytes | None:
    if len(body) < GZIP_MINIMUM_SIZE:
        return None
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def _cost(rendered: Rendered) -> int:
    return len(rendered.body) + len(rendered.gzipped or b"")
