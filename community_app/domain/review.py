"""Reads and bulk decisions around proposals: the review queue, "my proposals", an
event as a given viewer may see it, and the values of its edit form.

Only ``get_event_for_editing`` returns the join URL, and only to people who may
edit the event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from community_app.domain.enums import EventStatus, TierAllocation
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.events import EventDetail, event_detail, event_parts
from community_app.domain.models import (
    Event,
    EventTag,
    EventTransition,
    Group,
    Member,
    ParticipationTier,
)
from community_app.domain.permissions import (
    Actor,
    can_propose_events,
    can_review_proposals,
    is_admin,
    is_signed_in,
    require,
)
from community_app.domain.proposals import (
    ALLOWED_TRANSITIONS,
    as_reason,
    can_edit_event,
    can_view_event,
    change_status,
    may_move,
)
from community_app.domain.validation import as_choice, as_id

S = EventStatus
QUEUE_FILTERS = {
    "waiting": (S.SUBMITTED,),
    "changes_requested": (S.CHANGES_REQUESTED,),
    "decided": (S.APPROVED, S.REJECTED, S.CANCELLED, S.WITHDRAWN),
    "all": (S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED, S.REJECTED, S.CANCELLED, S.WITHDRAWN),
}
MAX_BULK = 100


@dataclass(frozen=True)
class ProposalRow:
    event_id: int
    slug: str
    title: str
    status: EventStatus
    status_reason: str
    group_name: str
    proposer_name: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    updated_at: datetime


@dataclass(frozen=True)
class GroupChoice:
    group_id: int
    name: str
    timezone: str
    can_publish: bool = False  # the actor reviews this group: may publish directly


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor_name: str
    from_status: EventStatus | None
    to_status: EventStatus
    reason: str


@dataclass(frozen=True)
class ViewerEvent:
    """An event as one viewer sees it, with what that viewer may do to it."""

    detail: EventDetail
    status: EventStatus
    is_public: bool
    can_edit: bool
    can_duplicate: bool
    can_post_recap: bool
    can_repeat: bool  # an organiser may turn it into a recurring series
    is_reviewer: bool  # an organiser of the group (or admin): manages the attendees
    in_series: bool
    moves: tuple[EventStatus, ...]  # the status changes this viewer may make now
    history: tuple[HistoryEntry, ...]  # for the proposer and reviewers only


@dataclass(frozen=True)
class EditableEvent:
    event_id: int
    slug: str
    status: EventStatus
    group_name: str
    series_id: int | None
    values: dict[str, str]  # form field -> value, the join URL included
    moves: tuple[EventStatus, ...] = ()  # status changes this editor may make now


def _rows(session: Session, query: Any) -> list[ProposalRow]:
    rows = session.exec(query).all()
    return [
        ProposalRow(
            event_id=event.id or 0,
            slug=event.slug,
            title=event.title,
            status=event.status,
            status_reason=event.status_reason,
            group_name=group.name,
            proposer_name=proposer or "—",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            timezone=event.timezone,
            updated_at=event.updated_at,
        )
        for event, group, proposer in rows
    ]


def _base_query() -> Any:
    """Events with their group and proposer's name (imported ones excluded)."""
    return (
        select(Event, Group, Member.display_name)
        .join(Group, col(Group.id) == col(Event.group_id))
        .join(Member, col(Member.id) == col(Event.proposer_id), isouter=True)
        .where(col(Event.external_calendar_id).is_(None))
    )


def list_review_queue(
    session: Session, *, actor: Actor, show: str = "waiting", group_id: int | None = None
) -> list[ProposalRow]:
    """Proposals of the groups the actor reviews (every group for admins): waiting for a
    decision first-come first-served, or the other filters of ``QUEUE_FILTERS``."""
    require(is_admin(actor) or (is_signed_in(actor) and bool(actor.organiser_of)))
    if show not in QUEUE_FILTERS:
        raise DomainError("invalid_filter")
    query = _base_query().where(col(Event.status).in_(QUEUE_FILTERS[show]))
    if group_id is not None:
        group_id = as_id(group_id)
        require(can_review_proposals(actor, group_id))
        query = query.where(Event.group_id == group_id)
    elif not is_admin(actor):
        query = query.where(col(Event.group_id).in_(actor.organiser_of))
    oldest_first = show in ("waiting", "changes_requested")
    order = col(Event.updated_at) if oldest_first else col(Event.updated_at).desc()
    return _rows(session, query.order_by(order, col(Event.id)).limit(500))


