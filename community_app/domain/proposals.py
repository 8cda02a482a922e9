"""The life of an event: proposed, reviewed, published, changed, cancelled.

One table, ``TRANSITIONS``, says which status may follow which and who may make the
move; ``change_status`` is the only function that changes ``Event.status``. It records
the actor, time and reason of every move, and tells the people concerned.

Who moves an event:
- its proposer submits, resubmits and withdraws it;
- a reviewer (organiser of its group, or admin) approves, rejects, asks for changes
  and cancels;
- a proposer who is also a reviewer may publish their own draft directly.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, select

from community_app.domain import announcements
from community_app.domain.audit import record_audit
from community_app.domain.enums import EventStatus
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.event_fields import MAX_LINE, long_text
from community_app.domain.models import Event, EventTransition
from community_app.domain.permissions import (
    Actor,
    can_propose_events,
    can_review_proposals,
    is_signed_in,
    require,
)
from community_app.domain.quotas import check_pending_quota
from community_app.domain.validation import as_choice, as_id

S = EventStatus
MAX_REASON = 2_000


class Mover(StrEnum):
    PROPOSER = "proposer"
    REVIEWER = "reviewer"
    PUBLISHER = "publisher"  # the proposer, when they may also review


TRANSITIONS: dict[tuple[EventStatus, EventStatus], Mover] = {
    (S.DRAFT, S.SUBMITTED): Mover.PROPOSER,
    (S.DRAFT, S.APPROVED): Mover.PUBLISHER,
    (S.DRAFT, S.WITHDRAWN): Mover.PROPOSER,
    (S.SUBMITTED, S.APPROVED): Mover.REVIEWER,
    (S.SUBMITTED, S.REJECTED): Mover.REVIEWER,
    (S.SUBMITTED, S.CHANGES_REQUESTED): Mover.REVIEWER,
    (S.SUBMITTED, S.WITHDRAWN): Mover.PROPOSER,
    (S.CHANGES_REQUESTED, S.SUBMITTED): Mover.PROPOSER,
    (S.CHANGES_REQUESTED, S.WITHDRAWN): Mover.PROPOSER,
    (S.APPROVED, S.CANCELLED): Mover.REVIEWER,
}
ALLOWED_TRANSITIONS: dict[EventStatus, frozenset[EventStatus]] = {
    status: frozenset(to for (origin, to) in TRANSITIONS if origin == status) for status in S
}
REASON_REQUIRED = frozenset({S.REJECTED, S.CHANGES_REQUESTED, S.CANCELLED})
# Statuses in which the event's details may still be edited, and by whom.
EDITABLE_BY_PROPOSER = frozenset({S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED})
EDITABLE_BY_REVIEWER = frozenset({S.SUBMITTED, S.CHANGES_REQUESTED, S.APPROVED})


def is_proposer(actor: Actor, event: Event) -> bool:
    return is_signed_in(actor) and event.proposer_id == actor.member_id


def can_view_event(actor: Actor, event: Event) -> bool:
    """Published (and cancelled) events are public; a draft is its proposer's alone;
    other unpublished statuses are for the proposer and the group's reviewers."""
    if event.status in S.public() and event.published_at is not None:
        return True
    if event.status == S.DRAFT:
        return is_proposer(actor, event)
    return is_proposer(actor, event) or can_review_proposals(actor, event.group_id)


def can_edit_event(actor: Actor, event: Event) -> bool:
    return (is_proposer(actor, event) and event.status in EDITABLE_BY_PROPOSER) or (
        can_review_proposals(actor, event.group_id) and event.status in EDITABLE_BY_REVIEWER
    )


def may_move(actor: Actor, event: Event, to: EventStatus) -> bool:
    """Whether ``actor`` may move ``event`` to ``to`` now (False for moves not in the table)."""
    mover = TRANSITIONS.get((event.status, to))
    if mover is None:
        return False
    proposer = is_proposer(actor, event) and can_propose_events(actor, event.group_id)
    reviewer = can_review_proposals(actor, event.group_id)
    return {
        Mover.PROPOSER: proposer,
        Mover.REVIEWER: reviewer,
        Mover.PUBLISHER: proposer and reviewer,
    }[mover]


def locked_event(session: Session, event_id: object) -> Event:
    """The event row, read afresh and locked on PostgreSQL until the transaction ends
    (SQLite writers are already serialised by ``BEGIN IMMEDIATE``), so that two people
    deciding at once see each other's decision."""
    row = session.exec(
        select(Event)
        .where(Event.id == as_id(event_id), Event.external_calendar_id == None)  # noqa: E711
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise NotFound("event_not_found")
    return row


def as_reason(value: object) -> str:
    return long_text(value, code="invalid_reason", max_length=MAX_REASON)


def change_status(
    session: Session,
    *,
    actor: Actor,
    event_id: int,
    to: EventStatus,
    reason: str = "",
    now: datetime,
) -> Event:
    """Move the event to ``to`` if the table allows it and the actor may make the move.

    A move the table does not allow from the current status (an already rejected
    proposal approved, a decision another organiser made a moment ago) raises
    ``transition_not_allowed``; rejecting, asking for changes and cancelling need a
    reason. Submitting and publishing need a start in the future.
    """
    require(is_signed_in(actor))
    to = as_choice(to, EventStatus, code="invalid_status")
    reason = as_reason(reason)
    event = locked_event(session, event_id)
    require(can_view_event(actor, event))
    if to not in ALLOWED_TRANSITIONS[event.status]:
        raise DomainError("transition_not_allowed")
    require(may_move(actor, event, to))
    if to in REASON_REQUIRED and not reason:
        raise DomainError("reason_required")
    if to in (S.SUBMITTED, S.APPROVED) and event.starts_at <= now:
        raise DomainError("starts_in_past")
    if to == S.SUBMITTED:
        check_pending_quota(session, actor=actor, group_id=event.group_id)
    _apply(session, actor=actor, event=event, to=to, reason=reason, now=now)
    return event


def _apply(
    session: Session, *, actor: Actor, event: Event, to: EventStatus, reason: str, now: datetime
) -> None:
    origin = event.status
    event.status = to
    event.status_reason = reason
    event.updated_at = now
    if to == S.APPROVED:
        event.published_at = now
    if to == S.CANCELLED:
        event.cancelled_at = now
        event.sequence += 1  # STATUS is a material change for calendar apps
    session.add(event)
    session.add(
        EventTransition(
            event_id=event.id or 0,
            actor_id=actor.member_id,
            from_status=origin,
            to_status=to,
            reason=reason,
            at=now,
        )
    )
    record_audit(
        session,
        actor=actor,
        action=f"event_{to.value}",
        target_type="event",
        target_id=event.id,
        detail=reason[:MAX_LINE],
        now=now,
    )
    announcements.announce_status(session, actor=actor, event=event, origin=origin, now=now)
    session.flush()
