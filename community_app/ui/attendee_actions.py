"""Blocking work for the attendee list and the self check-in page (``asyncio.to_thread``).

The actor is rebuilt from the session token in every call; the domain verbs check the
permissions and validate the arguments as they come from the client.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from community_app.db import write_session
from community_app.domain import attendees, checkin, lottery
from community_app.domain.attendees import AttendeeList
from community_app.domain.enums import EventStatus
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.models import Event
from community_app.ui.group_actions import _now, act_as, actor_for

MAX_SLUG_LENGTH = 200


def _event_id(session: Session, slug: object) -> int:
    if not isinstance(slug, str) or not slug or len(slug) > MAX_SLUG_LENGTH:
        raise NotFound("event_not_found")
    event_id = session.exec(select(Event.id).where(Event.slug == slug)).first()
    if event_id is None:
        raise NotFound("event_not_found")
    return event_id


def load_by_slug(*, token: object, slug: object) -> AttendeeList:
    now = _now()
    with write_session() as session:
        actor = actor_for(session, token, now)
        event_id = _event_id(session, slug)
        return attendees.list_attendees(session, actor=actor, event_id=event_id, now=now)


def load_by_id(*, token: object, event_id: int) -> AttendeeList:
    return act_as(token, attendees.list_attendees, event_id=event_id)


def export(*, token: object, event_id: object, locale: str) -> str:
    return act_as(token, attendees.export_csv, event_id=event_id, locale=locale)


def draw(*, token: object, tier_id: object) -> None:
    act_as(token, lottery.draw_lottery, tier_id=tier_id)


@dataclass(frozen=True)
class CheckInTarget:
    event_id: int
    title: str


def checkin_target(*, slug: object) -> CheckInTarget:
    """The published event behind a check-in page (its title is public anyway)."""
    with write_session() as session:
        event = session.get(Event, _event_id(session, slug))
        if event is None or event.status != EventStatus.APPROVED or event.published_at is None:
            raise NotFound("event_not_found")
        return CheckInTarget(event.id or 0, event.title)


def self_check_in(*, token: object, event_id: object, code: object) -> checkin.SelfCheckIn:
    """Check in; a wrong code is counted in a transaction of its own (see ``checkin``)."""
    try:
        return act_as(token, checkin.self_check_in, event_id=event_id, code=code)
    except DomainError as error:
        if error.code == "wrong_checkin_code":
            act_as(token, checkin.note_wrong_checkin_code)
        raise
