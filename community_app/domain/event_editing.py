"""Writing an event's details: a new draft, an edit, a duplicate.

The slug is made once, from the first title, and never changes: links and calendar
subscriptions keep working after the title is edited. A *material* change of a
published event (time, place, format, join link) bumps its iCalendar ``SEQUENCE`` and
tells everyone with a place at it; other edits only move ``LAST-MODIFIED``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from community_app.domain import announcements, rsvps
from community_app.domain.audit import record_audit
from community_app.domain.enums import EventStatus, TierAllocation
from community_app.domain.errors import DomainError
from community_app.domain.event_fields import EventFields, TierLine, validate_event_form
from community_app.domain.events import new_event_uid
from community_app.domain.groups import get_group_row
from community_app.domain.models import (
    AgendaItem,
    Event,
    EventHost,
    EventTag,
    ParticipationTier,
    Rsvp,
)
from community_app.domain.permissions import (
    Actor,
    can_propose_events,
    can_review_proposals,
    is_signed_in,
    require,
)
from community_app.domain.proposals import can_edit_event, can_view_event, locked_event
from community_app.domain.quotas import check_draft_quota
from community_app.domain.slugs import unique_slug
from community_app.domain.validation import as_id

MATERIAL_FIELDS = (
    "starts_at",
    "ends_at",
    "timezone",
    "format",
    "venue_name",
    "venue_address",
    "online_platform",
    "join_url",
)
SCALAR_FIELDS = (
    "join_url_reveal_minutes",
    "title",
    "summary",
    "description",
    "kind",
    *MATERIAL_FIELDS,
)


@dataclass(frozen=True)
class EditResult:
    event_id: int
    slug: str
    material: tuple[str, ...]  # the material fields that changed (published events)
    notified: int


def slug_is_taken(session: Session, slug: str) -> bool:
    return session.exec(select(Event.id).where(Event.slug == slug)).first() is not None


def _write_details(session: Session, event: Event, fields: EventFields, now: datetime) -> None:
    """Replace tags, hosts and agenda; merge tiers by name (see ``_write_tiers``)."""
    assert event.id is not None
    for table in (EventTag, EventHost, AgendaItem):
        session.exec(delete(table).where(col(table.event_id) == event.id))
    for tag in fields.tags:
        session.add(EventTag(event_id=event.id, tag=tag))
    for position, host in enumerate(fields.hosts):
        session.add(
            EventHost(
                event_id=event.id,
                name=host.name,
                affiliation=host.affiliation,
                role=host.role,
                position=position,
            )
        )
    for position, item in enumerate(fields.agenda):
        session.add(
            AgendaItem(
                event_id=event.id,
                title=item.title,
                speaker=item.speaker,
                duration_minutes=item.duration_minutes,
                position=position,
            )
        )
    _write_tiers(session, event.id, fields.tiers, now)


def _write_tiers(
    session: Session, event_id: int, wanted: tuple[TierLine, ...], now: datetime
) -> None:
    """Tiers are matched by name: kept ones get the new capacity and order, new ones are
    added, missing ones removed — unless members already hold places in them."""
    existing = {
        tier.name: tier
        for tier in session.exec(
            select(ParticipationTier).where(ParticipationTier.event_id == event_id)
        ).all()
    }
    holders = dict(
        session.exec(
            select(Rsvp.tier_id, func.count())
            .where(Rsvp.event_id == event_id)
            .group_by(col(Rsvp.tier_id))
        ).all()
    )
    names = {line.name for line in wanted}
    for name, tier in existing.items():
        if name not in names:
            if holders.get(tier.id or 0, 0):
                raise DomainError("tier_has_rsvps")
            session.delete(tier)
    kept = []
    for position, line in enumerate(wanted):
        if line.name in existing:
            tier = rsvps.locked_tier(session, existing[line.name].id)
            rsvps.check_capacity_change(session, tier=tier, capacity=line.capacity)
            kept.append(tier)
        else:
            tier = ParticipationTier(event_id=event_id, name=line.name)
        tier.capacity, tier.position = line.capacity, position
        _apply_tier_options(tier, line)
        session.add(tier)
    session.flush()
    for tier in kept:  # a raised capacity gives its new seats to the waitlist at once
        rsvps.promote_waitlist(session, tier=tier, now=now)


def _apply_tier_options(tier: ParticipationTier, line: TierLine) -> None:
    """Lottery, approval and sign-up window from the form; a drawn lottery stays drawn."""
    if tier.lottery_drawn_at is None:
        tier.allocation = (
            TierAllocation.LOTTERY if line.lottery_draw_at else TierAllocation.FIRST_COME
        )
        tier.lottery_draw_at = line.lottery_draw_at
    elif line.lottery_draw_at is None or line.lottery_draw_at != tier.lottery_draw_at:
        raise DomainError("lottery_already_drawn")
    tier.requires_approval = line.requires_approval
    tier.rsvp_opens_at, tier.rsvp_closes_at = line.opens_at, line.closes_at


def create_event_draft(
    session: Session, *, actor: Actor, group_id: int, form: Mapping[str, object], now: datetime
) -> Event:
    """A new DRAFT proposed by ``actor`` in a group they belong to (then submit or, for
    organisers, publish it with ``proposals.change_status``)."""
    group_id = as_id(group_id)
    require(can_propose_events(actor, group_id))
    get_group_row(session, group_id)
    fields = validate_event_form(form, group_id=group_id)
    if fields.starts_at <= now:
        raise DomainError("starts_in_past")
    check_draft_quota(session, actor=actor, group_id=group_id)
    event = Event(
        uid=new_event_uid(),
        slug=unique_slug(fields.title, is_taken=lambda slug: slug_is_taken(session, slug)),
        group_id=group_id,
        proposer_id=actor.member_id,
        status=EventStatus.DRAFT,
        created_at=now,
        updated_at=now,
        **{name: getattr(fields, name) for name in SCALAR_FIELDS},
    )
    session.add(event)
    session.flush()
    _write_details(session, event, fields, now)
    session.flush()
    return event


def update_event(
    session: Session, *, actor: Actor, event_id: int, form: Mapping[str, object], now: datetime
) -> EditResult:
    """Edit an event's details (the proposer while it is under review, its group's
    reviewers until it is over or closed). The group and the slug never change."""
    require(is_signed_in(actor))
    event = locked_event(session, event_id)
    require(can_view_event(actor, event) and can_edit_event(actor, event))
    fields = validate_event_form(form, group_id=event.group_id)
    if fields.starts_at != event.starts_at and fields.starts_at <= now:
        raise DomainError("starts_in_past")
    changed = tuple(name for name in SCALAR_FIELDS if getattr(event, name) != getattr(fields, name))
    for name in changed:
        setattr(event, name, getattr(fields, name))
    event.updated_at = now
    published = event.status == EventStatus.APPROVED
    material = tuple(name for name in changed if name in MATERIAL_FIELDS) if published else ()
    if material:
        event.sequence += 1
    session.add(event)
    _write_details(session, event, fields, now)
    notified = 0
    if material:
        notified = announcements.announce_change(
            session, actor=actor, event=event, changed=material, now=now
        )
    if can_review_proposals(actor, event.group_id):
        record_audit(
            session,
            actor=actor,
            action="update_event",
            target_type="event",
            target_id=event.id,
            detail=",".join(changed),
            now=now,
        )
    session.flush()
    return EditResult(event.id or 0, event.slug, material, notified)


def duplicate_event(session: Session, *, actor: Actor, event_id: int, now: datetime) -> Event:
    """A new DRAFT copying an event the actor proposed or reviews: same details, tiers
    without their RSVPs, and the same local times moved on by whole weeks until the
    start is in the future."""
    require(is_signed_in(actor))
    source = locked_event(session, event_id)
    require(
        can_view_event(actor, source)
        and can_propose_events(actor, source.group_id)
        and (source.proposer_id == actor.member_id or can_review_proposals(actor, source.group_id))
    )
    check_draft_quota(session, actor=actor, group_id=source.group_id)
    weeks = 0
    while source.starts_at + timedelta(weeks=weeks) <= now:
        weeks += 1
    copy = Event(
        uid=new_event_uid(),
        slug=unique_slug(source.title, is_taken=lambda slug: slug_is_taken(session, slug)),
        group_id=source.group_id,
        proposer_id=actor.member_id,
        status=EventStatus.DRAFT,
        created_at=now,
        updated_at=now,
        requires_approval=source.requires_approval,
        **{name: getattr(source, name) for name in SCALAR_FIELDS},
    )
    copy.starts_at = _same_local_time(source.starts_at, weeks, source.timezone)
    copy.ends_at = copy.starts_at + (source.ends_at - source.starts_at)
    session.add(copy)
    session.flush()
    copy_details(session, source, copy)
    session.flush()
    return copy


def _same_local_time(moment: datetime, weeks: int, timezone: str) -> datetime:
    """``moment`` moved by ``weeks`` at the same wall-clock time in ``timezone``."""
    local = moment.astimezone(ZoneInfo(timezone))
    return (
        (local.replace(tzinfo=None) + timedelta(weeks=weeks))
        .replace(tzinfo=ZoneInfo(timezone))
        .astimezone(UTC)
    )


def copy_details(session: Session, source: Event, copy: Event) -> None:
    assert copy.id is not None
    for tag in session.exec(select(EventTag).where(EventTag.event_id == source.id)).all():
        session.add(EventTag(event_id=copy.id, tag=tag.tag))
    for host in session.exec(select(EventHost).where(EventHost.event_id == source.id)).all():
        session.add(
            EventHost(
                event_id=copy.id,
                name=host.name,
                affiliation=host.affiliation,
                role=host.role,
                position=host.position,
            )
        )
    for item in session.exec(select(AgendaItem).where(AgendaItem.event_id == source.id)).all():
        session.add(
            AgendaItem(
                event_id=copy.id,
                title=item.title,
                speaker=item.speaker,
                duration_minutes=item.duration_minutes,
                position=item.position,
            )
        )
    tiers = session.exec(
        select(ParticipationTier).where(ParticipationTier.event_id == source.id)
    ).all()
    for tier in tiers:
        session.add(
            ParticipationTier(
                event_id=copy.id,
                name=tier.name,
                name_en=tier.name_en,
                capacity=tier.capacity,
                allocation=tier.allocation,
                is_online=tier.is_online,
                position=tier.position,
            )
        )
