"""In-app notifications: written by the verbs whose decisions concern a member, and
read (and marked read) by that member alone in the inbox."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from community_app.domain.enums import EventStatus, NotificationKind
from community_app.domain.errors import NotFound
from community_app.domain.models import Event, Notification, ProjectIdea
from community_app.domain.permissions import Actor, is_signed_in, require
from community_app.domain.validation import as_id, as_whole_number

MAX_PAGE_SIZE = 100

# Where a notification leads, by kind; kinds not listed lead to their event's page
# (when the event is public) or nowhere.
FIXED_LINKS: dict[NotificationKind, str] = {
    NotificationKind.PROPOSAL_DECIDED: "/proposals",
    NotificationKind.PROPOSAL_SUBMITTED: "/review",
    NotificationKind.MEMBERSHIP_DECIDED: "/groups",
}


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: NotificationKind
    message: str  # Japanese
    message_en: str
    created_at: datetime
    is_read: bool
    link: str  # a relative path computed on the server, or "" when there is nothing to open


def notify(
    session: Session,
    *,
    member_ids: Iterable[int],
    kind: NotificationKind,
    message_ja: str,
    message_en: str,
    now: datetime,
    event_id: int | None = None,
    idea_id: int | None = None,
    except_member_id: int | None = None,
) -> int:
    """Add one notification per member (each once, in the caller's transaction), leaving
    out ``except_member_id`` (whoever acted needs no notice of their own action).
    Returns how many were added."""
    recipients = sorted(set(member_ids) - {except_member_id})
    for member_id in recipients:
        session.add(
            Notification(
                member_id=member_id,
                kind=kind,
                event_id=event_id,
                idea_id=idea_id,
                message=message_ja,
                message_en=message_en,
                created_at=now,
            )
        )
    return len(recipients)


def _own_id(actor: Actor) -> int:
    require(is_signed_in(actor))
    assert actor.member_id is not None
    return actor.member_id


def _public_event_slugs(session: Session, event_ids: set[int]) -> dict[int, str]:
    """The slugs of those events that everyone may see, in one query."""
    if not event_ids:
        return {}
    rows = session.exec(
        select(Event.id, Event.slug).where(
            col(Event.id).in_(event_ids),
            col(Event.status).in_(EventStatus.public()),
            col(Event.published_at).is_not(None),
        )
    ).all()
    return {event_id: slug for event_id, slug in rows if event_id is not None}


def _idea_slugs(session: Session, idea_ids: set[int]) -> dict[int, str]:
    if not idea_ids:
        return {}
    rows = session.exec(
        select(ProjectIdea.id, ProjectIdea.slug).where(col(ProjectIdea.id).in_(idea_ids))
    ).all()
    return {idea_id: slug for idea_id, slug in rows if idea_id is not None}


def _views(session: Session, rows: Iterable[Notification]) -> list[NotificationView]:
    rows = list(rows)
    slugs = _public_event_slugs(
        session,
        {row.event_id for row in rows if row.event_id is not None and row.kind not in FIXED_LINKS},
    )
    ideas = _idea_slugs(session, {row.idea_id for row in rows if row.idea_id is not None})
    views = []
    for row in rows:
        assert row.id is not None
        slug = slugs.get(row.event_id) if row.event_id is not None else None
        idea = ideas.get(row.idea_id) if row.idea_id is not None else None
        # An event link first (to sign up from the notice), else the idea's page.
        link = (
            FIXED_LINKS.get(row.kind)
            or (f"/events/{slug}" if slug else "")
            or (f"/ideas/{idea}" if idea else "")
        )
        views.append(
            NotificationView(
                id=row.id,
                kind=row.kind,
                message=row.message,
                message_en=row.message_en or row.message,
                created_at=row.created_at,
                is_read=row.read_at is not None,
                link=link,
            )
        )
    return views


def _own_notification(session: Session, *, member_id: int, notification_id: object) -> Notification:
    """The member's own notification; someone else's is as unknown as a missing one."""
    notification = session.get(Notification, as_id(notification_id))
    if notification is None or notification.member_id != member_id:
        raise NotFound("notification_not_found", "This notification does not exist.")
    return notification


def list_notifications(
    session: Session, *, actor: Actor, limit: int = 30, before_id: int | None = None
) -> list[NotificationView]:
    """The actor's own notifications, newest first; ``before_id`` (the last one shown)
    continues the list after it."""
    member_id = _own_id(actor)
    limit = as_whole_number(limit, code="invalid_limit", minimum=1, maximum=MAX_PAGE_SIZE)
    query = select(Notification).where(Notification.member_id == member_id)
    if before_id is not None:
        cursor = _own_notification(session, member_id=member_id, notification_id=before_id)
        query = query.where(
            or_(
                col(Notification.created_at) < cursor.created_at,
                (col(Notification.created_at) == cursor.created_at)
                & (col(Notification.id) < cursor.id),
            )
        )
    rows = session.exec(
        query.order_by(col(Notification.created_at).desc(), col(Notification.id).desc()).limit(
            limit
        )
    ).all()
    return _views(session, rows)


def count_unread(session: Session, *, actor: Actor) -> int:
    member_id = _own_id(actor)
    return session.exec(
        select(func.count()).where(
            Notification.member_id == member_id, col(Notification.read_at).is_(None)
        )
    ).one()


def mark_read(
    session: Session, *, actor: Actor, notification_id: object, now: datetime
) -> NotificationView:
    """Mark one of the actor's own notifications read (the first reading time is kept),
    and return it, so the caller can open its server-computed link."""
    member_id = _own_id(actor)
    notification = _own_notification(session, member_id=member_id, notification_id=notification_id)
    if notification.read_at is None:
        notification.read_at = now
        session.add(notification)
        session.flush()
    return _views(session, [notification])[0]


def mark_all_read(session: Session, *, actor: Actor, now: datetime) -> int:
    """Mark every unread notification of the actor read; returns how many were unread."""
    member_id = _own_id(actor)
    result = session.exec(
        update(Notification)
        .where(col(Notification.member_id) == member_id, col(Notification.read_at).is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return int(result.rowcount)
