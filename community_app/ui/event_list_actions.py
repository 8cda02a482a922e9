"""Blocking reads for the event list page, run through ``asyncio.to_thread``.

The page keeps its filters in the URL: this module turns the query string into one page
of results (or the rule that refused it) and builds the links of the tabs and pages.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from urllib.parse import urlencode

from community_app.db import read_session
from community_app.domain.errors import DomainError
from community_app.domain.event_search import (
    PAST,
    UPCOMING,
    EventFilters,
    EventPage,
    FilterOptions,
    filter_options,
    parse_filters,
    parse_page,
    search_events,
    to_query,
)

ROUTE = "/events"


@dataclasses.dataclass(frozen=True)
class ListResult:
    options: FilterOptions
    filters: EventFilters | None = None  # None when the query string was refused
    page: EventPage | None = None
    error: DomainError | None = None


def href(filters: EventFilters, *, page: int = 1) -> str:
    """The shareable address of ``filters`` (and ``page``) on the event list."""
    query = to_query(filters, page=page)
    return f"{ROUTE}?{urlencode(query)}" if query else ROUTE


def tab_href(filters: EventFilters | None, when: str) -> str:
    """The other tab keeps every filter but starts again at page 1."""
    base = filters if filters is not None else EventFilters()
    return href(dataclasses.replace(base, when=when if when in (UPCOMING, PAST) else UPCOMING))


def load_list(query: dict[str, str], *, search: bool = True) -> ListResult:
    """The filter choices, and the page the query string asks for or why it cannot be.

    Without ``search`` only the choices and the filters (the month calendar shows the
    events itself).
    """
    with read_session() as session:
        options = filter_options(session)
        try:
            filters = parse_filters(query)
            number = parse_page(query)
        except DomainError as error:
            return ListResult(options, error=error)
        if not search:
            return ListResult(options, filters=filters)
        try:
            page = search_events(session, now=datetime.now(UTC), filters=filters, page=number)
        except DomainError as error:
            return ListResult(options, filters=filters, error=error)
        return ListResult(options, filters=filters, page=page)
