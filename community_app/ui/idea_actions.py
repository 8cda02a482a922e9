"""Blocking idea work for the idea pages, run through ``asyncio.to_thread``.

Every call rebuilds the actor from the session token; the domain verbs validate the
arguments (which arrive from the client as they are) and check the permissions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlmodel import col, select

from community_app.db import read_session, write_session
from community_app.domain import idea_board, idea_detail
from community_app.domain.idea_board import IdeaCard, IdeaPage
from community_app.domain.idea_detail import IdeaDetail
from community_app.domain.models import Group
from community_app.ui.group_actions import act_as, actor_for

T = TypeVar("T")


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class GroupChoice:
    id: int
    slug: str
    name: str


def board(**filters: object) -> IdeaPage:
    with read_session() as session:
        return idea_board.list_ideas(session, now=_now(), **filters)


def trending() -> list[IdeaCard]:
    with read_session() as session:
        return idea_board.list_trending_ideas(session, now=_now())


def all_groups() -> list[GroupChoice]:
    with read_session() as session:
        rows = session.exec(select(Group).order_by(col(Group.name))).all()
        return [GroupChoice(g.id or 0, g.slug, g.name) for g in rows]


def my_groups(*, token: object) -> tuple[bool, list[GroupChoice], list[GroupChoice]]:
    """(signed in, groups the member may post in, groups whose idea rules they may set)."""
    now = _now()
    with write_session() as session:
        actor = actor_for(session, token, now)
        groups = session.exec(select(Group).order_by(col(Group.name))).all()
        post = [g for g in groups if actor.is_admin or g.id in actor.member_of]
        manage = [
            g for g in groups if actor.member_id and (actor.is_admin or g.id in actor.organiser_of)
        ]
        return (
            actor.member_id is not None,
            [GroupChoice(g.id or 0, g.slug, g.name) for g in post],
            [GroupChoice(g.id or 0, g.slug, g.name) for g in manage],
        )


@dataclass(frozen=True)
class GroupIdeaRules:
    id: int
    name: str
    threshold: int
    authors_convert: bool


def idea_rules(*, token: object) -> list[GroupIdeaRules]:
    """The idea rules of the groups the member may set them for (organisers, admins)."""
    _signed_in, _post, manage = my_groups(token=token)
    with read_session() as session:
        rows = [session.get(Group, g.id) for g in manage]
        return [
            GroupIdeaRules(g.id or 0, g.name, g.idea_support_threshold, g.authors_convert_ideas)
            for g in rows
            if g is not None
        ]


def detail(*, token: object, slug: str) -> IdeaDetail:
    now = _now()
    with write_session() as session:
        actor = actor_for(session, token, now)
        return idea_detail.get_idea_detail(session, actor=actor, slug=slug, now=now)


def idea_link(*, token: object, event_slug: str) -> tuple[str, str] | None:
    now = _now()
    with write_session() as session:
        actor = actor_for(session, token, now)
        return idea_detail.idea_link_for_event(session, actor=actor, event_slug=event_slug)


def act(token: object, verb: Callable[..., T], **arguments: Any) -> T:
    """One idea verb as the member behind ``token``, in one write transaction."""
    return act_as(token, verb, **arguments)
