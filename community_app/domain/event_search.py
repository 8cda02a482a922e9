"""The public event list: filters from the query string, text search and pagination.

Only published events are listed (approved, and cancelled ones that had been published,
which show as cancelled). Every value of the query string is untrusted: ``parse_filters``
turns it into ``EventFilters`` or raises ``DomainError`` with a code the page explains.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, String, UnaryExpression, and_, exists, func, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session, col, select

from community_app.domain.enums import EventFormat, EventKind, EventStatus
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.events import EventCard, _cards
from community_app.domain.models import Event, EventTag, Group
from community_app.domain.validation import as_choice, as_timezone

SITE_TIMEZONE = "Asia/Tokyo"
UPCOMING, PAST = "upcoming", "past"
WHEN_CHOICES = (UPCOMING, PAST)
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 10_000
MAX_TEXT_LENGTH = 100  # longer search text is cut here: no one types more into a search box
MAX_GROUP_SLUG_LENGTH = 120
MAX_TAG_LENGTH = 50
MAX_TAG_OPTIONS = 200
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
LIKE_ESCAPE = "\\"
QUERY_KEYS = ("when", "group", "kind", "format", "tag", "from", "to", "q", "tz")


@dataclass(frozen=True)
class EventFilters:
    """What the visitor asked for; empty strings and ``None`` mean "any"."""

    when: str = UPCOMING
    group: str = ""
    kind: EventKind | None = None
    format: EventFormat | None = None
    tag: str = ""
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""
    timezone: str = SITE_TIMEZONE

    @property
    def is_narrowed(self) -> bool:
        """True when anything beyond the upcoming/past tab limits the list."""
        return self != EventFilters(when=self.when, timezone=self.timezone)


@dataclass(frozen=True)
class EventPage:
    cards: tuple[EventCard, ...]
    total: int
    page: int
    page_count: int


@dataclass(frozen=True)
class GroupOption:
    slug: str
    name: str
    name_en: str


@dataclass(frozen=True)
class FilterOptions:
    groups: tuple[GroupOption, ...] = field(default_factory=tuple)
    tags: tuple[str, ...] = field(default_factory=tuple)


# --- the query string -----------------------------------------------------------------


def _value(query: dict[str, Any], key: str) -> str:
    value = query.get(key, "")
    if not isinstance(value, str):
        raise DomainError("invalid_query")
    return value.strip()


def _short(query: dict[str, Any], key: str, *, max_length: int, code: str) -> str:
    value = _value(query, key)
    if len(value) > max_length:
        raise DomainError(code)
    return value


def _date(query: dict[str, Any], key: str) -> date | None:
    value = _value(query, key)
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise DomainError("invalid_date") from None
    if len(value) != len("2026-11-28") or not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise DomainError("invalid_date")
    return day


def parse_filters(query: dict[str, Any]) -> EventFilters:
    """Filters from query-string values (``?when=past&kind=study_session&q=子育て``).

    Unknown keys are ignored (links shared elsewhere gain tracking parameters); every
    known key is checked. Search text longer than ``MAX_TEXT_LENGTH`` is cut, not refused.
    """
    if not isinstance(query, dict):
        raise DomainError("invalid_query")
    when = _value(query, "when") or UPCOMING
    if when not in WHEN_CHOICES:
        raise DomainError("invalid_when")
    kind, format_ = _value(query, "kind"), _value(query, "format")
    date_from, date_to = _date(query, "from"), _date(query, "to")
    if date_from and date_to and date_to < date_from:
        raise DomainError("date_range_reversed")
    timezone = _value(query, "tz")
    return EventFilters(
        when=when,
        group=_short(query, "group", max_length=MAX_GROUP_SLUG_LENGTH, code="invalid_group"),
        kind=as_choice(kind, EventKind, code="invalid_kind") if kind else None,
        format=as_choice(format_, EventFormat, code="invalid_format") if format_ else None,
        tag=_short(query, "tag", max_length=MAX_TAG_LENGTH, code="invalid_tag"),
        date_from=date_from,
        date_to=date_to,
        text=_value(query, "q")[:MAX_TEXT_LENGTH].strip(),
        timezone=as_timezone(timezone) if timezone else SITE_TIMEZONE,
    )


def parse_page(query: dict[str, Any]) -> int:
    """The ``page`` number of the query string: 1 when absent, else 1..MAX_PAGE."""
    value = _value(query, "page") if isinstance(query, dict) else None
    if value is None:
        raise DomainError("invalid_query")
    if not value:
        return 1
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise DomainError("invalid_page")
    return int(value)


def to_query(filters: EventFilters, *, page: int = 1) -> dict[str, str]:
    """The query string of ``filters`` (only what differs from the defaults)."""
    values = {
        "when": "" if filters.when == UPCOMING else filters.when,
        "group": filters.group,
        "kind": filters.kind.value if filters.kind else "",
        "format": filters.format.value if filters.format else "",
        "tag": filters.tag,
        "from": filters.date_from.isoformat() if filters.date_from else "",
        "to": filters.date_to.isoformat() if filters.date_to else "",
        "q": filters.text,
        "tz": "" if filters.timezone == SITE_TIMEZONE else filters.timezone,
        "page": "" if page == 1 else str(page),
    }
    return {key: value for key, value in values.items() if value}


# --- the search ---------------------------------------------------------------------


def escape_like(text: str) -> str:
    """``text`` as a literal inside a LIKE pattern: ``%``, ``_`` and ``\\`` lose their magic."""
    for special in (LIKE_ESCAPE, "%", "_"):
        text = text.replace(special, LIKE_ESCAPE + special)
    return text


def _local_midnight(day: date, timezone: str) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(timezone))


class not_for_index(FunctionElement[str]):  # noqa: N801  (reads as SQL in a query)
    """A column the SQLite planner must not pick an index for: ``+column``, the unary
    plus SQLite documents for this; other engines get the column as it is.

    Without statistics SQLite guesses that ``status IN (two values)`` matches twenty
    rows, filters through the (status, starts_at) index and sorts every public event
    to show a page of twenty. With the status term set aside, it walks the start-order
    index (starts_at, id) and stops at the page. (``ANALYZE`` would fix this guess but
    break others: a nullable key such as ``idea_id``, NULL for most events, then looks
    unselective, and the idea page walked the whole start-order index.) PostgreSQL
    plans from its own statistics, which autovacuum keeps.
    """

    name = "not_for_index"
    type = String()
    inherit_cache = True


@compiles(not_for_index)
def _column_as_is(element: not_for_index, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(not_for_index, "sqlite")
def _column_with_plus(element: not_for_index, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + compiler.process(element.clauses, **kw)


def _conditions(
    filters: EventFilters, now: datetime, *, in_start_order: bool = False
) -> list[ColumnElement[bool]]:
    """The WHERE terms of ``filters``. ``in_start_order``: for the page, read in start
    order, whose status term must leave the start-order index to SQLite's planner."""
    if filters.when == UPCOMING:
        when = [col(Event.ends_at) > now]
    else:  # ended; it started before now too (ends_at > starts_at), which lets the
        # start-order index begin at now instead of at the latest event ever planned
        when = [col(Event.ends_at) <= now, col(Event.starts_at) < now]
    return [*when, *matching_conditions(filters, in_start_order=in_start_order)]


