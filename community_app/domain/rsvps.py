"""RSVPs to participation tiers (参加枠): going, waitlisted, pending, applied — never
overbooked.

Every change that can take or free a seat first locks the tier's row
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite writers are serialised by
``BEGIN IMMEDIATE``), then counts and writes in the same transaction. A freed seat goes
to the head of that tier's waitlist in the same transaction (``promote_waitlist``).

The waitlist order is the lottery's drawn order first, then arrival (``queued_at``);
cancelling and applying again puts a member at the back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from community_app.domain import participation_mail
from community_app.domain.enums import EventStatus, NotificationKind, RsvpStatus, TierAllocation
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.join_links import HOLDS_A_SEAT
from community_app.domain.mail_kinds import MailKind
from community_app.domain.models import Event, ParticipationTier, Rsvp
from community_app.domain.notifications import notify
from community_app.domain.permissions import Actor, can_review_proposals, is_signed_in, require
from community_app.domain.validation import as_id

R = RsvpStatus
# Statuses that hold a seat (after the event, going becomes attended or no-show).
SEATED = HOLDS_A_SEAT
# Statuses of a member who still takes part, or wants to.
ACTIVE = (R.GOING, R.WAITLISTED, R.PENDING, R.APPLIED, R.ATTENDED, R.NO_SHOW)


@dataclass(frozen=True)
class RsvpOutcome:
    status: RsvpStatus
    tier_id: int
    position: int | None  # place in the waitlist, from 1


def locked_tier(session: Session, tier_id: object) -> ParticipationTier:
    """The tier, read afresh and locked until the transaction ends."""
    tier = session.exec(
        select(ParticipationTier)
        .where(ParticipationTier.id == as_id(tier_id))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if tier is None:
        raise NotFound("tier_not_found")
    return tier


def seated_count(session: Session, tier_id: int) -> int:
    return session.exec(
        select(func.count())
        .select_from(Rsvp)
        .where(Rsvp.tier_id == tier_id, col(Rsvp.status).in_(SEATED))
    ).one()


# The order of a waitlist, head first: drawn order (lottery tiers), then arrival.
WAITLIST_ORDER = (
    col(Rsvp.lottery_rank).is_(None),
    col(Rsvp.lottery_rank),
    col(Rsvp.queued_at),
    col(Rsvp.id),
)


def waitlist(session: Session, tier_id: int) -> list[Rsvp]:
    """The tier's waitlist, head first: drawn order, then arrival."""
    return list(
        session.exec(
            select(Rsvp)
            .where(Rsvp.tier_id == tier_id, Rsvp.status == R.WAITLISTED)
            .order_by(*WAITLIST_ORDER)
        ).all()
    )


def waitlist_position(session: Session, rsvp: Rsvp) -> int | None:
    if rsvp.status != R.WAITLISTED:
        return None
    ids = [row.id for row in waitlist(session, rsvp.tier_id)]
    return ids.index(rsvp.id) + 1 if rsvp.id in ids else None


def has_free_seat(tier: ParticipationTier, seated: int) -> bool:
    return tier.capacity is None or seated < tier.capacity


def is_lottery_open(tier: ParticipationTier) -> bool:
    """Applications are collected until the lottery is drawn."""
    return tier.allocation == TierAllocation.LOTTERY and tier.lottery_drawn_at is None


def promote_waitlist(session: Session, *, tier: ParticipationTier, now: datetime) -> list[int]:
    """Give every free seat of ``tier`` to the head of its waitlist, in order, and tell
    each promoted member. Call it with the tier locked (``locked_tier``), in the
    transaction that freed the seats. Returns the promoted members' ids."""
    if is_lottery_open(tier):
        return []
    assert tier.id is not None
    seated = seated_count(session, tier.id)
    promoted: list[int] = []
    for rsvp in waitlist(session, tier.id):
        if not has_free_seat(tier, seated):
            break
        rsvp.status, rsvp.updated_at = R.GOING, now
        session.add(rsvp)
        promoted.append(rsvp.member_id)
        seated += 1
    if promoted:
        event = session.get(Event, tier.event_id)
        title = event.title if event else ""
        notify(
            session,
            member_ids=promoted,
            kind=NotificationKind.WAITLIST_PROMOTED,
            event_id=tier.event_id,
            message_ja=f"キャンセル待ちから「{title}」への参加が確定しました。",
            message_en=f"A place freed up: you are going to “{title}”.",
            now=now,
        )
        participation_mail.mail_seats_given(
            session, tier=tier, kind=MailKind.RSVP_PROMOTED, member_ids=promoted, now=now
        )
    session.flush()
    return promoted