def list_my_proposals(session: Session, *, actor: Actor) -> list[ProposalRow]:
    """Everything the actor proposed, latest activity first."""
    require(is_signed_in(actor))
    query = _base_query().where(Event.proposer_id == actor.member_id)
    return _rows(session, query.order_by(col(Event.updated_at).desc(), col(Event.id)).limit(500))


def groups_for_proposing(session: Session, *, actor: Actor) -> list[GroupChoice]:
    """The groups the actor may propose events in (their groups; every group for admins)."""
    if not is_signed_in(actor):
        return []
    groups = session.exec(select(Group).order_by(col(Group.name), col(Group.id))).all()
    return [
        GroupChoice(g.id or 0, g.name, g.timezone, can_review_proposals(actor, g.id or 0))
        for g in groups
        if can_propose_events(actor, g.id or 0)
    ]


def groups_for_reviewing(session: Session, *, actor: Actor) -> list[GroupChoice]:
    groups = session.exec(select(Group).order_by(col(Group.name), col(Group.id))).all()
    return [
        GroupChoice(g.id or 0, g.name, g.timezone)
        for g in groups
        if can_review_proposals(actor, g.id or 0)
    ]


def _event_by_slug(session: Session, slug: object) -> tuple[Event, Group]:
    if not isinstance(slug, str) or not slug or len(slug) > 200:
        raise NotFound("event_not_found")
    row = session.exec(
        select(Event, Group)
        .join(Group, col(Group.id) == col(Event.group_id))
        .where(Event.slug == slug)
    ).first()
    if row is None:
        raise NotFound("event_not_found")
    return row


def _history(session: Session, event_id: int) -> tuple[HistoryEntry, ...]:
    rows = session.exec(
        select(EventTransition, Member.display_name)
        .join(Member, col(Member.id) == col(EventTransition.actor_id), isouter=True)
        .where(EventTransition.event_id == event_id)
        .order_by(col(EventTransition.at), col(EventTransition.id))
    ).all()
    return tuple(
        HistoryEntry(t.at, name or "—", t.from_status, t.to_status, t.reason) for t, name in rows
    )


def get_event_for_viewer(
    session: Session, *, actor: Actor, slug: str, now: datetime
) -> ViewerEvent:
    """The event page for this viewer. Unpublished events exist only for those who may
    see them (``NotFound`` for everyone else, as for an unknown slug)."""
    event, group = _event_by_slug(session, slug)
    if not can_view_event(actor, event):
        raise NotFound("event_not_found")
    insider = (
        can_edit_event(actor, event)
        or can_review_proposals(actor, event.group_id)
        or (event.proposer_id is not None and event.proposer_id == actor.member_id)
    )
    is_public = event.status in S.public() and event.published_at is not None
    reviewer = can_review_proposals(actor, event.group_id)
    return ViewerEvent(
        detail=event_detail(session, event, group),
        status=event.status,
        is_public=is_public,
        can_edit=can_edit_event(actor, event),
        can_duplicate=is_signed_in(actor)
        and can_propose_events(actor, event.group_id)
        and (event.proposer_id == actor.member_id or reviewer),
        can_post_recap=reviewer and event.status == S.APPROVED and event.starts_at <= now,
        can_repeat=reviewer
        and event.series_id is None
        and event.status in (S.APPROVED, S.DRAFT)
        and event.starts_at > now,
        in_series=event.series_id is not None,
        is_reviewer=reviewer,
        moves=tuple(
            to for to in sorted(ALLOWED_TRANSITIONS[event.status]) if may_move(actor, event, to)
        ),
        history=_history(session, event.id or 0) if insider else (),
    )


