"""Test helpers for groups and permissions: memberships, a five-role world, snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from community_app.domain.enums import GroupRole, JoinPolicy, MembershipStatus
from community_app.domain.models import Group, Member, Membership
from community_app.domain.permissions import VISITOR, Actor, load_actor
from tests.factories import make_group, make_member

# The five roles every predicate and privileged verb is checked against.
ROLES = ("visitor", "member", "other_organiser", "organiser", "admin")

# Every table these verbs may write to: a denied call must leave all of them unchanged.
SNAPSHOT_TABLES = (
    "groups",
    "members",
    "memberships",
    "audit_log",
    "notifications",
    "auth_sessions",
)


def make_membership(
    session: Session,
    *,
    group: Group,
    member: Member,
    role: GroupRole = GroupRole.MEMBER,
    status: MembershipStatus = MembershipStatus.ACTIVE,
    **overrides: Any,
) -> Membership:
    membership = Membership(
        group_id=group.id, member_id=member.id, role=role, status=status, **overrides
    )
    session.add(membership)
    session.flush()
    return membership


def make_organiser(session: Session, group: Group, **member_overrides: Any) -> Member:
    member = make_member(session, **member_overrides)
    make_membership(session, group=group, member=member, role=GroupRole.ORGANISER)
    return member


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables above, read back through SQL (pending changes flushed)."""
    session.flush()
    dump: dict[str, list[tuple[Any, ...]]] = {}
    for name in SNAPSHOT_TABLES:
        table = SQLModel.metadata.tables[name]
        query = sa.select(table).order_by(*table.primary_key.columns)
        dump[name] = [tuple(row) for row in session.execute(query)]
    return dump


@dataclass
class World:
    """Group G (approval policy) with two organisers, a member, a removable ``target``
    and a pending ``applicant``; group H run by ``other_organiser``; an open, empty
    group; and a site admin who belongs to no group."""

    group: Group
    other_group: Group
    open_group: Group
    member: Member
    other_organiser: Member
    organiser: Member
    co_organiser: Member
    admin: Member
    applicant: Member
    target: Member
    pending: Membership

    def actor(self, session: Session, role: str) -> Actor:
        if role == "visitor":
            return VISITOR
        member: Member = getattr(self, role)
        return load_actor(session, member_id=member.id)


def build_world(session: Session) -> World:
    group = make_group(session, name="G 子育て", join_policy=JoinPolicy.APPROVAL)
    other_group = make_group(session, name="H 市民先生")
    open_group = make_group(session, name="O オープン")
    member = make_member(session)
    make_membership(session, group=group, member=member)
    target = make_member(session)
    make_membership(session, group=group, member=target)
    applicant = make_member(session)
    pending = make_membership(
        session, group=group, member=applicant, status=MembershipStatus.PENDING
    )
    return World(
        group=group,
        other_group=other_group,
        open_group=open_group,
        member=member,
        other_organiser=make_organiser(session, other_group),
        organiser=make_organiser(session, group),
        co_organiser=make_organiser(session, group),
        admin=make_member(session, is_admin=True),
        applicant=applicant,
        target=target,
        pending=pending,
    )