def _open_event(session: Session, event_id: object, now: datetime) -> Event:
    event = session.get(Event, as_id(event_id))
    if event is None or event.external_calendar_id is not None:
        raise NotFound("event_not_found")
    if event.status != EventStatus.APPROVED or event.published_at is None:
        raise DomainError("event_not_open")
    if event.ends_at <= now:
        raise DomainError("event_over")
    return event


def _check_window(tier: ParticipationTier, now: datetime) -> None:
    if tier.rsvp_opens_at is not None and now < tier.rsvp_opens_at:
        raise DomainError("rsvp_not_open_yet")
    if tier.rsvp_closes_at is not None and now >= tier.rsvp_closes_at:
        raise DomainError("rsvp_closed")


def find_rsvp(session: Session, *, event_id: int, member_id: int) -> Rsvp | None:
    return session.exec(
        select(Rsvp)
        .where(Rsvp.event_id == event_id, Rsvp.member_id == member_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()


def _outcome(session: Session, rsvp: Rsvp) -> RsvpOutcome:
    return RsvpOutcome(rsvp.status, rsvp.tier_id, waitlist_position(session, rsvp))


def _arrival_status(session: Session, tier: ParticipationTier) -> RsvpStatus:
    """Where a new RSVP lands: applied (lottery), pending (approval), going when a seat
    is free and nobody waits, else the back of the waitlist."""
    assert tier.id is not None
    if is_lottery_open(tier):
        return R.APPLIED
    if tier.requires_approval:
        return R.PENDING
    nobody_waits = not waitlist(session, tier.id)
    return (
        R.GOING
        if nobody_waits and has_free_seat(tier, seated_count(session, tier.id))
        else (R.WAITLISTED)
    )


def rsvp(
    session: Session,
    *,
    actor: Actor,
    event_id: int,
    tier_id: int,
    now: datetime,
    mail: bool = True,
) -> RsvpOutcome:
    """Sign up for a tier of a published event. A second click on the same tier changes
    nothing; another tier of the same event switches (see ``switch_tier``). ``mail``
    False leaves the member's confirmation to the caller (a series sends one)."""
    require(is_signed_in(actor))
    assert actor.member_id is not None
    event = _open_event(session, event_id, now)
    tier = locked_tier(session, tier_id)
    if tier.event_id != event.id:
        raise NotFound("tier_not_found")
    assert event.id is not None and tier.id is not None
    existing = find_rsvp(session, event_id=event.id, member_id=actor.member_id)
    if existing is not None and existing.status in ACTIVE:
        if existing.tier_id == tier.id:
            return _outcome(session, existing)
        return switch_tier(
            session, actor=actor, event_id=event.id, tier_id=tier.id, now=now, mail=mail
        )
    _check_window(tier, now)
    status = _arrival_status(session, tier)
    row = existing or Rsvp(
        event_id=event.id, tier_id=tier.id, member_id=actor.member_id, status=status
    )
    row.tier_id, row.status, row.lottery_rank = tier.id, status, None
    row.queued_at, row.updated_at, row.checked_in_at = now, now, None
    session.add(row)
    session.flush()
    outcome = _outcome(session, row)
    if mail:
        participation_mail.mail_rsvp_outcome(
            session, rsvp=row, was_seated=False, position=outcome.position, now=now
        )
    return outcome


def cancel_rsvp(session: Session, *, actor: Actor, event_id: int, now: datetime) -> None:
    """Withdraw one's own RSVP; a seat it held goes to the head of the waitlist."""
    require(is_signed_in(actor))
    assert actor.member_id is not None
    event_id = as_id(event_id)
    existing = find_rsvp(session, event_id=event_id, member_id=actor.member_id)
    if existing is None or existing.status not in (R.GOING, R.WAITLISTED, R.PENDING, R.APPLIED):
        raise DomainError("no_rsvp")
    event = session.get(Event, event_id)
    if event is not None and event.ends_at <= now:
        raise DomainError("event_over")
    was_seated = existing.status in SEATED
    release(session, rsvp=existing, now=now)
    participation_mail.mail_rsvp_change(
        session, kind=MailKind.RSVP_CANCELLED, rsvp=existing, was_seated=was_seated, now=now
    )


def release(
    session: Session, *, rsvp: Rsvp, now: datetime, status: RsvpStatus = R.CANCELLED
) -> None:
    """Set ``rsvp`` to ``status`` (cancelled by default) and, if it held a seat, promote
    the head of its tier's waitlist in the same transaction."""
    tier = locked_tier(session, rsvp.tier_id)
    held_seat = rsvp.status in SEATED
    rsvp.status, rsvp.updated_at, rsvp.lottery_rank = status, now, None
    session.add(rsvp)
    session.flush()
    if held_seat:
        promote_waitlist(session, tier=tier, now=now)


def switch_tier(
    session: Session,
    *,
    actor: Actor,
    event_id: int,
    tier_id: int,
    now: datetime,
    mail: bool = True,
) -> RsvpOutcome:
    """Move one's RSVP to another tier of the same event: the old seat is released (and
    given to that waitlist's head); the new tier is joined at the back of its queue."""
    require(is_signed_in(actor))
    assert actor.member_id is not None
    event = _open_event(session, event_id, now)
    existing = find_rsvp(session, event_id=event.id or 0, member_id=actor.member_id)
    if existing is None or existing.status not in ACTIVE:
        raise DomainError("no_rsvp")
    target = locked_tier(session, tier_id)
    if target.event_id != event.id:
        raise NotFound("tier_not_found")
    if target.id == existing.tier_id:
        return _outcome(session, existing)
    _check_window(target, now)
    was_seated = existing.status in SEATED
    release(session, rsvp=existing, now=now)
    status = _arrival_status(session, target)
    existing.tier_id, existing.status, existing.queued_at = target.id or 0, status, now
    existing.updated_at = now
    session.add(existing)
    session.flush()
    outcome = _outcome(session, existing)
    if mail:
        participation_mail.mail_rsvp_outcome(
            session, rsvp=existing, was_seated=was_seated, position=outcome.position, now=now
        )
    return outcome


def check_capacity_change(
    session: Session, *, tier: ParticipationTier, capacity: int | None
) -> None:
    """Refuse a capacity below the number of people already going (0 means full)."""
    if capacity is not None and tier.id is not None and capacity < seated_count(session, tier.id):
        raise DomainError("capacity_below_going")


@dataclass(frozen=True)
class SeriesSignup:
    joined: int
    skipped: int


def join_every_occurrence(
    session: Session, *, actor: Actor, event_id: int, tier_id: int, now: datetime
) -> SeriesSignup:
    """RSVP to every upcoming occurrence of the event's series, each in its tier of the
    same name as ``tier_id`` (or its first tier). Occurrences that are full go to their
    waitlist like any RSVP; ones that cannot be joined (closed, not open yet) are
    skipped and counted."""
    require(is_signed_in(actor))
    event = _open_event(session, event_id, now)
    chosen = session.get(ParticipationTier, as_id(tier_id))
    if chosen is None or chosen.event_id != event.id:
        raise NotFound("tier_not_found")
    if event.series_id is None:
        raise DomainError("not_a_series")
    occurrences = session.exec(
        select(Event)
        .where(
            Event.series_id == event.series_id,
            Event.status == EventStatus.APPROVED,
            col(Event.ends_at) > now,
        )
        .order_by(col(Event.starts_at))
    ).all()
    joined = skipped = 0
    outcomes: list[tuple[Event, RsvpOutcome]] = []
    for occurrence in occurrences:
        tiers = session.exec(
            select(ParticipationTier)
            .where(ParticipationTier.event_id == occurrence.id)
            .order_by(col(ParticipationTier.position), col(ParticipationTier.id))
        ).all()
        target = next((t for t in tiers if t.name == chosen.name), tiers[0] if tiers else None)
        if target is None:
            skipped += 1
            continue
        try:
            with session.begin_nested():
                outcome = rsvp(
                    session,
                    actor=actor,
                    event_id=occurrence.id or 0,
                    tier_id=target.id or 0,
                    now=now,
                    mail=False,  # one mail for the series, not one per Saturday
                )
            joined += 1
            outcomes.append((occurrence, outcome))
        except DomainError:
            skipped += 1
    participation_mail.mail_series_joined(
        session, member_id=actor.member_id or 0, outcomes=outcomes, skipped=skipped, now=now
    )
    return SeriesSignup(joined, skipped)


def set_tier_capacity(
    session: Session, *, actor: Actor, tier_id: int, capacity: int | None, now: datetime
) -> list[int]:
    """Change one tier's capacity (organisers of the group): below the number going is
    refused; new seats go to the head of the waitlist at once. Returns who was promoted."""
    require(is_signed_in(actor))
    tier = locked_tier(session, tier_id)
    event = session.get(Event, tier.event_id)
    require(event is not None and can_review_proposals(actor, event.group_id))
    if capacity is not None and (type(capacity) is not int or not 0 <= capacity <= 100_000):
        raise DomainError("invalid_capacity")
    check_capacity_change(session, tier=tier, capacity=capacity)
    tier.capacity = capacity
    session.add(tier)
    session.flush()
    return promote_waitlist(session, tier=tier, now=now)
