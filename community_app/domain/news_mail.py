"""Mails about events and proposals as a whole: a material change or the cancellation of
an event (to every member with a place), a decision on a proposal (to its proposer),
and an idea that became a published event (to its supporters and joiners). Written
through ``participation_mail.mail_about_event``, next to the verbs' notifications."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

from community_app.domain.enums import EventStatus, RsvpStatus
from community_app.domain.join_links import HOLDS_A_SEAT
from community_app.domain.mail_kinds import MailKind
from community_app.domain.models import Event, ProjectIdea
from community_app.domain.participation_mail import Invitation, Recipient, mail_about_event


def mail_event_news(
    session: Session,
    *,
    event: Event,
    kind: MailKind,
    rsvps: Iterable[tuple[int, RsvpStatus]],
    now: datetime,
    facts: Mapping[str, Any] | None = None,
    except_member_id: int | None = None,
) -> int:
    """An event changed materially, or was cancelled: every member with a place hears
    it; those going get the updated invitation (or its CANCEL)."""
    method: Invitation = "CANCEL" if event.status == EventStatus.CANCELLED else "REQUEST"
    recipients = [
        Recipient(member_id, status, method if status in HOLDS_A_SEAT else "")
        for member_id, status in rsvps
    ]
    return mail_about_event(
        session,
        event=event,
        kind=kind,
        recipients=recipients,
        now=now,
        facts=facts,
        except_member_id=except_member_id,
    )


def mail_proposal_decided(session: Session, *, event: Event, member_id: int, now: datetime) -> int:
    """The proposer hears the decision on their proposal, with the reason."""
    recipient = Recipient(member_id, facts={"decision": event.status.value})
    return mail_about_event(
        session, event=event, kind=MailKind.PROPOSAL_DECIDED, recipients=[recipient], now=now
    )


def mail_idea_scheduled(
    session: Session,
    *,
    idea: ProjectIdea,
    event: Event,
    member_ids: Iterable[int],
    now: datetime,
    except_member_id: int | None = None,
) -> int:
    """Supporters and joiners of ``idea`` hear that it became a published event."""
    facts = {"idea_title": idea.title}
    recipients = [Recipient(member_id, facts=facts) for member_id in member_ids if member_id]
    return mail_about_event(
        session,
        event=event,
        kind=MailKind.IDEA_SCHEDULED,
        recipients=recipients,
        now=now,
        except_member_id=except_member_id,
    )