def matching_conditions(
    filters: EventFilters, *, in_start_order: bool = False
) -> list[ColumnElement[bool]]:
    """Published events that match ``filters``, whatever the upcoming/past tab says."""
    public = [status.value for status in EventStatus.public()]
    status = not_for_index(col(Event.status)) if in_start_order else col(Event.status)
    conditions: list[ColumnElement[bool]] = [
        status.in_(public),
        col(Event.published_at).is_not(None),
    ]
    if filters.group:  # a subquery, not a join: the planner then starts from events
        group_id = select(Group.id).where(col(Group.slug) == filters.group).scalar_subquery()
        conditions.append(col(Event.group_id) == group_id)
    if filters.kind:
        conditions.append(col(Event.kind) == filters.kind)
    if filters.format:
        conditions.append(col(Event.format) == filters.format)
    if filters.tag:
        conditions.append(
            exists().where(
                col(EventTag.event_id) == col(Event.id), col(EventTag.tag) == filters.tag
            )
        )
    if filters.date_from:  # events starting on or after that day, in the filters' zone
        conditions.append(
            col(Event.starts_at) >= _local_midnight(filters.date_from, filters.timezone)
        )
    if filters.date_to:  # ... and up to the end of that day
        next_day = filters.date_to + timedelta(days=1)
        conditions.append(col(Event.starts_at) < _local_midnight(next_day, filters.timezone))
    if filters.text:
        pattern = f"%{escape_like(filters.text)}%"
        conditions.append(
            or_(
                *(
                    column.ilike(pattern, escape=LIKE_ESCAPE)
                    for column in (col(Event.title), col(Event.summary), col(Event.description))
                )
            )
        )
    return conditions


