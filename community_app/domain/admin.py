"""Site administration: appointing and demoting organisers, disabling member accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from community_app.domain.audit import record_audit
from community_app.domain.enums import GroupRole, MembershipStatus
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.groups import find_membership, get_group_row
from community_app.domain.memberships import is_active_organiser, refuse_if_last_organiser
from community_app.domain.models import Group, Member, Membership
from community_app.domain.permissions import (
    Actor,
    can_appoint_organisers,
    can_disable_members,
    require,
)
from community_app.domain.sessions import revoke_all_sessions
from community_app.domain.validation import as_flag, as_id


def _member_row(session: Session, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("member_not_found")
    return member


def appoint_organiser(
    session: Session, *, actor: Actor, group_id: int, member_id: int, now: datetime
) -> None:
    """Make a member an organiser of a group: a new membership, or the existing one
    (active, pending or declined) upgraded to ORGANISER / ACTIVE."""
    require(can_appoint_organisers(actor))
    group_id = as_id(group_id)
    member_id = as_id(member_id)
    get_group_row(session, group_id)
    if _member_row(session, member_id).is_disabled:
        raise DomainError("member_disabled", "This account is disabled.")
    membership = find_membership(session, group_id=group_id, member_id=member_id)
    if membership is None:
        membership = Membership(group_id=group_id, member_id=member_id, created_at=now)
    elif is_active_organiser(membership):
        raise DomainError("already_organiser", "This member is already an organiser.")
    if membership.status != MembershipStatus.ACTIVE:
        membership.status = MembershipStatus.ACTIVE
        membership.decided_by_id = actor.member_id
        membership.decided_at = now
    membership.role = GroupRole.ORGANISER
    session.add(membership)
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="appoint_organiser",
        target_type="membership",
        target_id=membership.id,
        detail=f"group={group_id} member={member_id}",
        now=now,
    )
    session.flush()


def demote_organiser(
    session: Session, *, actor: Actor, group_id: int, member_id: int, now: datetime
) -> None:
    """Turn an organiser back into a plain member; the last organiser stays."""
    require(can_appoint_organisers(actor))
    group_id = as_id(group_id)
    member_id = as_id(member_id)
    membership = find_membership(session, group_id=group_id, member_id=member_id)
    if membership is None or not is_active_organiser(membership):
        raise DomainError("not_an_organiser", "This member is not an organiser of the group.")
    refuse_if_last_organiser(session, membership)
    membership.role = GroupRole.MEMBER
    session.add(membership)
    record_audit(
        session,
        actor=actor,
        action="demote_organiser",
        target_type="membership",
        target_id=membership.id,
        detail=f"group={group_id} member={member_id}",
        now=now,
    )
    session.flush()


def set_member_disabled(
    session: Session, *, actor: Actor, member_id: int, disabled: bool, now: datetime
) -> None:
    """Disable (or re-enable) an account. Disabling ends the member's login sessions at
    once; ``load_actor`` already treats a disabled member as a visitor. An admin cannot
    disable themselves, so the site always keeps the admin who is acting."""
    require(can_disable_members(actor))
    member_id = as_id(member_id)
    disabled = as_flag(disabled)
    if disabled and member_id == actor.member_id:
        raise DomainError("cannot_disable_self", "You cannot disable your own account.")
    member = _member_row(session, member_id)
    if member.is_disabled == disabled:
        return
    member.is_disabled = disabled
    member.updated_at = now
    session.add(member)
    if disabled:
        revoke_all_sessions(session, member_id=member_id, now=now)
    record_audit(
        session,
        actor=actor,
        action="disable_member" if disabled else "enable_member",
        target_type="member",
        target_id=member_id,
        now=now,
    )
    session.flush()


@dataclass(frozen=True)
class AdminMemberRow:
    member_id: int
    display_name: str
    email: str  # admins manage accounts, so they see addresses; nobody else does
    is_admin: bool
    is_disabled: bool


@dataclass(frozen=True)
class AdminGroupRow:
    group_id: int
    slug: str
    name: str
    organisers: tuple[tuple[int, str], ...]  # (member id, display name)


def list_members_for_admin(session: Session, *, actor: Actor) -> list[AdminMemberRow]:
    """Every account, for the admin page, in order of sign-up."""
    require(can_disable_members(actor))
    members = session.exec(select(Member).order_by(col(Member.id))).all()
    return [
        AdminMemberRow(m.id or 0, m.display_name, m.email, m.is_admin, m.is_disabled)
        for m in members
    ]


def list_groups_for_admin(session: Session, *, actor: Actor) -> list[AdminGroupRow]:
    """Every group with its active organisers, for appointing and demoting."""
    require(can_appoint_organisers(actor))
    organisers: dict[int, list[tuple[int, str]]] = {}
    rows = session.exec(
        select(Membership.group_id, Member.id, Member.display_name)
        .join(Member, col(Member.id) == col(Membership.member_id))
        .where(
            Membership.role == GroupRole.ORGANISER,
            Membership.status == MembershipStatus.ACTIVE,
        )
        .order_by(col(Member.id))
    ).all()
    for group_id, member_id, name in rows:
        organisers.setdefault(group_id, []).append((member_id or 0, name))
    groups = session.exec(select(Group).order_by(col(Group.name))).all()
    return [
        AdminGroupRow(g.id or 0, g.slug, g.name, tuple(organisers.get(g.id or 0, [])))
        for g in groups
    ]
