"""Comments on ideas: own edits and deletions, organisers hiding, and the flood limit."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, select

from community_app.domain.errors import DomainError, NotFound, PermissionDenied
from community_app.domain.idea_comments import (
    COMMENT_LIMIT,
    add_comment,
    delete_comment,
    edit_comment,
    hide_comment,
)
from community_app.domain.idea_detail import get_idea_detail
from community_app.domain.models import AuditLogEntry, Comment
from community_app.domain.permissions import load_actor
from community_app.domain.rate_limits import WINDOW
from tests.domain.group_world import build_world
from tests.domain.idea_world import make_idea

pytestmark = pytest.mark.integration


def _as(session: Session, member):  # type: ignore[no-untyped-def]
    return load_actor(session, member_id=member.id)


def test_a_member_writes_edits_and_deletes_their_own_comment(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    me = _as(session, world.target)
    comment_id = add_comment(session, actor=me, idea_id=idea.id, body="いいですね！", now=now)
    edit_comment(session, actor=me, comment_id=comment_id, body="参加したいです", now=now)

    shown = get_idea_detail(session, actor=me, slug=idea.slug, now=now).comments
    assert [(c.body, c.edited, c.is_mine) for c in shown] == [("参加したいです", True, True)]

    delete_comment(session, actor=me, comment_id=comment_id, now=now)
    assert get_idea_detail(session, actor=me, slug=idea.slug, now=now).comments == ()


def test_nobody_edits_or_deletes_someone_elses_comment(session: Session, now: datetime) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    comment_id = add_comment(
        session, actor=_as(session, world.target), idea_id=idea.id, body="元の文", now=now
    )
    for role in ("member", "organiser", "admin"):
        other = _as(session, getattr(world, role))
        with pytest.raises(NotFound):
            edit_comment(session, actor=other, comment_id=comment_id, body="改ざん", now=now)
        with pytest.raises(NotFound):
            delete_comment(session, actor=other, comment_id=comment_id, now=now)
    assert session.get(Comment, comment_id).body == "元の文"  # type: ignore[union-attr]


@pytest.mark.parametrize("body", ["", "  ", "x" * 4_001, "制御\x1b文字", None])
def test_bad_comment_bodies_are_refused(session: Session, now: datetime, body: object) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    with pytest.raises(DomainError):
        add_comment(session, actor=_as(session, world.target), idea_id=idea.id, body=body, now=now)
    assert session.exec(select(Comment)).all() == []


def test_a_comment_flood_stops_at_the_limit_and_resumes_after_the_window(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    me = _as(session, world.target)
    for n in range(COMMENT_LIMIT):
        add_comment(session, actor=me, idea_id=idea.id, body=f"{n}", now=now)

    with pytest.raises(DomainError) as raised:
        add_comment(session, actor=me, idea_id=idea.id, body="もう一つ", now=now)

    assert raised.value.code == "rate_limited"
    assert len(session.exec(select(Comment)).all()) == COMMENT_LIMIT
    add_comment(session, actor=_as(session, world.member), idea_id=idea.id, body="別の人", now=now)
    add_comment(
        session, actor=me, idea_id=idea.id, body="後で", now=now + WINDOW + timedelta(seconds=1)
    )


def test_an_organiser_hides_a_comment_which_stays_for_the_audit(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    comment_id = add_comment(
        session, actor=_as(session, world.target), idea_id=idea.id, body="宣伝です", now=now
    )
    with pytest.raises(PermissionDenied):
        hide_comment(
            session,
            actor=_as(session, world.other_organiser),
            comment_id=comment_id,
            reason="",
            now=now,
        )

    hide_comment(
        session,
        actor=_as(session, world.organiser),
        comment_id=comment_id,
        reason="スパム",
        now=now,
    )

    row = session.get(Comment, comment_id)
    assert row is not None and row.body == "宣伝です"
    assert (row.hidden_at, row.hidden_by_id) == (now, world.organiser.id)
    assert (
        get_idea_detail(
            session, actor=_as(session, world.organiser), slug=idea.slug, now=now
        ).comments
        == ()
    )
    entry = session.exec(select(AuditLogEntry)).one()
    assert (entry.action, entry.target_id, entry.actor_id) == (
        "hide_comment",
        comment_id,
        world.organiser.id,
    )
    assert "スパム" in entry.detail