def get_event_for_editing(session: Session, *, actor: Actor, slug: str) -> EditableEvent:
    """The edit form's values, for people who may edit the event."""
    require(is_signed_in(actor))
    event, group = _event_by_slug(session, slug)
    require(can_view_event(actor, event) and can_edit_event(actor, event))
    return EditableEvent(
        event_id=event.id or 0,
        slug=event.slug,
        status=event.status,
        group_name=group.name,
        series_id=event.series_id,
        values=form_values(session, event),
        moves=tuple(
            to for to in sorted(ALLOWED_TRANSITIONS[event.status]) if may_move(actor, event, to)
        ),
    )


def form_values(session: Session, event: Event) -> dict[str, str]:
    """The event as the edit form writes it (the inverse of ``validate_event_form``)."""
    zone = ZoneInfo(event.timezone)
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    tags = session.exec(select(EventTag.tag).where(EventTag.event_id == event.id)).all()
    hosts, agenda, tiers = event_parts(session, event.id or 0)
    return {
        "title": event.title,
        "summary": event.summary,
        "description": event.description,
        "kind": event.kind.value,
        "format": event.format.value,
        "timezone": event.timezone,
        "start_date": start.date().isoformat(),
        "start_time": start.strftime("%H:%M"),
        "end_date": end.date().isoformat(),
        "end_time": end.strftime("%H:%M"),
        "venue_name": event.venue_name,
        "venue_address": event.venue_address,
        "online_platform": event.online_platform,
        "join_url": event.join_url,
        "join_url_reveal_minutes": ""
        if event.join_url_reveal_minutes is None
        else str(event.join_url_reveal_minutes),
        "tags": ", ".join(sorted(tags)),
        "hosts": "\n".join(" | ".join((h.name, h.affiliation, h.role.value)) for h in hosts),
        "agenda": "\n".join(
            " | ".join(
                (a.title, a.speaker, str(a.duration_minutes) if a.duration_minutes else "")
            ).rstrip(" |")
            for a in agenda
        ),
        "tiers": "\n".join(tier_line(t, zone) for t in tiers),
    }


def tier_line(tier: ParticipationTier, zone: ZoneInfo) -> str:
    """One tier as the form writes it: ``name | capacity | options…``."""

    def local(moment: datetime) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    cells = [tier.name, "" if tier.capacity is None else str(tier.capacity)]
    if tier.allocation == TierAllocation.LOTTERY and tier.lottery_draw_at:
        cells.append(f"抽選 {local(tier.lottery_draw_at)}")
    if tier.requires_approval:
        cells.append("承認制")
    if tier.rsvp_opens_at:
        cells.append(f"受付開始 {local(tier.rsvp_opens_at)}")
    if tier.rsvp_closes_at:
        cells.append(f"締切 {local(tier.rsvp_closes_at)}")
    while len(cells) > 1 and cells[-1] == "":
        cells.pop()
    return " | ".join(cells)


@dataclass(frozen=True)
class BulkResult:
    done: tuple[int, ...]
    skipped: tuple[tuple[int, str], ...]  # (event id, error code)


def decide_many(
    session: Session,
    *,
    actor: Actor,
    event_ids: Sequence[object],
    to: EventStatus,
    reason: str = "",
    now: datetime,
) -> BulkResult:
    """Approve or reject several proposals at once. Each is decided on its own: one that
    someone else decided meanwhile (or that this actor may not decide) is skipped and
    reported, the others go through."""
    require(is_signed_in(actor))
    to = as_choice(to, EventStatus, code="invalid_status")
    if to not in (S.APPROVED, S.REJECTED):
        raise DomainError("invalid_status")
    if not isinstance(event_ids, (list, tuple)) or not 0 < len(event_ids) <= MAX_BULK:
        raise DomainError("invalid_selection")
    if to == S.REJECTED and not as_reason(reason):
        raise DomainError("reason_required")
    ids = [as_id(event_id) for event_id in event_ids]
    done: list[int] = []
    skipped: list[tuple[int, str]] = []
    for event_id in dict.fromkeys(ids):
        try:
            with session.begin_nested():
                change_status(
                    session, actor=actor, event_id=event_id, to=to, reason=reason, now=now
                )
            done.append(event_id)
        except DomainError as error:
            skipped.append((event_id, error.code))
    return BulkResult(tuple(done), tuple(skipped))
