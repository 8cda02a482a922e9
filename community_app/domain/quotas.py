"""Per-member quotas: caps no real member reaches, so that one account cannot fill the
database or the organisers' review queue (1 000 drafts in 12 s, 100 proposals in 10 s).

Organisers and admins of a group are not capped in it: they publish directly and may
prepare many events (a season of a weekly series).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from community_app.domain.enums import EventStatus
from community_app.domain.errors import DomainError
from community_app.domain.models import Event, ProjectIdea
from community_app.domain.permissions import Actor, can_review_proposals

MAX_OPEN_DRAFTS = 30  # drafts of one member, all groups together
MAX_PENDING_PROPOSALS_PER_GROUP = 10  # submitted and awaiting review, per group
IDEAS_PER_HOUR = 10
HOUR = timedelta(hours=1)


def _count(session: Session, *conditions: ColumnElement[bool]) -> int:
    return int(session.exec(select(func.count()).select_from(Event).where(*conditions)).one())


def check_draft_quota(session: Session, *, actor: Actor, group_id: int) -> None:
    """Refuse a new draft to a member who already keeps MAX_OPEN_DRAFTS of them."""
    if actor.member_id is None or can_review_proposals(actor, group_id):
        return
    drafts = _count(
        session, col(Event.proposer_id) == actor.member_id, col(Event.status) == EventStatus.DRAFT
    )
    if drafts >= MAX_OPEN_DRAFTS:
        raise DomainError(
            "too_many_drafts",
            f"You have {MAX_OPEN_DRAFTS} drafts already: submit or delete some first.",
        )


def check_pending_quota(session: Session, *, actor: Actor, group_id: int) -> None:
    """Refuse a submission from a member with MAX_PENDING_PROPOSALS_PER_GROUP proposals
    already waiting for this group's organisers."""
    if actor.member_id is None or can_review_proposals(actor, group_id):
        return
    pending = _count(
        session,
        col(Event.proposer_id) == actor.member_id,
        col(Event.group_id) == group_id,
        col(Event.status) == EventStatus.SUBMITTED,
    )
    if pending >= MAX_PENDING_PROPOSALS_PER_GROUP:
        raise DomainError(
            "too_many_pending_proposals",
            "You have many proposals waiting for review in this group: wait for a decision.",
        )


def check_idea_quota(session: Session, *, actor: Actor, now: datetime) -> None:
    """Refuse an idea from a member who posted IDEAS_PER_HOUR in the last hour."""
    if actor.member_id is None:
        return
    recent = session.exec(
        select(func.count())
        .select_from(ProjectIdea)
        .where(
            col(ProjectIdea.author_id) == actor.member_id,
            col(ProjectIdea.created_at) > now - HOUR,
        )
    ).one()
    if int(recent) >= IDEAS_PER_HOUR:
        raise DomainError(
            "too_many_ideas", "You have posted many ideas in the last hour: try again later."
        )
