"""Calendar invitations sent by mail (iMIP, RFC 6047 / iTIP, RFC 5546).

The VEVENT is the personal feed's own (``calendar.entries_for`` + ``vevent_of``): the
same UID and SEQUENCE, the join URL under the same rule, so an invitation accepted from
the mailbox and the subscribed feed are one calendar entry, and later updates move it.
What iMIP adds: METHOD (REQUEST to add or update, CANCEL to remove), a DTSTAMP that is
the time of this message (equal SEQUENCEs are ordered by it), the site's sender address
as ORGANIZER (in the group's name) and the member as ATTENDEE (accepted, no reply
expected: replies to the sender address are not read).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Literal

from icalendar import Event as VEvent
from icalendar import vCalAddress
from sqlmodel import Session

from community_app.domain.calendar import PRODID, FeedEntry, entries_for, vevent_of, vtimezone
from community_app.domain.enums import RsvpStatus
from community_app.domain.mail import CalendarPart, MailSite
from community_app.domain.mail_render import one_line
from community_app.domain.models import Event, Group, Member

Method = Literal["REQUEST", "CANCEL"]


def invitation_entry(
    session: Session, *, event: Event, group: Group, status: RsvpStatus | None, now: datetime
) -> FeedEntry:
    """The event as the personal feed of a member with ``status`` shows it now."""
    assert event.id is not None
    attendance = {event.id: status} if status is not None else None
    return entries_for(session, [(event, group)], attendance=attendance, now=now)[0]


@lru_cache(maxsize=64)
def _vtimezone_bytes(tzid: str) -> bytes:
    zone = vtimezone(tzid)
    return bytes(zone.to_ical()) if zone is not None else b""


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{one_line(email)}")
    address.params["CN"] = one_line(name).replace('"', "'") or email
    return address


def organizer_address(site: MailSite) -> str:
    return site.from_address or f"noreply@{site.mail_domain}"


def invitation(
    entry: FeedEntry, *, member: Member, method: Method, site: MailSite, now: datetime
) -> CalendarPart:
    """The iMIP part for ``member``. A CANCEL of a still-held event (the member's own
    place ended) leaves STATUS out, as RFC 5546 §3.2.5 asks when uninviting one
    attendee; a cancelled event keeps STATUS:CANCELLED."""
    vevent: VEvent = vevent_of(entry, site_url=site.url)
    for name in ("dtstamp", "organizer"):
        vevent.pop(name)
    vevent.add("dtstamp", now)
    vevent.add("organizer", _address(organizer_address(site), entry.group_name))
    attendee = _address(member.email, member.display_name)
    attendee.params.update({"CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"})
    if method == "REQUEST":
        attendee.params["PARTSTAT"] = "ACCEPTED"
    vevent.add("attendee", attendee)
    if method == "CANCEL" and str(vevent.get("status")) != "CANCELLED":
        vevent.pop("status")
    head = (
        "BEGIN:VCALENDAR\r\n"
        f"PRODID:{PRODID}\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\nMETHOD:{method}\r\n"
    ).encode()
    body = head + _vtimezone_bytes(entry.timezone) + bytes(vevent.to_ical())
    return CalendarPart(method=method, ics=body + b"END:VCALENDAR\r\n")
