"""Telling people about what happened to an event: in-app notifications now, group
webhooks through the outbox. Called by the verbs, inside their transaction, so a
notice exists exactly when the change it reports was committed."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from community_app.domain import ideas, webhooks
from community_app.domain.enums import (
    EventStatus,
    GroupRole,
    MembershipStatus,
    NotificationKind,
    RsvpStatus,
    WebhookAction,
)
from community_app.domain.models import Event, Membership, Notification, Rsvp
from community_app.domain.notifications import notify
from community_app.domain.permissions import Actor

# People with a place at the event, who must hear about changes to it.
CONCERNED_RSVPS = (RsvpStatus.GOING, RsvpStatus.WAITLISTED, RsvpStatus.PENDING)
S = EventStatus
# Submissions by one member to one group within this time, while the organiser has not
# read the notice yet, make one notice.
SUBMISSION_BURST = timedelta(hours=1)


def _members_with(session: Session, event_id: int, statuses: tuple[RsvpStatus, ...]) -> list[int]:
    return list(
        session.exec(
            select(Rsvp.member_id).where(Rsvp.event_id == event_id, col(Rsvp.status).in_(statuses))
        ).all()
    )


def concerned_member_ids(session: Session, event_id: int) -> list[int]:
    """Members going, waitlisted or awaiting approval for the event."""
    return _members_with(session, event_id, CONCERNED_RSVPS)


def attendee_ids(session: Session, event_id: int) -> list[int]:
    """Members who were going (or checked in): the people a recap is for."""
    return _members_with(session, event_id, (RsvpStatus.GOING, RsvpStatus.ATTENDED))


def reviewer_ids(session: Session, group_id: int) -> list[int]:
    """The group's active organisers."""
    return list(
        session.exec(
            select(Membership.member_id).where(
                Membership.group_id == group_id,
                Membership.role == GroupRole.ORGANISER,
                Membership.status == MembershipStatus.ACTIVE,
            )
        ).all()
    )


_DECISIONS: dict[EventStatus, tuple[str, str]] = {
    S.APPROVED: (
        "提案「{title}」が承認され、公開されました。",
        "Your proposal “{title}” was approved and published.",
    ),
    S.REJECTED: (
        "提案「{title}」は見送りになりました。理由: {reason}",
        "Your proposal “{title}” was declined. Reason: {reason}",
    ),
    S.CHANGES_REQUESTED: (
        "提案「{title}」に修正のお願いが届きました: {reason}",
        "Changes were requested on your proposal “{title}”: {reason}",
    ),
}


def announce_status(
    session: Session, *, actor: Actor, event: Event, origin: EventStatus, now: datetime
) -> None:
    """Notices for a status change from ``origin`` to ``event.status``."""
    to, values = event.status, {"title": event.title, "reason": event.status_reason}
    if to == S.SUBMITTED:
        _announce_submission(session, actor=actor, event=event, origin=origin, now=now)
    elif to in _DECISIONS and event.proposer_id is not None:
        ja, en = _DECISIONS[to]
        notify(
            session,
            member_ids=[event.proposer_id],
            kind=NotificationKind.PROPOSAL_DECIDED,
            event_id=event.id,
            message_ja=ja.format(**values),
            message_en=en.format(**values),
            except_member_id=actor.member_id,
            now=now,
        )
    if to == S.CANCELLED:
        notify(
            session,
            member_ids=concerned_member_ids(session, event.id or 0),
            kind=NotificationKind.EVENT_CANCELLED,
            event_id=event.id,
            message_ja=f"「{event.title}」は中止になりました。理由: {event.status_reason}",
            message_en=f"“{event.title}” was cancelled. Reason: {event.status_reason}",
            except_member_id=actor.member_id,
            now=now,
        )
    if to in (S.APPROVED, S.CANCELLED):
        ideas.on_event_status(session, actor=actor, event=event, now=now)
        action = WebhookAction.PUBLISHED if to == S.APPROVED else WebhookAction.CANCELLED
        webhooks.queue_event_webhooks(session, event_id=event.id or 0, action=action, now=now)


