"""Blocking group work for the group pages, run through ``asyncio.to_thread``.

The actor is always rebuilt from the session token on the server; the domain verbs
check the permissions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlmodel import Session, select

from community_app.db import read_session, write_session
from community_app.domain import groups, memberships, sessions
from community_app.domain.groups import GroupCard, GroupPage, get_group_page, list_groups
from community_app.domain.memberships import JoinRequest, MemberRow
from community_app.domain.models import Group
from community_app.domain.permissions import VISITOR, Actor, load_actor

T = TypeVar("T")


def _now() -> datetime:
    return datetime.now(UTC)


def actor_for(session: Session, token: object, now: datetime, *, touch: bool = True) -> Actor:
    member = sessions.resolve_session(session, token=token, now=now, touch=touch)
    return load_actor(session, member_id=member.id) if member else VISITOR


@dataclass(frozen=True)
class GroupPageData:
    page: GroupPage
    group_id: int
    requests: tuple[JoinRequest, ...]
    members: tuple[MemberRow, ...]


def directory() -> list[GroupCard]:
    with read_session() as session:
        return list_groups(session, now=_now())


def load_page(*, token: object, slug: str) -> GroupPageData:
    now = _now()
    with write_session() as session:
        actor = actor_for(session, token, now)
        page = get_group_page(session, slug=slug, actor=actor, now=now)
        group_id = _group_id(session, slug)
        requests: list[JoinRequest] = []
        members: list[MemberRow] = []
        if page.viewer_can_manage:
            requests = memberships.list_join_requests(session, actor=actor, group_id=group_id)
            members = memberships.list_members(session, actor=actor, group_id=group_id)
        return GroupPageData(page, group_id, tuple(requests), tuple(members))


def _group_id(session: Session, slug: str) -> int:
    group = session.exec(select(Group).where(Group.slug == slug)).one()
    assert group.id is not None
    return group.id


def act_as(token: object, verb: Callable[..., T], **arguments: Any) -> T:
    """Run one domain verb as the member behind ``token`` (a visitor if none), in one
    write transaction. Arguments come from the client as they are: the verb validates
    them and checks the permission before it changes anything."""
    now = _now()
    with write_session() as session:
        return verb(session, actor=actor_for(session, token, now), now=now, **arguments)


def join(*, token: object, group_id: int) -> None:
    act_as(token, memberships.join_group, group_id=group_id)


def leave(*, token: object, group_id: int) -> None:
    act_as(token, memberships.leave_group, group_id=group_id)


def decide(*, token: object, membership_id: object, approve: object) -> None:
    act_as(token, memberships.decide_join_request, membership_id=membership_id, approve=approve)


def remove(*, token: object, group_id: int, member_id: object) -> None:
    act_as(token, memberships.remove_member, group_id=group_id, member_id=member_id)


EDITABLE_FIELDS = ("name", "name_en", "description", "description_en", "timezone", "join_policy")


def edit(*, token: object, group_id: int, fields: dict[str, str]) -> None:
    act_as(token, groups.update_group, group_id=group_id, **fields)
