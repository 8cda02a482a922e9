"""Feed documents assembled from cached VEVENT fragments, byte for byte what
``calendar.build_calendar`` gives, and the cheap validator of a public feed.

icalendar needs ~0.3 ms per event, so a 10 000-event feed costs seconds; yet between
two polls almost nothing changes. Each event's VEVENT is rendered once by icalendar
and kept as bytes (with the TZIDs it uses), and a document is the calendar's own
lines, the VTIMEZONEs (rendered once per TZID) and the fragments, joined.

Keys. A public fragment is keyed by the event id and the versions of what it shows:
the event's ``updated_at`` and ``SEQUENCE`` (every domain edit of an event, its tags
and its status moves ``updated_at``) and its group's ``updated_at`` (the group's name
is the ORGANIZER). So a warm public feed reads a few columns per event, never the
descriptions. Personal and single-event fragments are keyed by a digest of their
whole entry (join URL and the member's status included): only a member whose entry is
the same, character for character, can be given the same bytes, so nothing crosses
from one member to another.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from community_app.domain.calendar import (
    CANCELLED_KEPT_FOR,
    PRODID,
    FeedEntry,
    FeedFilter,
    FeedHeader,
    FeedValidator,
    calendar_head,
    entries_for,
    is_still_listed,
    public_conditions,
    vevent_of,
    vtimezone,
)
from community_app.domain.enums import EventStatus
from community_app.domain.models import Event, Group

# Part of every key and ETag: bump it when the rendering of a VEVENT changes, so a
# running worker never mixes fragments of two formats.
FRAGMENT_FORMAT = 1
FRAGMENT_CACHE_BYTES = 128 * 1024 * 1024
ENTRY_OVERHEAD = 200  # bytes of bookkeeping counted per fragment, besides its text
LOAD_BATCH = 5_000  # ids per IN (...) when loading the events whose fragment is missing
_END = b"END:VCALENDAR\r\n"


@dataclass(frozen=True)
class Fragment:
    body: bytes  # one VEVENT, folded, CRLF-terminated, exactly as icalendar writes it
    tzids: tuple[str, ...]  # the TZIDs it refers to (UTC needs no VTIMEZONE)


class FragmentCache:
    """Least recently used fragments within a byte budget, shared by threads."""

    def __init__(self, max_bytes: int = FRAGMENT_CACHE_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, Fragment] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    @property
    def size(self) -> int:
        return self._size

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0

    def get(self, key: Hashable) -> Fragment | None:
        with self._lock:
            fragment = self._items.get(key)
            if fragment is not None:
                self._items.move_to_end(key)
            return fragment

    def put(self, key: Hashable, fragment: Fragment) -> None:
        cost = len(fragment.body) + ENTRY_OVERHEAD
        if cost > self.max_bytes:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = fragment
            self._size += cost
            while self._size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped.body) + ENTRY_OVERHEAD


def render_fragment(entry: FeedEntry, *, site_url: str) -> Fragment:
    """One VEVENT rendered by icalendar, as ``build_calendar`` would write it."""
    vevent = vevent_of(entry, site_url=site_url)
    used = {
        value.params.get("TZID")
        for _name, value in vevent.property_items(sorted=False)
        if hasattr(value, "params")
    }
    return Fragment(bytes(vevent.to_ical()), tuple(sorted(used - {None, "UTC"})))


@lru_cache(maxsize=64)
def _vtimezone_bytes(tzid: str) -> bytes:
    zone = vtimezone(tzid)
    return bytes(zone.to_ical()) if zone is not None else b""


@lru_cache(maxsize=256)
def _head_bytes(header: FeedHeader) -> bytes:
    whole = bytes(calendar_head(header).to_ical())
    assert whole.endswith(_END)
    return whole[: -len(_END)]


def assemble(fragments: Sequence[Fragment], header: FeedHeader) -> bytes:
    """The document of ``fragments``: VCALENDAR lines, VTIMEZONEs in TZID order, VEVENTs."""
    tzids = sorted({tzid for fragment in fragments for tzid in fragment.tzids})
    parts = [_head_bytes(header), *map(_vtimezone_bytes, tzids)]
    parts += [fragment.body for fragment in fragments]
    parts.append(_END)
    return b"".join(parts)


def entry_key(entry: FeedEntry, site_url: str) -> bytes:
    """The key of a fragment that may carry private text: a digest of all of it."""
    text = repr((FRAGMENT_FORMAT, site_url, entry))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=20).digest()


def document_of(entries: Sequence[FeedEntry], header: FeedHeader, cache: FragmentCache) -> bytes:
    """``build_calendar(entries, header)``, reusing the fragments of unchanged entries
    (personal and single-event feeds: their entries are loaded anyway)."""
    fragments = []
    for entry in entries:
        key = entry_key(entry, header.site_url)
        fragment = cache.get(key)
        if fragment is None:
            fragment = render_fragment(entry, site_url=header.site_url)
            cache.put(key, fragment)
        fragments.append(fragment)
    return assemble(fragments, header)


def _public_key(
    site_url: str, event_id: int, updated_at: datetime, sequence: int, group_updated: datetime
) -> tuple[object, ...]:
    return ("public", FRAGMENT_FORMAT, site_url, event_id, updated_at, sequence, group_updated)


def public_document(
    session: Session,
    *,
    now: datetime,
    where: FeedFilter,
    header: FeedHeader,
    cache: FragmentCache,
) -> bytes:
    """``build_calendar(public_feed_entries(...), header)``: one query for the versions
    of the listed events, then full rows (and tags) only for fragments not cached."""
    versions = session.execute(
        sa.select(
            col(Event.id),
            col(Event.updated_at),
            col(Event.sequence),
            col(Event.status),
            col(Event.cancelled_at),
            col(Group.updated_at),
        )
        .join(Group, col(Group.id) == col(Event.group_id))
        .where(*public_conditions(now, where))
        .order_by(col(Event.starts_at), col(Event.id))
    ).all()
    site = header.site_url
    order: list[int] = []
    found: dict[int, Fragment] = {}
    for event_id, updated_at, sequence, status, cancelled_at, group_updated in versions:
        assert event_id is not None
        if not is_still_listed(EventStatus(status), cancelled_at, updated_at, now):
            continue
        order.append(event_id)
        fragment = cache.get(_public_key(site, event_id, updated_at, sequence, group_updated))
        if fragment is not None:
            found[event_id] = fragment
    missing = [event_id for event_id in order if event_id not in found]
    for start in range(0, len(missing), LOAD_BATCH):
        rows = session.exec(
            select(Event, Group)
            .join(Group, col(Group.id) == col(Event.group_id))
            .where(col(Event.id).in_(missing[start : start + LOAD_BATCH]))
        ).all()
        # Keyed by the versions of the rows just read, not of the query above, so a
        # concurrent edit between the two can only make a fragment newer, never stale.
        groups_updated = {event.id: group.updated_at for event, group in rows}
        for entry, (event, _group) in zip(entries_for(session, list(rows)), rows, strict=True):
            assert event.id is not None
            fragment = render_fragment(entry, site_url=site)
            key = _public_key(
                site, event.id, event.updated_at, event.sequence, groups_updated[event.id]
            )
            cache.put(key, fragment)
            found[event.id] = fragment
    return assemble([found[event_id] for event_id in order], header)


def public_validator(
    session: Session, *, now: datetime, where: FeedFilter, header: FeedHeader
) -> FeedValidator:
    """ETag and Last-Modified of a public feed from one aggregate row, without loading
    any event: how many events are listed, the newest event edit and group edit, and
    sums of ids and sequences. Events only ever leave a feed with time (past, or cancelled
    long ago), which moves the count; every edit moves ``updated_at``."""
    cancelled_cutoff = now - CANCELLED_KEPT_FOR
    listed = (col(Event.status) != EventStatus.CANCELLED) | (
        func.coalesce(col(Event.cancelled_at), col(Event.updated_at)) > cancelled_cutoff
    )
    # The groups' edits (the ORGANIZER's name) without joining every event to its
    # group: the filtered group's stamp, or the newest of all for a site-wide feed.
    groups = sa.select(func.max(col(Group.updated_at)))
    if where.group_id is not None:
        groups = groups.where(col(Group.id) == where.group_id)
    count, newest_event, newest_group, id_sum, sequence_sum = session.execute(
        sa.select(
            func.count(),
            func.max(col(Event.updated_at)),
            groups.scalar_subquery(),
            func.sum(col(Event.id)),
            func.sum(col(Event.sequence)),
        ).where(*public_conditions(now, where), listed)
    ).one()
    state = (FRAGMENT_FORMAT, PRODID, header, where, count, newest_event, newest_group)
    digest = hashlib.sha256(repr((*state, id_sum, sequence_sum)).encode("utf-8")).hexdigest()
    newest = max((moment for moment in (newest_event, newest_group) if moment), default=None)
    return FeedValidator('"p' + digest[:31] + '"', newest if count else None)
