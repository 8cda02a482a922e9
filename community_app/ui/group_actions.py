"""Blocking group work for the group pages, run through ``asyncio.to_thread``.

The actor is always rebuilt from the session token on the server; the domain verbs
check the permissions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, select

from community_app.db import read_session, write_session
from community_app.domain import groups, memberships, sessions
from community_app.domain.groups import GroupCard, GroupPage, get_group_page, list_groups
from community_app.domain.memberships import JoinRequest, MemberRow
from community_app.domain.models import Group
from community_app.domain.permissions import VISITOR, Actor, load_actor


def _now() -> datetime:
    return datetime.now(UTC)


def actor_for(session: Session, token: object, now: datetime) -> Actor:
    member = sessions.resolve_session(session, token=token, now=now)
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


def join(*, token: object, group_id: int) -> None:
    now = _now()
    with write_session() as session:
        memberships.join_group(
            session, actor=actor_for(session, token, now), group_id=group_id, now=now
        )


def leave(*, token: object, group_id: int) -> None:
    now = _now()
    with write_session() as session:
        memberships.leave_group(
            session, actor=actor_for(session, token, now), group_id=group_id, now=now
        )


def decide(*, token: object, membership_id: object, approve: object) -> None:
    now = _now()
    with write_session() as session:
        memberships.decide_join_request(
            session,
            actor=actor_for(session, token, now),
            membership_id=membership_id,  # type: ignore[arg-type]  (validated by the verb)
            approve=approve,  # type: ignore[arg-type]
            now=now,
        )


def remove(*, token: object, group_id: int, member_id: object) -> None:
    now = _now()
    with write_session() as session:
        memberships.remove_member(
            session,
            actor=actor_for(session, token, now),
            group_id=group_id,
            member_id=member_id,  # type: ignore[arg-type]
            now=now,
        )


EDITABLE_FIELDS = ("name", "name_en", "description", "description_en", "timezone", "join_policy")


def edit(*, token: object, group_id: int, fields: dict[str, str]) -> None:
    now = _now()
    with write_session() as session:
        groups.update_group(
            session,
            actor=actor_for(session, token, now),
            group_id=group_id,
            name=fields["name"],
            name_en=fields["name_en"],
            description=fields["description"],
            description_en=fields["description_en"],
            timezone=fields["timezone"],
            join_policy=fields["join_policy"],  # type: ignore[arg-type]  (validated)
            now=now,
        )
