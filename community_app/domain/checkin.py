"""Check-in at the event: organisers tick people off, or members type the short code
shown at the venue or read out in the online meeting; afterwards the organisers close
the attendance (going and checked in: attended; going without: no-show).

Wrong self check-in codes are rate-limited like log-ins (``rate_limits``): the code has
only 32⁶ values. As there, a refused attempt must still be counted, and a DomainError
rolls its transaction back, so the UI notes a wrong code in a transaction of its own::

    self_check_in(...)                         # raises "wrong_checkin_code"
    on "wrong_checkin_code": note_wrong_checkin_code(...)
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from community_app.domain import rate_limits
from community_app.domain.attendees import managed_event, managed_rsvp
from community_app.domain.audit import record_audit
from community_app.domain.enums import EventStatus, RsvpStatus
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.models import Event, Rsvp
from community_app.domain.permissions import Actor, is_signed_in, require
from community_app.domain.rsvps import find_rsvp
from community_app.domain.validation import as_flag, as_id, as_text

R = RsvpStatus
# No look-alikes: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# Members may check themselves in from this long before the start until the end.
SELF_CHECKIN_OPENS = timedelta(hours=1)
WRONG_CODE_LIMIT = 10  # per member, in rate_limits.WINDOW


@dataclass(frozen=True)
class AttendanceCounts:
    attended: int
    no_show: int


@dataclass(frozen=True)
class SelfCheckIn:
    event_title: str
    checked_in_at: datetime


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def checkin_code(session: Session, *, actor: Actor, event_id: object, now: datetime) -> str:
    """The event's self check-in code, created on first use (and audited then)."""
    event = managed_event(session, actor=actor, event_id=event_id, lock=True)
    if not event.checkin_code:
        event.checkin_code, event.updated_at = new_code(), now
        session.add(event)
        record_audit(
            session,
            actor=actor,
            action="create_checkin_code",
            target_type="event",
            target_id=event.id,
            now=now,
        )
        session.flush()
    return event.checkin_code


def set_checked_in(
    session: Session, *, actor: Actor, rsvp_id: object, checked_in: object, now: datetime
) -> datetime | None:
    """The organisers' toggle. Only a member with a seat can be checked in; after the
    attendance is closed the toggle also turns no-show into attended and back."""
    rsvp, _event = managed_rsvp(session, actor=actor, rsvp_id=rsvp_id)
    checked_in = as_flag(checked_in)
    if rsvp.status not in (R.GOING, R.ATTENDED, R.NO_SHOW):
        raise DomainError("attendee_not_going")
    if checked_in and rsvp.checked_in_at is None:
        rsvp.checked_in_at = now
    elif not checked_in:
        rsvp.checked_in_at = None
    if rsvp.status != R.GOING:
        rsvp.status = R.ATTENDED if checked_in else R.NO_SHOW
    rsvp.updated_at = now
    session.add(rsvp)
    record_audit(
        session,
        actor=actor,
        action="check_in" if checked_in else "undo_check_in",
        target_type="rsvp",
        target_id=rsvp.id,
        detail=f"event={rsvp.event_id}",
        now=now,
    )
    session.flush()
    return rsvp.checked_in_at


def _checkin_keys(actor: Actor) -> list[str]:
    return [f"checkin:member:{actor.member_id}"]


def normalise_code(value: object) -> str:
    """What the member typed, without spaces or hyphens, in capitals."""
    text = as_text(value, code="invalid_checkin_code", max_length=32, required=True)
    return text.replace(" ", "").replace("-", "").replace("\u3000", "").upper()


def self_check_in(
    session: Session, *, actor: Actor, event_id: object, code: object, now: datetime
) -> SelfCheckIn:
    """A member who is going checks themselves in with the event's code, from an hour
    before the start until the end. Too many wrong codes lock them out for a while."""
    require(is_signed_in(actor))
    assert actor.member_id is not None
    rate_limits.check_allowed(
        session, keys_and_limits=[(k, WRONG_CODE_LIMIT) for k in _checkin_keys(actor)], now=now
    )
    typed = normalise_code(code)
    event = session.get(Event, as_id(event_id))
    if event is None or event.status != EventStatus.APPROVED or event.published_at is None:
        raise NotFound("event_not_found")
    rsvp = find_rsvp(session, event_id=event.id or 0, member_id=actor.member_id)
    if rsvp is None or rsvp.status != R.GOING:
        raise DomainError("checkin_not_going")
    if now < event.starts_at - SELF_CHECKIN_OPENS:
        raise DomainError("checkin_not_open_yet")
    if now >= event.ends_at:
        raise DomainError("checkin_closed")
    expected = event.checkin_code.encode()
    if not expected or not hmac.compare_digest(typed.encode(), expected):
        raise DomainError("wrong_checkin_code")
    if rsvp.checked_in_at is None:
        rsvp.checked_in_at, rsvp.updated_at = now, now
        session.add(rsvp)
        record_audit(
            session,
            actor=actor,
            action="self_check_in",
            target_type="rsvp",
            target_id=rsvp.id,
            detail=f"event={rsvp.event_id}",
            now=now,
        )
        session.flush()
    return SelfCheckIn(event.title, rsvp.checked_in_at)


def note_wrong_checkin_code(session: Session, *, actor: Actor, now: datetime) -> None:
    """Count a wrong code against the member (in its own transaction, see above)."""
    require(is_signed_in(actor))
    rate_limits.record_attempt(session, keys=_checkin_keys(actor), now=now)


def close_attendance(
    session: Session, *, actor: Actor, event_id: object, now: datetime
) -> AttendanceCounts:
    """After the end: going and checked in becomes attended, going without becomes
    no-show. Closing again (after late ticks) recounts; the counts cover everyone."""
    event = managed_event(session, actor=actor, event_id=event_id, lock=True)
    if event.ends_at > now:
        raise DomainError("event_not_over")
    seated = session.exec(
        select(Rsvp).where(
            Rsvp.event_id == event.id,
            col(Rsvp.status).in_((R.GOING, R.ATTENDED, R.NO_SHOW)),
        )
    ).all()
    for rsvp in seated:
        status = R.ATTENDED if rsvp.checked_in_at is not None else R.NO_SHOW
        if rsvp.status != status:
            rsvp.status, rsvp.updated_at = status, now
            session.add(rsvp)
    counts = AttendanceCounts(
        attended=sum(1 for r in seated if r.status == R.ATTENDED),
        no_show=sum(1 for r in seated if r.status == R.NO_SHOW),
    )
    record_audit(
        session,
        actor=actor,
        action="close_attendance",
        target_type="event",
        target_id=event.id,
        detail=f"attended={counts.attended} no_show={counts.no_show}",
        now=now,
    )
    session.flush()
    return counts
