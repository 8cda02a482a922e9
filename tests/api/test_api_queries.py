"""No N+1 in the API: every list operation runs the same SQL statements for a page of
one item as for a page of fifty (tags, seats, groups and counts read in batches)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session

from community_app.domain.enums import RsvpStatus
from community_app.domain.models import EventTag, IdeaTag, ProjectIdea
from tests.domain.proposal_world import add_rsvp
from tests.factories import make_event, make_group, make_member
from tests.feeds.client import get

pytestmark = pytest.mark.integration

SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
LISTS = [
    "/api/v1/events?group=g",
    "/api/v1/events?tag=共通",
    "/api/v1/groups/g/events",
    "/api/v1/groups",
    "/api/v1/ideas?group=g",
]


def _world(engine: Engine) -> None:
    """Fifty groups; fifty events in group ``g`` (two tags, a tier, an RSVP each) and
    fifty ideas there (a tag each)."""
    with Session(engine, expire_on_commit=False) as session:
        group = make_group(session, slug="g")
        member = make_member(session)
        for number in range(49):
            make_group(session, slug=f"other-{number}")
        for number in range(50):
            starts = SOON + timedelta(hours=number)
            row = make_event(
                session, group_id=group.id, slug=f"e-{number}", title=f"会 {number}",
                starts_at=starts, ends_at=starts + timedelta(hours=1),
            )  # fmt: skip
            session.add(EventTag(event_id=row.id, tag=f"t{number}"))
            session.add(EventTag(event_id=row.id, tag="共通"))
            add_rsvp(session, row, member, RsvpStatus.GOING)
            idea = ProjectIdea(
                slug=f"idea-{number}", title=f"案 {number}", group_id=group.id,
                author_id=member.id, created_at=starts, updated_at=starts,
            )  # fmt: skip
            session.add(idea)
            session.flush()
            session.add(IdeaTag(idea_id=idea.id, tag="tag"))
        session.commit()


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


@pytest.mark.parametrize("path", LISTS)
def test_a_page_of_fifty_costs_the_queries_of_a_page_of_one(
    app_database: Engine, path: str
) -> None:
    _world(app_database)
    counts, sizes = {}, {}
    for limit in (1, 50):
        with _counting(app_database) as statements:
            response = get(f"{path}{'&' if '?' in path else '?'}limit={limit}")
        assert response.status_code == 200, response.text
        sizes[limit] = len(json.loads(response.content)["items"])
        counts[limit] = len(statements)

    assert sizes == {1: 1, 50: 50}
    assert counts[1] == counts[50] > 0, counts
