"""Rendered public feeds kept in memory, plain and gzipped, keyed by their ETag."""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from dataclasses import dataclass

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


def _gzipped(body: bytes) -> bytes | None:
    if len(body) < GZIP_MINIMUM_SIZE:
        return None
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def _cost(rendered: Rendered) -> int:
    return len(rendered.body) + len(rendered.gzipped or b"")
