"""Who may do what: named, pure predicates over an ``Actor`` snapshot.

Domain verbs call these (through ``require``) before they touch anything, so every
entry point — UI, feeds, CLI — is checked the same way. The predicates take plain data
and return a bool; only ``load_actor`` reads the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from community_app.domain.enums import GroupRole, MembershipStatus
from community_app.domain.errors import DomainError, PermissionDenied
from community_app.domain.models import Member, Membership
from community_app.domain.validation import as_id


@dataclass(frozen=True)
class Actor:
    """Who is acting, as read from the server-side session at the start of a request."""

    member_id: int | None  # None = visitor
    is_admin: bool = False
    organiser_of: frozenset[int] = frozenset()  # group ids
    member_of: frozenset[int] = frozenset()  # ACTIVE memberships, organisers included


VISITOR = Actor(member_id=None)


def load_actor(session: Session, *, member_id: int | None) -> Actor:
    """The actor for ``member_id``; unknown, disabled or malformed ids act as a visitor."""
    if member_id is None:
        return VISITOR
    try:
        member_id = as_id(member_id)
    except DomainError:
        return VISITOR
    member = session.get(Member, member_id)
    if member is None or member.is_disabled:
        return VISITOR
    rows = session.exec(
        select(Membership.group_id, Membership.role).where(
            Membership.member_id == member_id, Membership.status == MembershipStatus.ACTIVE
        )
    ).all()
    return Actor(
        member_id=member_id,
        is_admin=member.is_admin,
        organiser_of=frozenset(gid for gid, role in rows if role == GroupRole.ORGANISER),
        member_of=frozenset(gid for gid, _role in rows),
    )


def is_signed_in(actor: Actor) -> bool:
    return actor.member_id is not None


def is_admin(actor: Actor) -> bool:
    # A visitor never holds privileges, whatever else the snapshot claims.
    return is_signed_in(actor) and actor.is_admin


def is_organiser_of(actor: Actor, group_id: int) -> bool:
    return is_signed_in(actor) and group_id in actor.organiser_of


def is_member_of(actor: Actor, group_id: int) -> bool:
    """An ACTIVE member of the group (organisers are members too)."""
    return is_signed_in(actor) and (group_id in actor.member_of or group_id in actor.organiser_of)


def can_join_groups(actor: Actor) -> bool:
    return is_signed_in(actor)


def can_manage_group(actor: Actor, group_id: int) -> bool:
    """Review join requests, list and remove members of that group."""
    return is_organiser_of(actor, group_id) or is_admin(actor)


def can_manage_any_group(actor: Actor) -> bool:
    """Organiser of at least one group, or admin: lets a verb refuse early, before reading."""
    return (is_signed_in(actor) and bool(actor.organiser_of)) or is_admin(actor)


def can_edit_group(actor: Actor, group_id: int) -> bool:
    return is_organiser_of(actor, group_id) or is_admin(actor)


def can_create_group(actor: Actor) -> bool:
    return is_admin(actor)


def can_appoint_organisers(actor: Actor) -> bool:
    """Appoint, demote — and remove — organisers: organisers do not remove each other."""
    return is_admin(actor)


def can_disable_members(actor: Actor) -> bool:
    return is_admin(actor)


def can_review_proposals(actor: Actor, group_id: int) -> bool:
    return is_organiser_of(actor, group_id) or is_admin(actor)


def can_propose_events(actor: Actor, group_id: int) -> bool:
    return is_member_of(actor, group_id) or is_admin(actor)


def can_read_audit_log(actor: Actor) -> bool:
    return is_admin(actor)


def can_read_mailbox(actor: Actor) -> bool:
    """Read every outgoing mail (it holds links meant for one member) and send tests."""
    return is_admin(actor)


def can_manage_webhooks(actor: Actor, group_id: int) -> bool:
    """Add, list and remove the group's webhooks (their URLs and secrets are sensitive)."""
    return is_organiser_of(actor, group_id) or is_admin(actor)


def can_use_personal_feed(actor: Actor) -> bool:
    """Create, rotate and revoke one's own personal calendar feed token."""
    return is_signed_in(actor)


def can_manage_external_calendars(actor: Actor, group_id: int) -> bool:
    """Add, refresh and remove the partner calendars a group imports."""
    return is_organiser_of(actor, group_id) or is_admin(actor)


def can_post_ideas(actor: Actor, group_id: int | None) -> bool:
    """A site-wide idea: any member; a group's idea: its members (and admins)."""
    if group_id is None:
        return is_signed_in(actor)
    return is_member_of(actor, group_id) or is_admin(actor)


def can_moderate_ideas(actor: Actor, group_id: int | None) -> bool:
    """Archive or reopen ideas and hide comments: the group's organisers (site-wide
    ideas: admins)."""
    return is_admin(actor) or (group_id is not None and is_organiser_of(actor, group_id))


def can_turn_ideas_into_events(
    actor: Actor, group_id: int, *, is_author: bool = False, authors_may: bool = False
) -> bool:
    """The group's reviewers; the idea's author too when the group allows it and the
    author belongs to the group."""
    return can_review_proposals(actor, group_id) or (
        is_author and authors_may and is_member_of(actor, group_id)
    )


def require(allowed: bool) -> None:
    """Raise ``PermissionDenied`` unless ``allowed``; call it before touching anything."""
    if allowed is not True:
        raise PermissionDenied("permission_denied", "You are not allowed to do this.")
