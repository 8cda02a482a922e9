"""When a member may be given an event's online join URL: the one rule behind the
event page, the personal feed and the mails (confirmations and calendar invitations).

A member who is going gets it once it is revealed (``join_url_reveal_minutes`` before
the start, or at once when that is unset); nobody else does (organisers see it on the
page by their role, in ``participation.can_see_join_url``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from community_app.domain.enums import EventStatus, RsvpStatus
from community_app.domain.models import Event

# Statuses that hold a seat: after the event, going becomes attended or no-show.
HOLDS_A_SEAT = (RsvpStatus.GOING, RsvpStatus.ATTENDED, RsvpStatus.NO_SHOW)


def is_join_url_revealed(event: Event, now: datetime) -> bool:
    minutes = event.join_url_reveal_minutes
    return minutes is None or now >= event.starts_at - timedelta(minutes=minutes)


def attendee_join_url(event: Event, status: RsvpStatus | None, now: datetime) -> str:
    """The join URL for a member whose RSVP to ``event`` has ``status``, or "" when they
    may not have it now (not going, the event not published or cancelled, too early)."""
    if status not in HOLDS_A_SEAT or event.status != EventStatus.APPROVED:
        return ""
    return event.join_url if is_join_url_revealed(event, now) else ""
