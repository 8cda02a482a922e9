"""The organisers' attendee list: per tier, who is going, waiting, pending or applied;
approving and declining pending RSVPs, removing attendees, moving them between tiers,
and the CSV export.

Everything here is for the organisers of the event's group and site admins
(``can_review_proposals``). A change that frees a seat goes through ``rsvps.release``,
so the head of that tier's waitlist is promoted in the same transaction. Check-in and
attendance live in ``checkin``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from community_app.domain import participation_mail, rsvps
from community_app.domain.audit import record_audit
from community_app.domain.enums import NotificationKind, RsvpStatus
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.mail_kinds import MailKind
from community_app.domain.models import Event, Member, ParticipationTier, Rsvp
from community_app.domain.notifications import notify
from community_app.domain.permissions import Actor, can_review_proposals, is_signed_in, require
from community_app.domain.proposals import can_view_event, locked_event
from community_app.domain.validation import as_flag, as_id
from community_app.i18n import LOCALES, translate

R = RsvpStatus
# How the rows of a tier are ordered: seated first, then the queue, then the rest.
STATUS_ORDER = (R.GOING, R.ATTENDED, R.NO_SHOW, R.WAITLISTED, R.PENDING, R.APPLIED, R.CANCELLED)
# Cells a spreadsheet would read as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # lets Excel read the file as UTF-8
CSV_COLUMNS = ("tier", "name", "status", "position", "checked_in")


@dataclass(frozen=True)
class AttendeeRow:
    rsvp_id: int
    member_id: int
    display_name: str
    status: RsvpStatus
    position: int | None  # place in the waitlist, from 1
    checked_in_at: datetime | None


@dataclass(frozen=True)
class TierAttendees:
    tier_id: int
    name: str
    name_en: str
    capacity: int | None  # None: unlimited
    seats_left: int | None  # None: unlimited
    waitlist_length: int
    lottery_undrawn: bool  # a lottery tier whose draw has not happened yet
    rows: tuple[AttendeeRow, ...]


@dataclass(frozen=True)
class AttendeeTotals:
    going: int
    waitlisted: int
    pending: int
    applied: int
    cancelled: int
    checked_in: int
    attended: int
    no_show: int


@dataclass(frozen=True)
class AttendeeList:
    event_id: int
    slug: str
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    is_over: bool
    tiers: tuple[TierAttendees, ...]
    totals: AttendeeTotals


def managed_event(session: Session, *, actor: Actor, event_id: object, lock: bool) -> Event:
    """The event, if ``actor`` may manage its attendees. Visitors are refused before any
    read; an event the actor may not even see (someone else's draft) is "not found"."""
    require(is_signed_in(actor))
    found = locked_event(session, event_id) if lock else session.get(Event, as_id(event_id))
    if found is None or found.external_calendar_id is not None:
        raise NotFound("event_not_found")
    event = found
    if not can_view_event(actor, event):  # a draft is its proposer's alone
        raise NotFound("event_not_found")
    require(can_review_proposals(actor, event.group_id))
    return event


def managed_rsvp(session: Session, *, actor: Actor, rsvp_id: object) -> tuple[Rsvp, Event]:
    """An RSVP (locked) and its event (locked), if ``actor`` may manage the event."""
    require(is_signed_in(actor))
    row = session.exec(
        select(Rsvp)
        .where(Rsvp.id == as_id(rsvp_id))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise NotFound("attendee_not_found")
    event = managed_event(session, actor=actor, event_id=row.event_id, lock=True)
    return row, event


def _tiers(session: Session, event_id: int) -> list[ParticipationTier]:
    return list(
        session.exec(
            select(ParticipationTier)
            .where(ParticipationTier.event_id == event_id)
            .order_by(col(ParticipationTier.position), col(ParticipationTier.id))
        ).all()
    )


def _rows_by_tier(session: Session, event_id: int) -> dict[int, list[tuple[Rsvp, str]]]:
    """Every RSVP of the event with its member's name, per tier, in one query, each
    tier's rows in waitlist order (drawn order, then arrival: as ``rsvps.waitlist``)."""
    rows = session.exec(
        select(Rsvp, Member.display_name)
        .join(Member, col(Member.id) == col(Rsvp.member_id))
        .where(Rsvp.event_id == event_id)
        .order_by(*rsvps.WAITLIST_ORDER)
    ).all()
    by_tier: dict[int, list[tuple[Rsvp, str]]] = {}
    for rsvp, name in rows:
        by_tier.setdefault(rsvp.tier_id, []).append((rsvp, name))
    return by_tier


def _tier_attendees(tier: ParticipationTier, rows: list[tuple[Rsvp, str]]) -> TierAttendees:
    assert tier.id is not None
    queue = [rsvp.id for rsvp, _ in rows if rsvp.status == R.WAITLISTED]
    positions = {rsvp_id: place for place, rsvp_id in enumerate(queue, start=1)}
    views = [
        AttendeeRow(
            rsvp_id=rsvp.id or 0,
            member_id=rsvp.member_id,
            display_name=name,
            status=rsvp.status,
            position=positions.get(rsvp.id),
            checked_in_at=rsvp.checked_in_at,
        )
        for rsvp, name in rows
    ]
    views.sort(key=lambda r: (STATUS_ORDER.index(r.status), r.position or 0, r.display_name))
    seated = sum(1 for r in views if r.status in rsvps.SEATED)
    return TierAttendees(
        tier_id=tier.id,
        name=tier.name,
        name_en=tier.name_en or tier.name,
        capacity=tier.capacity,
        seats_left=None if tier.capacity is None else max(0, tier.capacity - seated),
        waitlist_length=len(queue),
        lottery_undrawn=rsvps.is_lottery_open(tier),
        rows=tuple(views),
    )


def _totals(tiers: list[TierAttendees]) -> AttendeeTotals:
    rows = [row for tier in tiers for row in tier.rows]

    def count(status: RsvpStatus) -> int:
        return sum(1 for row in rows if row.status == status)

    return AttendeeTotals(
        going=count(R.GOING),
        waitlisted=count(R.WAITLISTED),
        pending=count(R.PENDING),
        applied=count(R.APPLIED),
        cancelled=count(R.CANCELLED),
        checked_in=sum(1 for row in rows if row.checked_in_at is not None),
        attended=count(R.ATTENDED),
        no_show=count(R.NO_SHOW),
    )


def list_attendees(
    session: Session, *, actor: Actor, event_id: object, now: datetime
) -> AttendeeList:
    """Every RSVP of the event, tier by tier, with the counts organisers need."""
    event = managed_event(session, actor=actor, event_id=event_id, lock=False)
    assert event.id is not None
    rows = _rows_by_tier(session, event.id)  # three queries, whatever the number of tiers
    tiers = [
        _tier_attendees(tier, rows.get(tier.id or 0, [])) for tier in _tiers(session, event.id)
    ]
    return AttendeeList(
        event_id=event.id,
        slug=event.slug,
        title=event.title,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        timezone=event.timezone,
        is_over=event.ends_at <= now,
        tiers=tuple(tiers),
        totals=_totals(tiers),
    )


def _refuse_after_the_event(event: Event, now: datetime) -> None:
    if event.ends_at <= now:
        raise DomainError("attendee_event_over")


def _tell(
    session: Session, *, event: Event, member_id: int, ja: str, en: str, now: datetime
) -> None:
    notify(
        session,
        member_ids=[member_id],
        kind=NotificationKind.RSVP_DECIDED,
        event_id=event.id,
        message_ja=ja,
        message_en=en,
        now=now,
    )


def _audit(session: Session, *, actor: Actor, action: str, rsvp: Rsvp, now: datetime) -> None:
    detail = f"event={rsvp.event_id} tier={rsvp.tier_id} status={rsvp.status.value}"
    record_audit(
        session,
        actor=actor,
        action=action,
        target_type="rsvp",
        target_id=rsvp.id,
        detail=detail,
        now=now,
    )


def decide_pending(
    session: Session, *, actor: Actor, rsvp_id: object, approve: object, now: datetime
) -> RsvpStatus:
    """Approve a pending RSVP (going if a seat is free and nobody waits, else the
    waitlist, in arrival order) or decline it (cancelled). The member is told."""
    rsvp, event = managed_rsvp(session, actor=actor, rsvp_id=rsvp_id)
    approve = as_flag(approve)
    _refuse_after_the_event(event, now)
    if rsvp.status != R.PENDING:
        raise DomainError("attendee_not_pending")
    tier = rsvps.locked_tier(session, rsvp.tier_id)
    if approve:
        free = rsvps.has_free_seat(tier, rsvps.seated_count(session, rsvp.tier_id))
        nobody_waits = not rsvps.waitlist(session, rsvp.tier_id)
        rsvp.status = R.GOING if free and nobody_waits else R.WAITLISTED
        rsvp.updated_at = now
        session.add(rsvp)
        session.flush()
        en = "going" if rsvp.status == R.GOING else "on the waitlist"
        ja = "参加が確定しました" if rsvp.status == R.GOING else "キャンセル待ちになりました"
        _tell(
            session,
            event=event,
            member_id=rsvp.member_id,
            ja=f"「{event.title}」への参加が承認され、{ja}。",
            en=f"Your RSVP to “{event.title}” was approved: you are {en}.",
            now=now,
        )
        participation_mail.mail_rsvp_change(
            session,
            kind=MailKind.RSVP_APPROVED,
            rsvp=rsvp,
            was_seated=False,
            position=rsvps.waitlist_position(session, rsvp),
            now=now,
        )
    else:
        rsvps.release(session, rsvp=rsvp, now=now)
        _tell(
            session,
            event=event,
            member_id=rsvp.member_id,
            ja=f"「{event.title}」への参加申し込みは承認されませんでした。",
            en=f"Your RSVP to “{event.title}” was declined.",
            now=now,
        )
        participation_mail.mail_rsvp_change(
            session, kind=MailKind.RSVP_DECLINED, rsvp=rsvp, was_seated=False, now=now
        )
    action = "approve_rsvp" if approve else "decline_rsvp"
    _audit(session, actor=actor, action=action, rsvp=rsvp, now=now)
    return rsvp.status


def remove_attendee(session: Session, *, actor: Actor, rsvp_id: object, now: datetime) -> None:
    """Take a member off the event (their RSVP becomes cancelled); a seat they held goes
    to the head of the tier's waitlist in the same transaction. The member is told."""
    rsvp, event = managed_rsvp(session, actor=actor, rsvp_id=rsvp_id)
    _refuse_after_the_event(event, now)
    if rsvp.status not in (R.GOING, R.WAITLISTED, R.PENDING, R.APPLIED):
        raise DomainError("attendee_not_active")
    was_seated = rsvp.status in rsvps.SEATED
    rsvps.release(session, rsvp=rsvp, now=now)
    participation_mail.mail_rsvp_change(
        session, kind=MailKind.RSVP_REMOVED, rsvp=rsvp, was_seated=was_seated, now=now
    )
    _tell(
        session,
        event=event,
        member_id=rsvp.member_id,
        ja=f"世話人が「{event.title}」の参加申し込みを取り消しました。",
        en=f"An organiser removed your RSVP to “{event.title}”.",
        now=now,
    )
    _audit(session, actor=actor, action="remove_attendee", rsvp=rsvp, now=now)


def move_attendee(
    session: Session, *, actor: Actor, rsvp_id: object, tier_id: object, now: datetime
) -> RsvpStatus:
    """Move an RSVP to another tier of the same event. The old seat is released (and
    promoted from its waitlist); in the new tier the member is going if a seat is free
    and nobody waits, else at the back of its waitlist — or an applicant, when the new
    tier is a lottery not drawn yet. The member is told."""
    rsvp, event = managed_rsvp(session, actor=actor, rsvp_id=rsvp_id)
    target_id = as_id(tier_id)
    _refuse_after_the_event(event, now)
    if rsvp.status not in (R.GOING, R.WAITLISTED, R.PENDING, R.APPLIED):
        raise DomainError("attendee_not_active")
    target = session.get(ParticipationTier, target_id)
    if target is None or target.event_id != event.id:
        raise NotFound("attendee_tier_not_found")
    if target_id == rsvp.tier_id:
        return rsvp.status
    for locked in sorted((rsvp.tier_id, target_id)):  # one order: no deadlock between moves
        rsvps.locked_tier(session, locked)
    target = rsvps.locked_tier(session, target_id)
    was_seated = rsvp.status in rsvps.SEATED
    rsvps.release(session, rsvp=rsvp, now=now)
    rsvp.status = _arrival(session, target)
    rsvp.tier_id, rsvp.queued_at, rsvp.updated_at = target_id, now, now
    if rsvp.status != R.GOING:
        rsvp.checked_in_at = None
    session.add(rsvp)
    session.flush()
    _tell(
        session,
        event=event,
        member_id=rsvp.member_id,
        ja=f"世話人が「{event.title}」の参加枠を「{target.name}」に変更しました。",
        en=f"An organiser moved your RSVP to “{event.title}” to “{target.name_en or target.name}”.",
        now=now,
    )
    participation_mail.mail_rsvp_change(
        session,
        kind=MailKind.RSVP_MOVED,
        rsvp=rsvp,
        was_seated=was_seated,
        position=rsvps.waitlist_position(session, rsvp),
        now=now,
    )
    _audit(session, actor=actor, action="move_attendee", rsvp=rsvp, now=now)
    return rsvp.status


def _arrival(session: Session, tier: ParticipationTier) -> RsvpStatus:
    assert tier.id is not None
    if rsvps.is_lottery_open(tier):
        return R.APPLIED
    nobody_waits = not rsvps.waitlist(session, tier.id)
    seat = rsvps.has_free_seat(tier, rsvps.seated_count(session, tier.id))
    return R.GOING if nobody_waits and seat else R.WAITLISTED


def safe_cell(value: object) -> str:
    """A CSV cell no spreadsheet runs as a formula: text starting with = + - @ TAB or CR
    gets a leading single quote (OWASP CSV injection guidance)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_csv(
    session: Session, *, actor: Actor, event_id: object, locale: object = "ja", now: datetime
) -> str:
    """The attendee list as CSV text (UTF-8 with a BOM for Excel): tier, name, status,
    waitlist position, check-in time in the event's time zone. Audited."""
    listing = list_attendees(session, actor=actor, event_id=event_id, now=now)
    if not isinstance(locale, str) or locale not in LOCALES:
        raise DomainError("invalid_locale")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([translate(f"attendees.csv.{c}", locale) for c in CSV_COLUMNS])
    for tier in listing.tiers:
        tier_name = tier.name_en if locale == "en" else tier.name
        for row in tier.rows:
            checked = row.checked_in_at
            writer.writerow(
                safe_cell(cell)
                for cell in (
                    tier_name,
                    row.display_name,
                    translate(f"attendees.status.{row.status.value}", locale),
                    row.position or "",
                    _local_time(checked, listing.timezone) if checked else "",
                )
            )
    record_audit(
        session,
        actor=actor,
        action="export_attendees",
        target_type="event",
        target_id=listing.event_id,
        detail=f"rows={sum(len(t.rows) for t in listing.tiers)}",
        now=now,
    )
    return BOM + buffer.getvalue()


def _local_time(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")
