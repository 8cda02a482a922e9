"""The idea board: sorting, filters, pagination and the home page's trending ideas."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session

from community_app.domain.errors import DomainError
from community_app.domain.idea_board import list_ideas, list_trending_ideas
from community_app.domain.idea_comments import add_comment
from community_app.domain.idea_posting import join_idea
from community_app.domain.ideas import archive_idea
from community_app.domain.permissions import load_actor
from tests.domain.group_world import build_world
from tests.domain.idea_world import group_members, make_idea, support_by

pytestmark = pytest.mark.integration


def _world_with_three_ideas(session: Session, now: datetime):  # type: ignore[no-untyped-def]
    world = build_world(session)
    old = make_idea(session, world, now - timedelta(days=3), title="古い", help_needed="")
    popular = make_idea(session, world, now - timedelta(days=2), title="人気")
    new = make_idea(session, world, now - timedelta(days=1), title="新しい")
    support_by(session, popular, group_members(session, world, 2), now - timedelta(days=1))
    return world, old, popular, new


def _titles(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [card.title for card in page.cards]


def test_sorting_by_newest_most_supported_needs_help_and_recent_activity(
    session: Session, now: datetime
) -> None:
    world, old, _popular, _new = _world_with_three_ideas(session, now)
    add_comment(
        session,
        actor=load_actor(session, member_id=world.target.id),
        idea_id=old.id,
        body="まだ興味あります",
        now=now,
    )

    assert _titles(list_ideas(session, now=now)) == ["新しい", "人気", "古い"]
    assert _titles(list_ideas(session, now=now, sort="most_supported"))[0] == "人気"
    assert _titles(list_ideas(session, now=now, sort="needs_help"))[-1] == "古い"
    assert _titles(list_ideas(session, now=now, sort="recently_active"))[0] == "古い"


def test_needs_help_puts_ideas_without_joiners_first(session: Session, now: datetime) -> None:
    world, _old, popular, _new = _world_with_three_ideas(session, now)
    join_idea(
        session,
        actor=load_actor(session, member_id=world.target.id),
        idea_id=popular.id,
        role="helper",
        now=now,
    )
    assert _titles(list_ideas(session, now=now, sort="needs_help")) == ["新しい", "人気", "古い"]


def test_filters_by_status_group_and_tag(session: Session, now: datetime) -> None:
    world, old, _popular, _new = _world_with_three_ideas(session, now)
    make_idea(session, world, now, title="別タグ", tags="防災")
    archive_idea(
        session,
        actor=load_actor(session, member_id=world.organiser.id),
        idea_id=old.id,
        reason="重複",
        now=now,
    )

    assert "古い" not in _titles(list_ideas(session, now=now))
    assert _titles(list_ideas(session, now=now, status="archived")) == ["古い"]
    assert _titles(list_ideas(session, now=now, tag="防災")) == ["別タグ"]
    assert list_ideas(session, now=now, group_slug=world.group.slug).total == 3
    assert list_ideas(session, now=now, group_slug="no-such-group").total == 0
    assert _titles(list_ideas(session, now=now, status="gathering")) == ["人気"]


def test_pages_hold_page_size_ideas_and_a_page_beyond_shows_the_last(
    session: Session, now: datetime
) -> None:
    _world_with_three_ideas(session, now)
    first = list_ideas(session, now=now, page=1, page_size=2)
    beyond = list_ideas(session, now=now, page=99, page_size=2)
    assert (first.total, first.page_count, len(first.cards)) == (3, 2, 2)
    assert (beyond.page, _titles(beyond)) == (2, ["古い"])


@pytest.mark.parametrize(
    "arguments",
    [
        {"sort": "random"},
        {"status": "deleted"},
        {"page": 0},
        {"page": "2"},
        {"tag": ["x"]},
        {"sort": None},
    ],
)
def test_bad_board_arguments_are_refused(session: Session, now: datetime, arguments) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError):
        list_ideas(session, now=now, **arguments)


def test_trending_ideas_are_the_recently_supported_open_ones(
    session: Session, now: datetime
) -> None:
    world, _old, _popular, new = _world_with_three_ideas(session, now)
    archive_idea(
        session,
        actor=load_actor(session, member_id=world.organiser.id),
        idea_id=new.id,
        reason="終了",
        now=now,
    )
    trending = list_trending_ideas(session, now=now)
    assert [card.title for card in trending] == ["人気", "古い"]
    assert trending[0].support_count == 2
