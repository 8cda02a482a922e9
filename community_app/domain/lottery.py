"""Lottery tiers (抽選): applications until the draw, then a fair, reproducible draw.

The draw shuffles the applicants, sorted by RSVP id, with ``random.Random(seed)``; the
seed is a fresh random value recorded in the tier and in the audit log, so anyone can
re-run the draw and get the same order. Winners fill the free seats; the others are
waitlisted in drawn order (``Rsvp.lottery_rank``) and promoted from there when seats
free up.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from community_app.domain import participation_mail
from community_app.domain.audit import record_audit
from community_app.domain.enums import NotificationKind, RsvpStatus, TierAllocation
from community_app.domain.errors import DomainError
from community_app.domain.mail_kinds import MailKind
from community_app.domain.models import Event, ParticipationTier, Rsvp
from community_app.domain.notifications import notify
from community_app.domain.permissions import VISITOR, Actor, can_review_proposals, require
from community_app.domain.rsvps import has_free_seat, locked_tier, seated_count


@dataclass(frozen=True)
class DrawResult:
    tier_id: int
    seed: str
    winners: tuple[int, ...]  # member ids, in drawn order
    waitlisted: tuple[int, ...]


def drawn_order(applicant_ids: list[int], seed: str) -> list[int]:
    """The applicants (RSVP ids) in the order the seed draws them."""
    order = sorted(applicant_ids)
    random.Random(seed).shuffle(order)
    return order


def draw_lottery(
    session: Session,
    *,
    actor: Actor,
    tier_id: int,
    now: datetime,
    seed: str | None = None,
) -> DrawResult:
    """Draw a lottery tier now: an organiser's "draw now"."""
    tier = locked_tier(session, tier_id)
    require(can_review_proposals(actor, _group_of(session, tier)))
    return _draw(session, tier=tier, actor=actor, now=now, seed=seed)


def _draw(
    session: Session, *, tier: ParticipationTier, actor: Actor, now: datetime, seed: str | None
) -> DrawResult:
    if tier.allocation != TierAllocation.LOTTERY:
        raise DomainError("not_a_lottery")
    if tier.lottery_drawn_at is not None:
        raise DomainError("lottery_already_drawn")
    assert tier.id is not None
    seed = seed or secrets.token_hex(16)
    applicants = {
        rsvp.id: rsvp
        for rsvp in session.exec(
            select(Rsvp).where(Rsvp.tier_id == tier.id, Rsvp.status == RsvpStatus.APPLIED)
        ).all()
    }
    seated = seated_count(session, tier.id)
    winners: list[int] = []
    waitlisted: list[int] = []
    for rank, rsvp_id in enumerate(drawn_order([i for i in applicants if i], seed), start=1):
        rsvp = applicants[rsvp_id]
        if has_free_seat(tier, seated):
            rsvp.status, rsvp.lottery_rank = RsvpStatus.GOING, rank
            seated += 1
            winners.append(rsvp.member_id)
        else:
            rsvp.status, rsvp.lottery_rank = RsvpStatus.WAITLISTED, rank
            waitlisted.append(rsvp.member_id)
        rsvp.updated_at = now
        session.add(rsvp)
    tier.lottery_drawn_at, tier.lottery_seed = now, seed
    session.add(tier)
    record_audit(
        session,
        actor=actor,
        action="draw_lottery",
        target_type="tier",
        target_id=tier.id,
        detail=f"seed={seed} applicants={len(applicants)} winners={len(winners)}",
        now=now,
    )
    _tell(session, tier, winners, waitlisted, now)
    session.flush()
    return DrawResult(tier.id, seed, tuple(winners), tuple(waitlisted))


def _group_of(session: Session, tier: ParticipationTier) -> int:
    event = session.get(Event, tier.event_id)
    return event.group_id if event else 0


def _tell(
    session: Session, tier: ParticipationTier, winners: list[int], others: list[int], now: datetime
) -> None:
    event = session.get(Event, tier.event_id)
    title = event.title if event else ""
    notify(
        session,
        member_ids=winners,
        kind=NotificationKind.RSVP_DECIDED,
        event_id=tier.event_id,
        message_ja=f"抽選の結果、「{title}」({tier.name})に当選しました。",
        message_en=f"You won the lottery for “{title}” ({tier.name_en or tier.name}).",
        now=now,
    )
    notify(
        session,
        member_ids=others,
        kind=NotificationKind.RSVP_DECIDED,
        event_id=tier.event_id,
        message_ja=f"「{title}」({tier.name})の抽選はキャンセル待ちになりました。",
        message_en=f"The lottery for “{title}” put you on the waitlist.",
        now=now,
    )
    participation_mail.mail_seats_given(
        session, tier=tier, kind=MailKind.LOTTERY_WON, member_ids=winners, now=now
    )
    # The drawn order is the waitlist's order (nobody waits in a lottery before its draw).
    participation_mail.mail_lottery_waitlisted(
        session, tier=tier, places=[(m, place) for place, m in enumerate(others, 1)], now=now
    )


def draw_due_lotteries(session: Session, *, now: datetime) -> list[DrawResult]:
    """Draw every lottery whose draw time has come (run by the scheduler)."""
    due = session.exec(
        select(ParticipationTier.id).where(
            ParticipationTier.allocation == TierAllocation.LOTTERY,
            col(ParticipationTier.lottery_drawn_at).is_(None),
            col(ParticipationTier.lottery_draw_at).is_not(None),
            col(ParticipationTier.lottery_draw_at) <= now,
        )
    ).all()
    # No one acts: the audit entry has no actor (the draw time was set by an organiser).
    return [
        _draw(session, tier=locked_tier(session, tier_id), actor=VISITOR, now=now, seed=None)
        for tier_id in due
    ]
