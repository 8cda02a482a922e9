"""The event lists of the home page and /events read through indexes: with thousands
of events stored, the query plan walks an index in the list's order and stops at the
page, instead of scanning the table or sorting every matching event.

Plans come from ``EXPLAIN QUERY PLAN`` (SQLite) and ``EXPLAIN`` (PostgreSQL, skipped
when TEST_DATABASE_URL is unset) of the very statements the read models send. SQLite
plans without statistics, as the app runs no ``ANALYZE``; PostgreSQL after an
``ANALYZE``, which autovacuum does on its own after a bulk insert.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, insert
from sqlmodel import Session

from community_app.domain.enums import EventFormat, EventKind, EventStatus
from community_app.domain.event_search import PAST, EventFilters, search_events
from community_app.domain.events import list_upcoming_events
from community_app.domain.models import Event, Group
from tests.factories import START

pytestmark = pytest.mark.integration
NOW = START
PER_SIDE = 4_000  # events before and after NOW

LISTS: dict[str, Callable[[Session], object]] = {
    "home: upcoming": lambda s: list_upcoming_events(s, now=NOW),
    "/events: upcoming, page 1": lambda s: search_events(s, now=NOW, filters=EventFilters()),
    "/events: upcoming, page 10": lambda s: search_events(
        s, now=NOW, filters=EventFilters(), page=10
    ),
    "/events: past, page 1": lambda s: search_events(s, now=NOW, filters=EventFilters(when=PAST)),
}


def _store_events(engine: Engine) -> None:
    """PER_SIDE ended and PER_SIDE upcoming public events, a few drafts and cancellations,
    in three groups, every three hours."""
    with Session(engine) as session:
        group_ids = []
        for number in range(3):
            group = Group(slug=f"plan-{number}", name=f"グループ{number}")
            session.add(group)
            session.flush()
            group_ids.append(group.id)
        rows = []
        for i in range(-PER_SIDE, PER_SIDE):
            starts = NOW + timedelta(hours=3 * i + 1)
            status = (EventStatus.DRAFT, EventStatus.CANCELLED)[i % 2] if i % 50 == 0 else None
            rows.append(
                {
                    "uid": f"{uuid.uuid4()}@plans",
                    "slug": f"plan-{i}",
                    "group_id": group_ids[i % 3],
                    "title": f"勉強会 第{i}回",
                    "kind": EventKind.STUDY_SESSION,
                    "format": EventFormat.ONLINE,
                    "status": status or EventStatus.APPROVED,
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=2),
                    "published_at": None if status == EventStatus.DRAFT else NOW,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
        session.execute(insert(Event), rows)
        session.commit()
    analyse_like_autovacuum(engine)


def analyse_like_autovacuum(engine: Engine) -> None:
    """PostgreSQL's statistics as autovacuum leaves them; SQLite keeps none."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
            connection.commit()


def _list_statements(engine: Engine, read: Callable[[Session], object]) -> list[tuple[str, Any]]:
    """The statements ``read`` sends that fetch a page of events in start order."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        with Session(engine) as session:
            read(session)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    pages = [(s, p) for s, p in seen if "FROM events" in s and "ORDER BY events.starts_at" in s]
    assert pages, "the list sent no statement ordered by start"
    return pages


def plan(engine: Engine, statement: str, parameters: Any) -> list[str]:
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            ("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, parameters
        ).all()
    return [str(row[-1] if sqlite else row[0]) for row in rows]


def _is_bad(step: str) -> bool:
    text = step.strip().removeprefix("->").strip()
    return (
        text.startswith("USE TEMP B-TREE FOR ORDER BY")  # SQLite: a sort of every match
        or (text.startswith("SCAN events") and "INDEX" not in text)  # SQLite: no index
        or text.startswith("Seq Scan on events")  # PostgreSQL: no index
        or text.startswith("Sort ")  # PostgreSQL: a sort of every match (not Incremental)
    )


def sorts_or_scans_everything(steps: list[str]) -> list[str]:
    """The steps that read the whole events table or sort the matching events."""
    return [step for step in steps if _is_bad(step)]


@pytest.fixture
def stored(engine: Engine) -> Engine:
    _store_events(engine)
    return engine


@pytest.mark.parametrize("name", list(LISTS))
def test_the_list_walks_an_index_in_its_order(stored: Engine, name: str) -> None:
    for statement, parameters in _list_statements(stored, LISTS[name]):
        steps = plan(stored, statement, parameters)
        assert any("ix_events_" in step for step in steps), f"{name}: no index\n" + "\n".join(steps)
        assert sorts_or_scans_everything(steps) == [], f"{name}:\n" + "\n".join(steps)


def test_without_the_start_order_index_the_events_page_sorts_every_match(stored: Engine) -> None:
    # Negative control: the check above sees a sort when the index is missing.
    with stored.begin() as connection:
        connection.exec_driver_sql("DROP INDEX ix_events_starts_at_id")
    analyse_like_autovacuum(stored)
    (statement, parameters), *_ = _list_statements(stored, LISTS["/events: upcoming, page 1"])[-1:]
    assert sorts_or_scans_everything(plan(stored, statement, parameters)) != []


def test_the_lists_keep_their_order(stored: Engine) -> None:
    # Whatever plan is chosen, the lists promise soonest first and latest first.
    with Session(stored) as session:
        upcoming = search_events(session, now=NOW, filters=EventFilters()).cards
        past = search_events(session, now=NOW, filters=EventFilters(when=PAST)).cards
        home = list_upcoming_events(session, now=NOW)
    # plan-0 (starting at NOW + 1 h) is a draft; plan-1 is the soonest public event.
    assert [card.slug for card in upcoming[:2]] == ["plan-1", "plan-2"]
    assert [card.slug for card in home[:2]] == ["plan-1", "plan-2"]
    assert [card.slug for card in past[:2]] == ["plan--1", "plan--2"]
