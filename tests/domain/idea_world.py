"""Test helpers for ideas: an idea in the five-role world, and people around it."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from community_app.domain.idea_posting import post_idea, support_idea
from community_app.domain.models import Member, ProjectIdea
from community_app.domain.permissions import load_actor
from tests.domain.group_world import World, make_membership
from tests.factories import make_member


def make_idea(
    session: Session, world: World, now: datetime, *, group: bool = True, **fields: object
) -> ProjectIdea:
    """An idea posted by the world's member in group G (threshold 3), or site-wide."""
    values: dict[str, object] = {
        "title": "Pythonで家計簿を作る勉強会",
        "description": "初心者向けに、**家計簿アプリ**を一緒に作りたいです。",
        "help_needed": "講師と、土曜夜に使えるオンライン会場",
        "tags": "python, 初心者",
    }
    ref = post_idea(
        session,
        actor=load_actor(session, member_id=world.member.id),
        group_id=world.group.id if group else None,
        now=now,
        **(values | fields),
    )
    idea = session.get(ProjectIdea, ref.id)
    assert idea is not None
    return idea


def group_members(session: Session, world: World, count: int) -> list[Member]:
    members = [make_member(session) for _ in range(count)]
    for member in members:
        make_membership(session, group=world.group, member=member)
    return members


def support_by(session: Session, idea: ProjectIdea, members: list[Member], now: datetime) -> None:
    for member in members:
        support_idea(
            session, actor=load_actor(session, member_id=member.id), idea_id=idea.id, now=now
        )