def search_events(
    session: Session,
    *,
    now: datetime,
    filters: EventFilters,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> EventPage:
    """One page of published events matching ``filters``.

    Upcoming (not ended yet) lists the soonest first; past (ended) the latest first.
    The same queries whatever the page size: the count, the page, then its groups, tags
    and seats in batches. A page past the last one raises ``page_out_of_range``; an
    unknown group raises ``group_not_found``.
    """
    if type(page) is not int or not 1 <= page <= MAX_PAGE:
        raise DomainError("invalid_page")
    if type(page_size) is not int or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise DomainError("invalid_page_size")
    total = session.exec(
        select(func.count()).select_from(Event).where(*_conditions(filters, now))
    ).one()
    if total == 0 and filters.group and not group_exists(session, filters.group):
        raise NotFound("group_not_found")
    page_count = max(1, math.ceil(total / page_size))
    if page > page_count:
        raise DomainError("page_out_of_range")
    soonest_first = filters.when == UPCOMING
    order: list[UnaryExpression[Any]] = [
        col(Event.starts_at).asc() if soonest_first else col(Event.starts_at).desc(),
        col(Event.id).asc() if soonest_first else col(Event.id).desc(),
    ]
    # Events alone, so the planner may walk the start-order index and stop at the page;
    # their groups follow in one more query.
    where = and_(*_conditions(filters, now, in_start_order=True))
    events = session.exec(
        select(Event).where(where).order_by(*order).limit(page_size).offset((page - 1) * page_size)
    ).all()
    groups = _groups_by_id(session, {event.group_id for event in events})
    rows = [(event, groups[event.group_id]) for event in events]
    return EventPage(
        cards=tuple(_cards(session, rows)), total=total, page=page, page_count=page_count
    )


def _groups_by_id(session: Session, group_ids: set[int]) -> dict[int, Group]:
    if not group_ids:
        return {}
    groups = session.exec(select(Group).where(col(Group.id).in_(group_ids))).all()
    return {group.id: group for group in groups if group.id is not None}


def group_exists(session: Session, slug: str) -> bool:
    return session.exec(select(Group.id).where(Group.slug == slug)).first() is not None


def filter_options(session: Session) -> FilterOptions:
    """The groups (by name) and the tags of published events, for the filter selects."""
    groups = session.exec(select(Group).order_by(col(Group.name), col(Group.id))).all()
    tags = session.exec(
        select(EventTag.tag)
        .join(Event, col(Event.id) == col(EventTag.event_id))
        .where(col(Event.status).in_(EventStatus.public()), col(Event.published_at).is_not(None))
        .group_by(col(EventTag.tag))
        .order_by(col(EventTag.tag))
        .limit(MAX_TAG_OPTIONS)
    ).all()
    return FilterOptions(
        groups=tuple(GroupOption(g.slug, g.name, g.name_en or g.name) for g in groups),
        tags=tuple(tags),
    )