def _burst_notices(
    session: Session, *, actor: Actor, event: Event, reviewers: set[int], now: datetime
) -> dict[int, Notification]:
    """Each reviewer's unread notice of a submission by the same member to the same
    group within SUBMISSION_BURST: the one a further submission is folded into."""
    rows = session.exec(
        select(Notification)
        .join(Event, col(Event.id) == col(Notification.event_id))
        .where(
            Notification.kind == NotificationKind.PROPOSAL_SUBMITTED,
            col(Notification.member_id).in_(reviewers),
            col(Notification.read_at).is_(None),
            col(Notification.created_at) > now - SUBMISSION_BURST,
            col(Event.proposer_id) == actor.member_id,
            col(Event.group_id) == event.group_id,
        )
        .order_by(col(Notification.created_at))
    ).all()
    return {row.member_id: row for row in rows}


def _announce_submission(
    session: Session, *, actor: Actor, event: Event, origin: EventStatus, now: datetime
) -> None:
    """Tell the group's organisers; a burst of submissions from one member reaches each
    organiser as one notice that counts them ("5 new proposals, the latest “X”")."""
    reviewers = set(reviewer_ids(session, event.group_id)) - {actor.member_id}
    burst = _burst_notices(session, actor=actor, event=event, reviewers=reviewers, now=now)
    for notice in burst.values():
        waiting = session.exec(
            select(func.count())
            .select_from(Event)
            .where(
                col(Event.proposer_id) == actor.member_id,
                col(Event.group_id) == event.group_id,
                col(Event.status) == S.SUBMITTED,
                col(Event.updated_at) >= notice.created_at,
            )
        ).one()
        notice.event_id = event.id
        notice.message = f"提案が{waiting}件届きました(最新:「{event.title}」)。"
        notice.message_en = f"{waiting} event proposals arrived, the latest “{event.title}”."
        session.add(notice)
    again = origin == S.CHANGES_REQUESTED
    notify(
        session,
        member_ids=reviewers - set(burst),
        kind=NotificationKind.PROPOSAL_SUBMITTED,
        event_id=event.id,
        message_ja=f"{'修正された' if again else '新しい'}提案「{event.title}」が届きました。",
        message_en=f"{'Revised' if again else 'New'} event proposal: “{event.title}”.",
        now=now,
    )


def announce_change(
    session: Session, *, actor: Actor, event: Event, changed: tuple[str, ...], now: datetime
) -> int:
    """Notices for a material change of a published event; returns how many members
    were notified."""
    what_ja = "・".join(_CHANGED_JA.get(name, name) for name in changed)
    what_en = ", ".join(_CHANGED_EN.get(name, name) for name in changed)
    count = notify(
        session,
        member_ids=concerned_member_ids(session, event.id or 0),
        kind=NotificationKind.EVENT_CHANGED,
        event_id=event.id,
        message_ja=f"「{event.title}」の{what_ja}が変更されました。",
        message_en=f"“{event.title}” changed: {what_en}.",
        except_member_id=actor.member_id,
        now=now,
    )
    webhooks.queue_event_webhooks(
        session, event_id=event.id or 0, action=WebhookAction.CHANGED, now=now
    )
    return count


def announce_recap(session: Session, *, actor: Actor, event: Event, now: datetime) -> int:
    return notify(
        session,
        member_ids=attendee_ids(session, event.id or 0),
        kind=NotificationKind.EVENT_RECAP,
        event_id=event.id,
        message_ja=f"「{event.title}」の開催レポートが公開されました。",
        message_en=f"The recap of “{event.title}” is online.",
        except_member_id=actor.member_id,
        now=now,
    )


_CHANGED_JA = {
    "starts_at": "開始時刻",
    "ends_at": "終了時刻",
    "timezone": "タイムゾーン",
    "format": "開催形式",
    "venue_name": "会場",
    "venue_address": "会場住所",
    "online_platform": "オンラインの参加方法",
    "join_url": "参加URL",
}
_CHANGED_EN = {
    "starts_at": "start time",
    "ends_at": "end time",
    "timezone": "time zone",
    "format": "format",
    "venue_name": "venue",
    "venue_address": "venue address",
    "online_platform": "how to join online",
    "join_url": "join link",
}
