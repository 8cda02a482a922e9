"""In-app notifications: written by the verbs whose decisions concern a member."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session

from community_app.domain.enums import NotificationKind
from community_app.domain.models import Notification


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
