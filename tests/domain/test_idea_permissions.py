"""Every idea verb against the five roles: allowed roles get the effect, the others get
``permission_denied`` and leave every table as it was."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from community_app.domain import idea_comments, idea_events, idea_posting, ideas
from community_app.domain.enums import IdeaStatus
from community_app.domain.errors import PermissionDenied
from community_app.domain.models import Comment, Event, Group, IdeaSupport, ProjectIdea
from community_app.domain.permissions import Actor, load_actor
from tests.domain.group_world import ROLES, World, build_world

pytestmark = pytest.mark.integration
TABLES = (
    "ideas",
    "idea_supports",
    "idea_tags",
    "comments",
    "events",
    "notifications",
    "audit_log",
    "groups",
    "login_attempts",
)
SIGNED_IN = frozenset({"member", "other_organiser", "organiser", "admin"})
GROUP_MEMBERS = frozenset({"member", "organiser", "admin"})
MODERATORS = frozenset({"organiser", "admin"})


@dataclass
class Target:
    idea: ProjectIdea
    comment_id: int


def _arrange(session: Session, world: World, now: datetime) -> Target:
    """An idea in G by ``target`` (so no role is its author), with one comment."""
    author = load_actor(session, member_id=world.target.id)
    ref = idea_posting.post_idea(
        session,
        actor=author,
        group_id=world.group.id,
        title="多文化共生カフェ",
        description="",
        help_needed="",
        tags="",
        now=now,
    )
    comment = idea_comments.add_comment(
        session, actor=author, idea_id=ref.id, body="よろしく", now=now
    )
    idea = session.get(ProjectIdea, ref.id)
    assert idea is not None
    return Target(idea, comment)


Act = Callable[[Session, World, Target, Actor, datetime], Any]
Check = Callable[[Session, World, Target, Actor], bool]


@dataclass(frozen=True)
class Case:
    allowed: frozenset[str]
    act: Act
    check: Check


def _archived(session: Session, t: Target, now: datetime) -> None:
    t.idea.status = IdeaStatus.ARCHIVED
    session.add(t.idea)
    session.flush()


def _row(session: Session, t: Target, member_id: int | None) -> IdeaSupport | None:
    return session.exec(
        select(IdeaSupport).where(
            IdeaSupport.idea_id == t.idea.id, IdeaSupport.member_id == member_id
        )
    ).first()


MATRIX: dict[str, Case] = {
    "post_idea": Case(
        GROUP_MEMBERS,
        lambda s, w, t, a, now: idea_posting.post_idea(
            s,
            actor=a,
            group_id=w.group.id,
            title="新案",
            description="",
            help_needed="",
            tags="",
            now=now,
        ),
        lambda s, w, t, a: (
            s.exec(select(ProjectIdea).where(ProjectIdea.title == "新案")).one() is not None
        ),
    ),
    "support_idea": Case(
        SIGNED_IN,
        lambda s, w, t, a, now: idea_posting.support_idea(s, actor=a, idea_id=t.idea.id, now=now),
        lambda s, w, t, a: _row(s, t, a.member_id) is not None,
    ),
    "join_idea": Case(
        SIGNED_IN,
        lambda s, w, t, a, now: idea_posting.join_idea(
            s, actor=a, idea_id=t.idea.id, role="helper", now=now
        ),
        lambda s, w, t, a: _row(s, t, a.member_id) is not None,
    ),
    "add_comment": Case(
        SIGNED_IN,
        lambda s, w, t, a, now: idea_comments.add_comment(
            s, actor=a, idea_id=t.idea.id, body="賛成です", now=now
        ),
        lambda s, w, t, a: (
            s.exec(select(Comment).where(Comment.body == "賛成です")).one() is not None
        ),
    ),
    "archive_idea": Case(
        MODERATORS,
        lambda s, w, t, a, now: ideas.archive_idea(
            s, actor=a, idea_id=t.idea.id, reason="重複", now=now
        ),
        lambda s, w, t, a: s.get(ProjectIdea, t.idea.id).status == IdeaStatus.ARCHIVED,  # type: ignore[union-attr]
    ),
    "reopen_idea": Case(
        MODERATORS,
        lambda s, w, t, a, now: ideas.reopen_idea(
            s, actor=a, idea_id=t.idea.id, reason="再開", now=now
        ),
        lambda s, w, t, a: s.get(ProjectIdea, t.idea.id).status == IdeaStatus.OPEN,  # type: ignore[union-attr]
    ),
    "hide_comment": Case(
        MODERATORS,
        lambda s, w, t, a, now: idea_comments.hide_comment(
            s, actor=a, comment_id=t.comment_id, reason="", now=now
        ),
        lambda s, w, t, a: s.get(Comment, t.comment_id).hidden_at is not None,  # type: ignore[union-attr]
    ),
    "turn_idea_into_event": Case(
        MODERATORS,
        lambda s, w, t, a, now: idea_events.turn_idea_into_event(
            s, actor=a, idea_id=t.idea.id, now=now
        ),
        lambda s, w, t, a: (
            s.exec(select(Event).where(Event.idea_id == t.idea.id)).one() is not None
        ),
    ),
    "update_idea_settings": Case(
        MODERATORS,
        lambda s, w, t, a, now: idea_posting.update_idea_settings(
            s,
            actor=a,
            group_id=w.group.id,
            support_threshold=7,
            authors_convert_ideas=True,
            now=now,
        ),
        lambda s, w, t, a: s.get(Group, w.group.id).idea_support_threshold == 7,  # type: ignore[union-attr]
    ),
}
# Verbs of one's own things: tested in test_ideas / test_idea_comments.
OWN_THINGS = {"withdraw_support", "leave_idea", "edit_comment", "delete_comment"}


def _snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    session.flush()
    dump = {}
    for name in TABLES:
        table = SQLModel.metadata.tables[name]
        dump[name] = [
            tuple(r) for r in session.execute(sa.select(table).order_by(*table.primary_key.columns))
        ]
    return dump


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("verb", sorted(MATRIX))
def test_idea_verb_acts_for_permitted_roles_and_changes_nothing_otherwise(
    session: Session, now: datetime, verb: str, role: str
) -> None:
    world = build_world(session)
    target = _arrange(session, world, now)
    case = MATRIX[verb]
    actor = world.actor(session, role)
    if verb == "reopen_idea":
        _archived(session, target, now)
    before = _snapshot(session)

    if role in case.allowed:
        case.act(session, world, target, actor, now)
        assert case.check(session, world, target, actor)
    else:
        with pytest.raises(PermissionDenied) as raised:
            case.act(session, world, target, actor, now)
        assert raised.value.code == "permission_denied"
        assert _snapshot(session) == before


def test_every_idea_verb_that_takes_an_actor_is_in_the_matrix() -> None:
    verbs = {
        name
        for module in (ideas, idea_posting, idea_comments, idea_events)
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ == module.__name__
        and not name.startswith("_")
        and "actor" in inspect.signature(value).parameters
    }
    assert verbs == set(MATRIX) | OWN_THINGS | {"settle_count", "on_event_status", "tell"}
