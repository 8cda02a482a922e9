"""Mails about taking part, written by the verbs that decide it, in their transaction:
RSVP outcomes, promotions, approvals, lottery results, cancellations, changes of an
event the member has a place in, decisions on proposals and ideas that became events.

Every mail here goes next to the in-app notification the verb already writes (the bell
keeps working for members who turned a category off). Mails that give or change a
place carry a calendar invitation (``invitations``, method REQUEST); mails that take a
place away, or cancel the event, carry a CANCEL. The join URL is in a mail only under
``join_links.attendee_join_url``, the rule of the page and the personal feed.

One change that mails many members costs a fixed number of queries (the members and
their preferences come in one query), not one per member.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlmodel import Session

from community_app.domain.enums import EventStatus, RsvpStatus
from community_app.domain.join_links import HOLDS_A_SEAT, attendee_join_url
from community_app.domain.mail import (
    MailSite,
    current_site,
    enqueue_mail,
    load_recipients,
    may_receive,
)
from community_app.domain.mail_kinds import MailKind, category_of
from community_app.domain.models import Event, Group, ParticipationTier, Rsvp

R = RsvpStatus
Invitation = Literal["REQUEST", "CANCEL", ""]
OUTCOME_KINDS = {
    R.GOING: MailKind.RSVP_GOING,
    R.WAITLISTED: MailKind.RSVP_WAITLISTED,
    R.PENDING: MailKind.RSVP_PENDING,
    R.APPLIED: MailKind.RSVP_APPLIED,
}


@dataclass(frozen=True)
class Recipient:
    member_id: int
    status: RsvpStatus | None = None  # their RSVP now: decides the join URL
    invitation: Invitation = ""
    facts: Mapping[str, Any] = field(default_factory=dict)  # this member's own facts


def invitation_for(*, was_seated: bool, status: RsvpStatus) -> Invitation:
    """REQUEST when the member holds a seat now (added, or updated in place); CANCEL when
    they held one and no longer do; nothing for the queues (no calendar entry yet)."""
    if status in HOLDS_A_SEAT:
        return "REQUEST"
    return "CANCEL" if was_seated else ""


def _tier_facts(tier: ParticipationTier | None) -> dict[str, Any]:
    if tier is None:
        return {"tier_name": "", "tier_name_en": "", "lottery_draw_at": None}
    return {
        "tier_name": tier.name,
        "tier_name_en": tier.name_en or tier.name,
        "lottery_draw_at": tier.lottery_draw_at,
    }


def _event_facts(event: Event, group: Group, site: MailSite) -> dict[str, Any]:
    # Imported here: calendar → events → participation → rsvps → this module.
    from community_app.domain.calendar import event_url, location_of

    return {
        "event_title": event.title,
        "event_url": event_url(site.url, event.slug),
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "timezone": event.timezone,
        "location": location_of(event),
        "group_name": group.name,
        "group_name_en": group.name_en or group.name,
        "reason": event.status_reason,
    }


def _join_facts(event: Event, status: RsvpStatus | None, now: datetime) -> dict[str, Any]:
    """The join URL (when this member may have it now), else when it will show on the
    event page for a member who is going."""
    join_url = attendee_join_url(event, status, now)
    later = None
    minutes = event.join_url_reveal_minutes
    seated = status in HOLDS_A_SEAT and event.status == EventStatus.APPROVED
    if seated and event.join_url and not join_url and minutes is not None:
        later = event.starts_at - timedelta(minutes=minutes)
    return {
        "join_url": join_url,
        "online_platform": event.online_platform if join_url else "",
        "join_url_from": later,
    }


def mail_about_event(
    session: Session,
    *,
    event: Event,
    kind: MailKind,
    recipients: Iterable[Recipient],
    now: datetime,
    tier: ParticipationTier | None = None,
    facts: Mapping[str, Any] | None = None,
    except_member_id: int | None = None,
) -> int:
    """Queue ``kind`` about ``event`` for each recipient (each with its own join URL and
    invitation); returns how many mails were queued."""
    from community_app.domain.invitations import invitation, invitation_entry

    chosen = [r for r in recipients if r.member_id != except_member_id]
    members, opted_out = load_recipients(
        session, member_ids=[r.member_id for r in chosen], kind=kind
    )
    group = session.get(Group, event.group_id)
    if not members or group is None:
        return 0
    site = current_site()
    base = {**_event_facts(event, group, site), **_tier_facts(tier), **(facts or {})}
    entries: dict[RsvpStatus | None, Any] = {}
    queued = 0
    for recipient in chosen:
        member = members.get(recipient.member_id)
        if member is None or not may_receive(
            session, member, category_of(kind), opted_out=opted_out
        ):
            continue
        calendar = None
        if recipient.invitation:
            status = recipient.status if recipient.invitation == "REQUEST" else None
            if status not in entries:
                entries[status] = invitation_entry(
                    session, event=event, group=group, status=status, now=now
                )
            calendar = invitation(
                entries[status], member=member, method=recipient.invitation, site=site, now=now
            )
        context = {
            **base,
            **_join_facts(event, recipient.status, now),
            **recipient.facts,
            "invitation": recipient.invitation,
        }
        row = enqueue_mail(
            session,
            member=member,
            kind=kind,
            context=context,
            now=now,
            calendar=calendar,
            site=site,
            opted_out=opted_out,
        )
        queued += row is not None
    return queued


def mail_rsvp_change(
    session: Session,
    *,
    kind: MailKind,
    rsvp: Rsvp,
    was_seated: bool,
    now: datetime,
    position: int | None = None,
    facts: Mapping[str, Any] | None = None,
) -> int:
    """One member's RSVP changed (their own RSVP or cancellation, an organiser's
    decision): ``kind`` about it, with the invitation the change calls for."""
    event = session.get(Event, rsvp.event_id)
    tier = session.get(ParticipationTier, rsvp.tier_id)
    if event is None:
        return 0
    recipient = Recipient(
        member_id=rsvp.member_id,
        status=rsvp.status,
        invitation=invitation_for(was_seated=was_seated, status=rsvp.status),
        facts={"position": position, "status": rsvp.status.value, **(facts or {})},
    )
    return mail_about_event(
        session, event=event, kind=kind, recipients=[recipient], now=now, tier=tier
    )


def mail_rsvp_outcome(
    session: Session, *, rsvp: Rsvp, was_seated: bool, position: int | None, now: datetime
) -> int:
    """The member's own RSVP landed (going, waitlisted, pending, applied)."""
    kind = OUTCOME_KINDS.get(rsvp.status)
    if kind is None:
        return 0
    return mail_rsvp_change(
        session, kind=kind, rsvp=rsvp, was_seated=was_seated, now=now, position=position
    )


