"""Blocking work of the inbox and the audit log pages, run through ``asyncio.to_thread``.

The actor is rebuilt from the session token each time; the domain verbs check that a
member reads only their own notifications and that only admins read the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from community_app.db import write_session
from community_app.domain import audit, notifications, sessions
from community_app.domain.audit import AuditPage
from community_app.domain.notifications import NotificationView
from community_app.domain.permissions import VISITOR, Actor, load_actor
from community_app.settings import get_settings

PAGE_SIZE = 30


@dataclass(frozen=True)
class Viewer:
    actor: Actor
    timezone: str  # the member's own, for the dates shown


@dataclass(frozen=True)
class Inbox:
    timezone: str
    items: list[NotificationView]
    has_more: bool
    unread: int


def _now() -> datetime:
    return datetime.now(UTC)


def _viewer(session: Session, token: object, now: datetime) -> Viewer:
    member = sessions.resolve_session(session, token=token, now=now)
    if member is None:
        return Viewer(VISITOR, get_settings().default_timezone)
    return Viewer(load_actor(session, member_id=member.id), member.timezone)


def unread_count(*, token: object) -> int:
    """For the bell: 0 for a visitor (the bell is not shown to them)."""
    now = _now()
    with write_session() as session:
        actor = _viewer(session, token, now).actor
        if actor.member_id is None:
            return 0
        return notifications.count_unread(session, actor=actor)


def inbox(*, token: object, before_id: object = None) -> Inbox:
    """One page of the member's notifications (one more is read to know if there are more)."""
    now = _now()
    with write_session() as session:
        viewer = _viewer(session, token, now)
        items = notifications.list_notifications(
            session,
            actor=viewer.actor,
            limit=PAGE_SIZE + 1,
            before_id=before_id,  # type: ignore[arg-type]  # the verb validates it
        )
        unread = notifications.count_unread(session, actor=viewer.actor)
        return Inbox(viewer.timezone, items[:PAGE_SIZE], len(items) > PAGE_SIZE, unread)


def mark_read(*, token: object, notification_id: object) -> NotificationView:
    now = _now()
    with write_session() as session:
        actor = _viewer(session, token, now).actor
        return notifications.mark_read(
            session, actor=actor, notification_id=notification_id, now=now
        )


def mark_all_read(*, token: object) -> int:
    now = _now()
    with write_session() as session:
        actor = _viewer(session, token, now).actor
        return notifications.mark_all_read(session, actor=actor, now=now)


@dataclass(frozen=True)
class AuditData:
    timezone: str
    page: AuditPage


def audit_log(*, token: object, action: object, actor_name: object, page: object) -> AuditData:
    now = _now()
    with write_session() as session:
        viewer = _viewer(session, token, now)
        return AuditData(
            viewer.timezone,
            audit.list_audit_log(
                session,
                actor=viewer.actor,
                action=action,  # type: ignore[arg-type]  # the verb validates them
                actor_name=actor_name,  # type: ignore[arg-type]
                page=page,  # type: ignore[arg-type]
            ),
        )
