"""The audit log: one row for every privileged action, written by the verb that acts."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from community_app.domain.models import AuditLogEntry
from community_app.domain.permissions import Actor


def record_audit(
    session: Session,
    *,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: int | None,
    now: datetime,
    detail: str = "",
) -> None:
    """Add an entry in the caller's transaction; it commits (or not) with the action."""
    session.add(
        AuditLogEntry(
            actor_id=actor.member_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            detail=detail,
            at=now,
        )
    )
