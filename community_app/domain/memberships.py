"""Belonging to a group: joining, leaving, the join-request queue and the member list.

A membership row is unique per (group, member). Its status is ACTIVE (a member),
PENDING (asked to join a group with the approval policy) or DECLINED (asked and was
refused; may ask again, which reuses the row). Leaving or being removed deletes the row.
A group that has organisers always keeps at least one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from community_app.domain.audit import record_audit
from community_app.domain.calendar import group_url
from community_app.domain.enums import GroupRole, JoinPolicy, MembershipStatus, NotificationKind
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.groups import find_membership, get_group_row
from community_app.domain.mail import enqueue_mail
from community_app.domain.mail_kinds import MailKind
from community_app.domain.models import Group, Member, Membership, Notification
from community_app.domain.permissions import (
    Actor,
    can_appoint_organisers,
    can_join_groups,
    can_manage_any_group,
    can_manage_group,
    is_signed_in,
    require,
)
from community_app.domain.validation import as_flag, as_id


@dataclass(frozen=True)
class JoinRequest:
    membership_id: int
    member_display_name: str
    requested_at: datetime


@dataclass(frozen=True)
class MemberRow:
    member_id: int
    display_name: str
    role: GroupRole
    joined_at: datetime


def is_active_organiser(membership: Membership) -> bool:
    return membership.role == GroupRole.ORGANISER and membership.status == MembershipStatus.ACTIVE


def count_active_organisers(session: Session, *, group_id: int) -> int:
    """How many organisers the group has, locking their rows on PostgreSQL so that two
    organisers leaving at the same moment cannot both pass the last-organiser check
    (SQLite writers are already serialised by ``BEGIN IMMEDIATE``)."""
    ids = session.exec(
        select(Membership.id)
        .where(
            Membership.group_id == group_id,
            Membership.role == GroupRole.ORGANISER,
            Membership.status == MembershipStatus.ACTIVE,
        )
        .with_for_update()
    ).all()
    return len(ids)


def refuse_if_last_organiser(session: Session, membership: Membership) -> None:
    if is_active_organiser(membership) and (
        count_active_organisers(session, group_id=membership.group_id) <= 1
    ):
        raise DomainError("last_organiser", "A group needs at least one organiser.")


def join_group(session: Session, *, actor: Actor, group_id: int, now: datetime) -> MembershipStatus:
    """Join an open group at once, or queue a request (PENDING) for an approval group."""
    require(can_join_groups(actor))
    assert actor.member_id is not None
    group_id = as_id(group_id)
    group = get_group_row(session, group_id)
    status = (
        MembershipStatus.ACTIVE
        if group.join_policy == JoinPolicy.OPEN
        else MembershipStatus.PENDING
    )
    membership = find_membership(session, group_id=group_id, member_id=actor.member_id)
    if membership is None:
        membership = Membership(group_id=group_id, member_id=actor.member_id, created_at=now)
    elif membership.status in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
        raise DomainError("already_member", "You are already a member or have asked to join.")
    else:  # DECLINED before: asking again reuses the row as a fresh request
        membership.created_at = now
        membership.decided_by_id = None
        membership.decided_at = None
    membership.role = GroupRole.MEMBER
    membership.status = status
    session.add(membership)
    session.flush()
    return status


def leave_group(session: Session, *, actor: Actor, group_id: int, now: datetime) -> None:
    """Leave a group, or withdraw one's own pending request. ``now`` is kept for symmetry
    with the other verbs (leaving deletes the row, so there is nothing to stamp)."""
    require(is_signed_in(actor))
    assert actor.member_id is not None
    group_id = as_id(group_id)
    membership = find_membership(session, group_id=group_id, member_id=actor.member_id)
    if membership is None or membership.status == MembershipStatus.DECLINED:
        raise DomainError("not_a_member", "You are not a member of this group.")
    refuse_if_last_organiser(session, membership)
    session.delete(membership)
    session.flush()


def list_join_requests(session: Session, *, actor: Actor, group_id: int) -> list[JoinRequest]:
    """The queue of PENDING requests of one group, oldest first."""
    group_id = as_id(group_id)
    require(can_manage_group(actor, group_id))
    get_group_row(session, group_id)
    rows = session.exec(
        select(Membership, Member.display_name)
        .join(Member, col(Member.id) == col(Membership.member_id))
        .where(Membership.group_id == group_id, Membership.status == MembershipStatus.PENDING)
        .order_by(col(Membership.created_at), col(Membership.id))
    ).all()
    return [JoinRequest(m.id or 0, name, m.created_at) for m, name in rows]


def _decision_message(group_name: str, *, approved: bool) -> str:
    if approved:
        return f"「{group_name}」への参加が承認されました。"
    return f"「{group_name}」への参加申請は承認されませんでした。"


def decide_join_request(
    session: Session, *, actor: Actor, membership_id: int, approve: bool, now: datetime
) -> None:
    """Approve (ACTIVE) or decline (DECLINED) one pending request of a group the actor
    manages; the member gets a notification. The permission is checked against the
    request's own group, so an organiser elsewhere cannot decide it."""
    require(can_manage_any_group(actor))
    membership_id = as_id(membership_id)
    approve = as_flag(approve)
    membership = session.get(Membership, membership_id)
    if membership is None:
        raise NotFound("membership_not_found")
    require(can_manage_group(actor, membership.group_id))
    if membership.status != MembershipStatus.PENDING:
        raise NotFound("membership_not_found")
    membership.status = MembershipStatus.ACTIVE if approve else MembershipStatus.DECLINED
    membership.decided_by_id = actor.member_id
    membership.decided_at = now
    session.add(membership)
    group = get_group_row(session, membership.group_id)
    session.add(
        Notification(
            member_id=membership.member_id,
            kind=NotificationKind.MEMBERSHIP_DECIDED,
            message=_decision_message(group.name, approved=approve),
            created_at=now,
        )
    )
    _mail_decision(session, membership.member_id, group, approve=approve, now=now)
    record_audit(
        session,
        actor=actor,
        action="approve_join_request" if approve else "decline_join_request",
        target_type="membership",
        target_id=membership.id,
        now=now,
        detail=f"group={membership.group_id} member={membership.member_id}",
    )
    session.flush()


