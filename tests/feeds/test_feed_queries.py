"""No N+1 in the feeds: a feed of 50 events costs the same SQL statements as a feed of
one, for public, group, single-event and personal feeds, cold, warm and conditional."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session, col, select

from community_app.domain.enums import RsvpStatus
from community_app.domain.feed_tokens import issue_feed_token
from community_app.domain.models import Event, EventTag
from community_app.domain.permissions import load_actor
from community_app.feeds import app as feeds
from tests.domain.proposal_world import add_rsvp
from tests.factories import make_event, make_group, make_member
from tests.feeds.client import get

pytestmark = pytest.mark.integration

SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
SIZES = (1, 50)


def _world(engine: Engine) -> dict[int, dict[str, str]]:
    """For each size: a group with that many events (two tags each, one of them the
    size's own tag) and a member going to all of them with a feed token."""
    paths: dict[int, dict[str, str]] = {}
    with Session(engine, expire_on_commit=False) as session:
        for size in SIZES:
            group = make_group(session, slug=f"g{size}")
            member = make_member(session)
            slugs = []
            for number in range(size):
                starts = SOON + timedelta(hours=number)
                row = make_event(
                    session, group_id=group.id, slug=f"e{size}-{number}", title=f"会 {number}",
                    starts_at=starts, ends_at=starts + timedelta(hours=1),
                    join_url="https://meet.example.com/x",
                )  # fmt: skip
                session.add(EventTag(event_id=row.id, tag=f"t{size}"))
                session.add(EventTag(event_id=row.id, tag="共通"))
                add_rsvp(session, row, member, RsvpStatus.GOING)
                slugs.append(row.slug)
            token = issue_feed_token(
                session, actor=load_actor(session, member_id=member.id), now=SOON
            )
            paths[size] = {
                "events": f"/feeds/events.ics?group=g{size}",
                "tag": f"/feeds/events.ics?tag=t{size}",
                "group": f"/feeds/groups/g{size}.ics",
                "event": f"/feeds/events/{quote(slugs[-1])}.ics",
                "personal": f"/feeds/personal/{token.token}.ics",
            }
        session.commit()
    return paths


@contextmanager
def _counting(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _statements(engine: Engine, path: str, headers: dict[str, str] | None = None) -> list[str]:
    """The statements of one request that reads the database (no remembered validator)."""
    feeds.VALIDATORS.clear()
    with _counting(engine) as statements:
        response = get(path, headers=headers)
    assert response.status_code in (200, 304), response.status_code
    return statements


@pytest.mark.parametrize("kind", ["events", "tag", "group", "event", "personal"])
def test_a_feed_of_fifty_events_costs_the_queries_of_a_feed_of_one(
    app_database: Engine, kind: str
) -> None:
    paths = _world(app_database)
    counts: dict[int, tuple[int, int, int]] = {}
    for size in SIZES:
        feeds.RENDERED.clear()
        feeds.FRAGMENTS.clear()
        cold = _statements(app_database, paths[size][kind])
        first = get(paths[size][kind])
        warm = _statements(app_database, paths[size][kind])
        conditional = _statements(
            app_database, paths[size][kind], {"If-None-Match": first.headers["etag"]}
        )
        counts[size] = (len(cold), len(warm), len(conditional))

    assert counts[1] == counts[50], counts
    assert all(count > 0 for count in counts[1])  # the listener saw the queries


@pytest.mark.parametrize("kind", ["events", "group"])
def test_a_public_304_is_answered_from_one_aggregate_query(app_database: Engine, kind: str) -> None:
    paths = _world(app_database)
    path = paths[50][kind]
    etag = get(path).headers["etag"]

    statements = _statements(app_database, path, {"If-None-Match": etag})
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # The group looked up by its slug, then one aggregate row: no event is loaded.
    assert len(selects) == 2, statements
    assert "count(" in selects[-1].lower() and "description" not in selects[-1].lower()


@pytest.mark.parametrize("kind", ["events", "group"])
def test_a_poll_within_the_moment_runs_no_query(
    app_database: Engine, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The memo's clock stands still: "within the moment" holds however loaded the machine.
    monkeypatch.setattr(feeds.VALIDATORS, "_clock", lambda: 0.0)
    paths = _world(app_database)
    path = paths[50][kind]
    first = get(path)

    with _counting(app_database) as statements:
        again = get(path)
        conditional = get(path, headers={"If-None-Match": first.headers["etag"]})
        zipped = get(path, headers={"Accept-Encoding": "gzip"})

    assert statements == []
    assert (again.status_code, again.content) == (200, first.content)
    assert again.headers["etag"] == first.headers["etag"]
    assert conditional.status_code == 304
    assert zipped.headers["content-encoding"] == "gzip" and zipped.content == first.content


def test_a_change_committed_here_shows_on_the_next_poll(app_database: Engine) -> None:
    paths = _world(app_database)
    path = paths[50]["events"]
    first = get(path)
    with Session(app_database) as session:
        event = session.exec(select(Event).order_by(col(Event.id).desc())).first()
        assert event is not None
        event.title, event.updated_at = "題名を変えました", datetime.now(UTC)
        session.add(event)
        session.commit()

    after = get(path, headers={"If-None-Match": first.headers["etag"]})

    assert after.status_code == 200 and after.headers["etag"] != first.headers["etag"]
    assert "題名を変えました" in after.text


def test_a_remembered_validator_is_read_again_after_its_moment() -> None:
    now = [100.0]
    memo: feeds.ValidatorMemo[str] = feeds.ValidatorMemo(1.0, clock=lambda: now[0])
    commits = feeds.commits_so_far()
    memo.put("/feeds/events.ics?[]", '"etag-1"', commits=commits)
    assert memo.get("/feeds/events.ics?[]") == '"etag-1"'
    now[0] += 1.0
    assert memo.get("/feeds/events.ics?[]") is None
    # Read before a commit that happened since: forgotten at once.
    memo.put("/feeds/events.ics?[]", '"etag-1"', commits=commits - 1)
    assert memo.get("/feeds/events.ics?[]") is None
