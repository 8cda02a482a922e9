"""The audit log: one row for every privileged action, written by the verb that acts,
and read by site admins with filters and pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from community_app.domain.models import AuditLogEntry, Member
from community_app.domain.permissions import Actor, can_read_audit_log, require
from community_app.domain.validation import as_text, as_whole_number

NO_ACTOR = "—"  # the entry's actor was deleted, or the system acted
MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000


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


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor_name: str  # display name, or NO_ACTOR
    action: str
    target_type: str
    target_id: int | None
    detail: str


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    page: int  # the page shown: the one asked for, or the last one when it asked beyond
    page_count: int  # at least 1, even when nothing matches
    total: int  # entries that match the filters
    actions: tuple[str, ...]  # every action present in the log, for the filter's choices


def _filters(action: str, actor_name: str) -> list[Any]:
    conditions: list[Any] = []
    if action:
        conditions.append(col(AuditLogEntry.action) == action)
    if actor_name:
        name = func.lower(col(Member.display_name))
        conditions.append(name.contains(actor_name.lower(), autoescape=True))
    return conditions


def list_audit_log(
    session: Session,
    *,
    actor: Actor,
    action: str = "",
    actor_name: str = "",
    page: int = 1,
    page_size: int = 50,
) -> AuditPage:
    """One page of the log, newest first. ``action`` matches exactly (one of
    ``AuditPage.actions``); ``actor_name`` matches any part of the actor's display name,
    ignoring case. Admins only."""
    require(can_read_audit_log(actor))
    action = as_text(action, code="invalid_audit_filter", max_length=80)
    actor_name = as_text(actor_name, code="invalid_audit_filter", max_length=80)
    page = as_whole_number(page, code="invalid_page", minimum=1, maximum=MAX_PAGE)
    page_size = as_whole_number(page_size, code="invalid_page", minimum=1, maximum=MAX_PAGE_SIZE)
    conditions = _filters(action, actor_name)
    total = session.exec(
        select(func.count())
        .select_from(AuditLogEntry)
        .outerjoin(Member, col(Member.id) == col(AuditLogEntry.actor_id))
        .where(*conditions)
    ).one()
    page_count = max(1, -(-total // page_size))
    page = min(page, page_count)
    rows = session.exec(
        select(AuditLogEntry, Member.display_name)
        .outerjoin(Member, col(Member.id) == col(AuditLogEntry.actor_id))
        .where(*conditions)
        .order_by(col(AuditLogEntry.at).desc(), col(AuditLogEntry.id).desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    actions = session.exec(
        select(AuditLogEntry.action).distinct().order_by(col(AuditLogEntry.action))
    ).all()
    return AuditPage(
        rows=tuple(
            AuditRow(
                id=entry.id or 0,
                at=entry.at,
                actor_name=name or NO_ACTOR,
                action=entry.action,
                target_type=entry.target_type,
                target_id=entry.target_id,
                detail=entry.detail,
            )
            for entry, name in rows
        ),
        page=page,
        page_count=page_count,
        total=total,
        actions=tuple(actions),
    )