def _mail_decision(
    session: Session, member_id: int, group: Group, *, approve: bool, now: datetime
) -> None:
    member = session.get(Member, member_id)
    if member is None:
        return
    name = group.name_en if member.locale == "en" and group.name_en else group.name
    context = {"group_name": name, "approved": approve, "group_path": group_url("", group.slug)}
    enqueue_mail(session, member=member, kind=MailKind.MEMBERSHIP_DECIDED, context=context, now=now)


def list_members(session: Session, *, actor: Actor, group_id: int) -> list[MemberRow]:
    """ACTIVE members of one group: organisers first, then by display name."""
    group_id = as_id(group_id)
    require(can_manage_group(actor, group_id))
    get_group_row(session, group_id)
    rows = session.exec(
        select(Membership, Member.display_name)
        .join(Member, col(Member.id) == col(Membership.member_id))
        .where(Membership.group_id == group_id, Membership.status == MembershipStatus.ACTIVE)
    ).all()
    members = [
        MemberRow(m.member_id, name, m.role, m.decided_at or m.created_at) for m, name in rows
    ]
    organisers_first = {GroupRole.ORGANISER: 0, GroupRole.MEMBER: 1}
    return sorted(members, key=lambda r: (organisers_first[r.role], r.display_name, r.member_id))


def remove_member(
    session: Session, *, actor: Actor, group_id: int, member_id: int, now: datetime
) -> None:
    """Remove an ACTIVE member from a group the actor manages. Removing an organiser is
    for admins only (like demoting), and never the last one. In an open group the
    removed member can join again: there is no ban (yet)."""
    group_id = as_id(group_id)
    member_id = as_id(member_id)
    require(can_manage_group(actor, group_id))
    membership = find_membership(session, group_id=group_id, member_id=member_id)
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        raise NotFound("member_not_found")
    if membership.role == GroupRole.ORGANISER:
        require(can_appoint_organisers(actor))
    refuse_if_last_organiser(session, membership)
    session.delete(membership)
    record_audit(
        session,
        actor=actor,
        action="remove_member",
        target_type="membership",
        target_id=membership.id,
        detail=f"group={group_id} member={member_id}",
        now=now,
    )
    session.flush()