def mail_seats_given(
    session: Session,
    *,
    tier: ParticipationTier,
    kind: MailKind,
    member_ids: Iterable[int],
    now: datetime,
) -> int:
    """Members who got a seat of ``tier`` (promoted, lottery winners): an invitation."""
    event = session.get(Event, tier.event_id)
    if event is None:
        return 0
    recipients = [Recipient(m, R.GOING, "REQUEST") for m in member_ids]
    return mail_about_event(
        session, event=event, kind=kind, recipients=recipients, now=now, tier=tier
    )


def mail_lottery_waitlisted(
    session: Session, *, tier: ParticipationTier, places: Iterable[tuple[int, int]], now: datetime
) -> int:
    """Lottery applicants who were not drawn for a seat, with their waitlist places."""
    event = session.get(Event, tier.event_id)
    if event is None:
        return 0
    recipients = [Recipient(m, R.WAITLISTED, "", {"position": p}) for m, p in places]
    return mail_about_event(
        session, event=event, kind=MailKind.LOTTERY_LOST, recipients=recipients, now=now, tier=tier
    )


def mail_series_joined(
    session: Session,
    *,
    member_id: int,
    outcomes: list[tuple[Event, Any]],
    skipped: int,
    now: datetime,
) -> int:
    """One mail for a "join every occurrence": each date with where the member landed
    (an invitation per date would be one mail per week; the personal feed carries them
    all). ``outcomes`` pairs each joined occurrence with its ``RsvpOutcome``."""
    if not outcomes:
        return 0
    from community_app.domain.calendar import event_url

    site = current_site()
    dates = [
        {
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "timezone": event.timezone,
            "status": outcome.status.value,
            "position": outcome.position,
            "url": event_url(site.url, event.slug),
        }
        for event, outcome in outcomes
    ]
    facts = {"dates": dates, "skipped": skipped, "feed_url": f"{site.url}/account"}
    return mail_about_event(
        session,
        event=outcomes[0][0],
        kind=MailKind.SERIES_JOINED,
        recipients=[Recipient(member_id, facts=facts)],
        now=now,
    )
