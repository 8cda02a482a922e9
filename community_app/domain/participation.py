"""What the event page shows about taking part: seats per tier, the viewer's own RSVP,
and the join URL — only for those going (from the reveal time) and for organisers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from community_app.domain.enums import EventStatus, RsvpStatus, TierAllocation
from community_app.domain.join_links import is_join_url_revealed
from community_app.domain.models import Event, ParticipationTier, Rsvp
from community_app.domain.permissions import Actor, can_review_proposals
from community_app.domain.rsvps import ACTIVE, SEATED, waitlist_position

R = RsvpStatus


def can_see_join_url(actor: Actor, event: Event, rsvp: Rsvp | None, now: datetime) -> bool:
    """Organisers of the group always; a member who is going once the reveal time has
    come (``join_url_reveal_minutes`` before the start, or at once when it is unset)."""
    if can_review_proposals(actor, event.group_id):
        return True
    if rsvp is None or rsvp.member_id != actor.member_id or rsvp.status not in SEATED:
        return False
    return is_join_url_revealed(event, now)


@dataclass(frozen=True)
class TierSeats:
    tier_id: int
    name: str
    name_en: str
    capacity: int | None
    going: int
    waiting: int
    applied: int
    seats_left: int | None  # None: no limit
    is_lottery: bool
    lottery_draw_at: datetime | None
    lottery_drawn: bool
    requires_approval: bool
    opens_at: datetime | None
    closes_at: datetime | None


@dataclass(frozen=True)
class MyRsvp:
    tier_id: int
    status: RsvpStatus
    position: int | None


@dataclass(frozen=True)
class RsvpPanel:
    """What the event page shows about taking part, for one viewer."""

    tiers: tuple[TierSeats, ...]
    mine: MyRsvp | None
    join_url: str  # empty unless this viewer may see it now
    is_open: bool  # published, not over
    in_series: bool


def tier_seats(session: Session, event_ids: list[int]) -> dict[int, list[TierSeats]]:
    """Seats per tier of each event, in two queries whatever the number of events."""
    if not event_ids:
        return {}
    counts: dict[tuple[int, str], int] = {}
    rows = session.exec(
        select(Rsvp.tier_id, Rsvp.status, func.count())
        .where(col(Rsvp.event_id).in_(event_ids))
        .group_by(col(Rsvp.tier_id), col(Rsvp.status))
    ).all()
    for tier_id, status, count in rows:
        counts[(tier_id, status)] = count
    tiers = session.exec(
        select(ParticipationTier)
        .where(col(ParticipationTier.event_id).in_(event_ids))
        .order_by(col(ParticipationTier.position), col(ParticipationTier.id))
    ).all()
    seats: dict[int, list[TierSeats]] = {}
    for tier in tiers:
        tid = tier.id or 0
        going = sum(counts.get((tid, status), 0) for status in SEATED)
        seats.setdefault(tier.event_id, []).append(
            TierSeats(
                tier_id=tid,
                name=tier.name,
                name_en=tier.name_en,
                capacity=tier.capacity,
                going=going,
                waiting=counts.get((tid, R.WAITLISTED), 0),
                applied=counts.get((tid, R.APPLIED), 0),
                seats_left=None if tier.capacity is None else max(tier.capacity - going, 0),
                is_lottery=tier.allocation == TierAllocation.LOTTERY,
                lottery_draw_at=tier.lottery_draw_at,
                lottery_drawn=tier.lottery_drawn_at is not None,
                requires_approval=tier.requires_approval,
                opens_at=tier.rsvp_opens_at,
                closes_at=tier.rsvp_closes_at,
            )
        )
    return seats


def rsvp_panel(session: Session, *, actor: Actor, event: Event, now: datetime) -> RsvpPanel:
    assert event.id is not None
    mine = None
    own = None
    if actor.member_id is not None:
        own = session.exec(
            select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.member_id == actor.member_id)
        ).first()
        if own is not None and own.status in ACTIVE:
            mine = MyRsvp(own.tier_id, own.status, waitlist_position(session, own))
    public = event.status == EventStatus.APPROVED and event.published_at is not None
    return RsvpPanel(
        tiers=tuple(tier_seats(session, [event.id]).get(event.id, [])),
        mine=mine,
        join_url=event.join_url
        if event.join_url and can_see_join_url(actor, event, own, now)
        else "",
        is_open=public and event.ends_at > now,
        in_series=event.series_id is not None,
    )
