"""Groups (circles): public reads, and creating and editing a group.

Joining, leaving and member management live in ``memberships``; appointing organisers
and disabling members in ``admin``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from community_app.domain.audit import record_audit
from community_app.domain.enums import EventStatus, GroupRole, JoinPolicy, MembershipStatus
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.events import UPCOMING_PAGE_SIZE, EventCard, _cards
from community_app.domain.models import Event, Group, Member, Membership
from community_app.domain.permissions import (
    Actor,
    can_create_group,
    can_edit_group,
    can_manage_group,
    require,
)
from community_app.domain.slugs import make_slug, unique_slug
from community_app.domain.validation import as_choice, as_id, as_text, as_timezone

MAX_NAME_LENGTH = 120
MAX_DESCRIPTION_LENGTH = 20_000


@dataclass(frozen=True)
class GroupCard:
    slug: str
    name: str
    name_en: str
    description: str
    description_en: str
    join_policy: JoinPolicy
    member_count: int
    upcoming_count: int


@dataclass(frozen=True)
class GroupPage:
    card: GroupCard
    timezone: str
    organisers: tuple[str, ...]  # display names
    upcoming: tuple[EventCard, ...]
    viewer_status: MembershipStatus | None
    viewer_is_organiser: bool
    viewer_can_manage: bool  # organiser of this group, or admin: show the management links


def get_group_row(session: Session, group_id: int) -> Group:
    """The group with this (already validated) id, or ``NotFound("group_not_found")``."""
    group = session.get(Group, group_id)
    if group is None:
        raise NotFound("group_not_found")
    return group


def _member_counts(session: Session, *, only: int | None = None) -> dict[int, int]:
    """ACTIVE memberships per group (organisers included); ``only`` narrows to one group."""
    query = select(Membership.group_id, func.count()).where(
        Membership.status == MembershipStatus.ACTIVE
    )
    if only is not None:
        query = query.where(Membership.group_id == only)
    return dict(session.exec(query.group_by(col(Membership.group_id))).all())


def _upcoming_counts(session: Session, *, now: datetime, only: int | None = None) -> dict[int, int]:
    """Approved events that have not ended, per group; ``only`` narrows to one group."""
    query = select(Event.group_id, func.count()).where(
        Event.status == EventStatus.APPROVED, col(Event.ends_at) > now
    )
    if only is not None:
        query = query.where(Event.group_id == only)
    return dict(session.exec(query.group_by(col(Event.group_id))).all())


def _card(group: Group, *, member_count: int, upcoming_count: int) -> GroupCard:
    return GroupCard(
        slug=group.slug,
        name=group.name,
        name_en=group.name_en,
        description=group.description,
        description_en=group.description_en,
        join_policy=group.join_policy,
        member_count=member_count,
        upcoming_count=upcoming_count,
    )


def list_groups(session: Session, *, now: datetime) -> list[GroupCard]:
    """Every group, by name, with its ACTIVE member count and not-yet-ended events."""
    members = _member_counts(session)
    upcoming = _upcoming_counts(session, now=now)
    groups = session.exec(select(Group).order_by(col(Group.name), col(Group.id))).all()
    return [
        _card(g, member_count=members.get(g.id or 0, 0), upcoming_count=upcoming.get(g.id or 0, 0))
        for g in groups
    ]


def _upcoming_events(session: Session, *, group_id: int, now: datetime) -> list[EventCard]:
    """Like ``events.list_upcoming_events``, for one group."""
    rows = session.exec(
        select(Event, Group)
        .join(Group, col(Group.id) == col(Event.group_id))
        .where(
            Event.group_id == group_id,
            Event.status == EventStatus.APPROVED,
            col(Event.ends_at) > now,
        )
        .order_by(col(Event.starts_at), col(Event.id))
        .limit(UPCOMING_PAGE_SIZE)
    ).all()
    return _cards(session, list(rows))


def _organiser_names(session: Session, group_id: int) -> tuple[str, ...]:
    names = session.exec(
        select(Member.display_name)
        .join(Membership, col(Membership.member_id) == col(Member.id))
        .where(
            Membership.group_id == group_id,
            Membership.role == GroupRole.ORGANISER,
            Membership.status == MembershipStatus.ACTIVE,
        )
        .order_by(col(Member.display_name), col(Member.id))
    ).all()
    return tuple(names)


def find_membership(session: Session, *, group_id: int, member_id: int) -> Membership | None:
    return session.exec(
        select(Membership).where(Membership.group_id == group_id, Membership.member_id == member_id)
    ).first()


def get_group_page(session: Session, *, slug: str, actor: Actor, now: datetime) -> GroupPage:
    """The public page of one group, plus where the viewer stands in it."""
    if not isinstance(slug, str):
        raise NotFound("group_not_found")
    group = session.exec(select(Group).where(Group.slug == slug)).first()
    if group is None or group.id is None:
        raise NotFound("group_not_found")
    mine = None
    if actor.member_id is not None:
        mine = find_membership(session, group_id=group.id, member_id=actor.member_id)
    upcoming = _upcoming_events(session, group_id=group.id, now=now)
    card = _card(
        group,
        member_count=_member_counts(session, only=group.id).get(group.id, 0),
        upcoming_count=_upcoming_counts(session, now=now, only=group.id).get(group.id, 0),
    )
    return GroupPage(
        card=card,
        timezone=group.timezone,
        organisers=_organiser_names(session, group.id),
        upcoming=tuple(upcoming),
        viewer_status=mine.status if mine else None,
        viewer_is_organiser=bool(
            mine and mine.role == GroupRole.ORGANISER and mine.status == MembershipStatus.ACTIVE
        ),
        viewer_can_manage=can_manage_group(actor, group.id),
    )


@dataclass(frozen=True)
class _GroupFields:
    name: str
    name_en: str
    description: str
    description_en: str
    timezone: str
    join_policy: JoinPolicy


def _validate(
    *,
    name: object,
    name_en: object,
    description: object,
    description_en: object,
    timezone: object,
    join_policy: object,
) -> _GroupFields:
    return _GroupFields(
        name=as_text(name, code="invalid_group_name", max_length=MAX_NAME_LENGTH, required=True),
        name_en=as_text(name_en, code="invalid_group_name_en", max_length=MAX_NAME_LENGTH),
        description=as_text(
            description, code="invalid_description", max_length=MAX_DESCRIPTION_LENGTH
        ),
        description_en=as_text(
            description_en, code="invalid_description_en", max_length=MAX_DESCRIPTION_LENGTH
        ),
        timezone=as_timezone(timezone),
        join_policy=as_choice(join_policy, JoinPolicy, code="invalid_join_policy"),
    )


def _slug_is_taken(session: Session, slug: str) -> bool:
    return session.exec(select(Group.id).where(Group.slug == slug)).first() is not None


def create_group(
    session: Session,
    *,
    actor: Actor,
    name: str,
    name_en: str = "",
    description: str = "",
    description_en: str = "",
    slug: str = "",
    timezone: str = "Asia/Tokyo",
    join_policy: JoinPolicy = JoinPolicy.OPEN,
    now: datetime,
) -> Group:
    """Add a group (admins only). Without a slug one is made from the name, suffixed if
    needed; an explicit slug that is already used is refused with ``slug_taken``."""
    require(can_create_group(actor))
    fields = _validate(
        name=name,
        name_en=name_en,
        description=description,
        description_en=description_en,
        timezone=timezone,
        join_policy=join_policy,
    )
    wanted = as_text(slug, code="invalid_slug", max_length=MAX_NAME_LENGTH)
    if wanted:
        final_slug = make_slug(wanted)
        if _slug_is_taken(session, final_slug):
            raise DomainError("slug_taken", "This address is already used by another group.")
    else:
        final_slug = unique_slug(fields.name, is_taken=lambda s: _slug_is_taken(session, s))
    group = Group(slug=final_slug, created_at=now, updated_at=now, **asdict(fields))
    session.add(group)
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="create_group",
        target_type="group",
        target_id=group.id,
        detail=group.slug,
        now=now,
    )
    session.flush()
    return group


def update_group(
    session: Session,
    *,
    actor: Actor,
    group_id: int,
    name: str,
    name_en: str,
    description: str,
    description_en: str,
    timezone: str,
    join_policy: JoinPolicy,
    now: datetime,
) -> Group:
    """Edit a group (its organisers or an admin). The slug never changes: URLs and feed
    subscriptions keep working. Pending join requests stay pending if the policy opens."""
    group_id = as_id(group_id)
    require(can_edit_group(actor, group_id))
    fields = _validate(
        name=name,
        name_en=name_en,
        description=description,
        description_en=description_en,
        timezone=timezone,
        join_policy=join_policy,
    )
    group = get_group_row(session, group_id)
    changed = [key for key, value in asdict(fields).items() if getattr(group, key) != value]
    for key in changed:
        setattr(group, key, getattr(fields, key))
    if changed:
        group.updated_at = now
        record_audit(
            session,
            actor=actor,
            action="update_group",
            target_type="group",
            target_id=group.id,
            detail=",".join(changed),
            now=now,
        )
    session.flush()
    return group
