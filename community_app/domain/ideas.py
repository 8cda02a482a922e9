"""Project ideas (やってみたい): the idea's lifecycle, moderation, and its events.

One table, ``TRANSITIONS``, says which status may follow which and who moves it;
``_move`` is the only writer of ``ProjectIdea.status``. The system moves an idea as
supports come and go (``open → gathering → ready`` and back), when one of its events
is published (``scheduled``) or cancelled; organisers archive and reopen it with a
reason. ``done`` is not stored: an idea is done once a published event made from it
has taken place (see ``idea_board.shown_status``), so no clock job is needed.

Posting, supporting and joining are in ``idea_posting``; turning an idea into an event
proposal is in ``idea_events``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import Session, col, select

from community_app.domain import news_mail
from community_app.domain.audit import record_audit
from community_app.domain.enums import (
    EventStatus,
    GroupRole,
    IdeaStatus,
    IdeaSupportKind,
    MembershipStatus,
    NotificationKind,
)
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.event_fields import MAX_LINE, long_text
from community_app.domain.models import Event, IdeaSupport, Membership, ProjectIdea
from community_app.domain.notifications import notify
from community_app.domain.permissions import (
    Actor,
    can_moderate_ideas,
    is_signed_in,
    require,
)
from community_app.domain.validation import as_id

I = IdeaStatus  # noqa: E741


MAX_REASON = 2_000


class Mover(StrEnum):
    SYSTEM = "system"  # supports, joins and the idea's events move it
    MODERATOR = "moderator"  # the group's organisers (site-wide ideas: admins)


_COUNTED = (I.OPEN, I.GATHERING, I.READY)  # statuses that follow the support count
TRANSITIONS: dict[tuple[IdeaStatus, IdeaStatus], Mover] = {
    **{(a, b): Mover.SYSTEM for a in _COUNTED for b in _COUNTED if a != b},
    **{(a, I.SCHEDULED): Mover.SYSTEM for a in _COUNTED},  # an event of it was published
    **{(I.SCHEDULED, b): Mover.SYSTEM for b in _COUNTED},  # its only event was cancelled
    (I.SCHEDULED, I.DONE): Mover.SYSTEM,  # shown on read once an event has taken place
    **{(a, I.ARCHIVED): Mover.MODERATOR for a in (*_COUNTED, I.SCHEDULED)},
    **{(I.ARCHIVED, b): Mover.MODERATOR for b in _COUNTED},  # reopened
}
# Statuses in which supports and joins are still taken.
ACCEPTS_SUPPORT = frozenset({*_COUNTED, I.SCHEDULED})


@dataclass(frozen=True)
class IdeaRef:
    id: int
    slug: str
    status: IdeaStatus


def locked_idea(session: Session, idea_id: object) -> ProjectIdea:
    """The idea row read afresh and locked on PostgreSQL (SQLite serialises writers), so
    two supports at the same moment both count."""
    row = session.exec(
        select(ProjectIdea)
        .where(ProjectIdea.id == as_id(idea_id))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        raise NotFound("idea_not_found")
    return row


def participant_ids(
    session: Session, idea_id: int, kind: IdeaSupportKind | None = None
) -> list[int]:
    """Supporters and joiners (or one kind of them)."""
    query = select(IdeaSupport.member_id).where(IdeaSupport.idea_id == idea_id)
    if kind is not None:
        query = query.where(IdeaSupport.kind == kind)
    return sorted(set(session.exec(query).all()))


def counted_status(*, supports: int, joins: int, threshold: int) -> IdeaStatus:
    if supports >= threshold:
        return I.READY
    return I.GATHERING if supports + joins > 0 else I.OPEN


def counts(session: Session, idea_id: int) -> tuple[int, int]:
    rows = dict(
        session.exec(
            select(IdeaSupport.kind, func.count())
            .where(IdeaSupport.idea_id == idea_id)
            .group_by(col(IdeaSupport.kind))
        ).all()
    )
    return rows.get(IdeaSupportKind.SUPPORT, 0), rows.get(IdeaSupportKind.JOIN, 0)


def _move(
    session: Session,
    *,
    actor: Actor,
    idea: ProjectIdea,
    to: IdeaStatus,
    now: datetime,
    reason: str = "",
) -> None:
    """Apply one move of the table; moderator moves carry a reason and are audited."""
    mover = TRANSITIONS.get((idea.status, to))
    if mover is None:
        raise DomainError("idea_transition_not_allowed")
    origin, idea.status, idea.updated_at = idea.status, to, now
    if mover == Mover.MODERATOR:
        idea.status_reason = reason
        record_audit(
            session,
            actor=actor,
            action=f"idea_{'archived' if to == I.ARCHIVED else 'reopened'}",
            target_type="idea",
            target_id=idea.id,
            detail=reason[:MAX_LINE],
            now=now,
        )
    session.add(idea)
    if to == I.READY and origin != I.SCHEDULED:
        tell(
            session,
            idea,
            [idea.author_id or 0, *_organiser_ids(session, idea.group_id)],
            ja=f"アイデア「{idea.title}」が目標の賛同数に達しました。イベントにしてみませんか。",
            en=f"The idea “{idea.title}” reached its support goal: time to make it an event.",
            actor=actor,
            now=now,
        )


def tell(
    session: Session,
    idea: ProjectIdea,
    member_ids: Iterable[int],
    *,
    ja: str,
    en: str,
    actor: Actor,
    now: datetime,
    kind: NotificationKind = NotificationKind.IDEA_UPDATED,
    event_id: int | None = None,
) -> int:
    return notify(
        session,
        member_ids=[m for m in member_ids if m],
        kind=kind,
        idea_id=idea.id,
        event_id=event_id,
        message_ja=ja,
        message_en=en,
        except_member_id=actor.member_id,
        now=now,
    )


def settle_count(session: Session, *, actor: Actor, idea: ProjectIdea, now: datetime) -> None:
    """Move an idea that follows its count to the status the count gives."""
    supports, joins = counts(session, idea.id or 0)
    wanted = counted_status(supports=supports, joins=joins, threshold=idea.support_threshold)
    if idea.status in _COUNTED and wanted != idea.status:
        _move(session, actor=actor, idea=idea, to=wanted, now=now)


def archive_idea(
    session: Session, *, actor: Actor, idea_id: object, reason: object, now: datetime
) -> IdeaRef:
    """Close an idea (spam, duplicate, no longer wanted) with a reason everyone sees;
    its supporters and joiners are told."""
    require(is_signed_in(actor))
    idea = locked_idea(session, idea_id)
    require(can_moderate_ideas(actor, idea.group_id))
    clean = _reason(reason)
    _move(session, actor=actor, idea=idea, to=I.ARCHIVED, reason=clean, now=now)
    tell(
        session,
        idea,
        [idea.author_id or 0, *participant_ids(session, idea.id or 0)],
        ja=f"アイデア「{idea.title}」はアーカイブされました。理由: {clean}",
        en=f"The idea “{idea.title}” was archived. Reason: {clean}",
        actor=actor,
        now=now,
    )
    session.flush()
    return IdeaRef(idea.id or 0, idea.slug, idea.status)


def reopen_idea(
    session: Session, *, actor: Actor, idea_id: object, reason: object, now: datetime
) -> IdeaRef:
    """Bring an archived idea back, to the status its supports give it."""
    require(is_signed_in(actor))
    idea = locked_idea(session, idea_id)
    require(can_moderate_ideas(actor, idea.group_id))
    clean = _reason(reason)
    if idea.status != I.ARCHIVED:
        raise DomainError("idea_transition_not_allowed")
    supports, joins = counts(session, idea.id or 0)
    wanted = counted_status(supports=supports, joins=joins, threshold=idea.support_threshold)
    _move(session, actor=actor, idea=idea, to=wanted, reason=clean, now=now)
    session.flush()
    return IdeaRef(idea.id or 0, idea.slug, idea.status)


def _reason(value: object) -> str:
    reason = long_text(value, code="invalid_reason", max_length=MAX_REASON)
    if not reason:
        raise DomainError("reason_required")
    return reason


def on_event_status(session: Session, *, actor: Actor, event: Event, now: datetime) -> None:
    """Called when an event made from an idea is published or cancelled: the idea is
    scheduled (its supporters and joiners get a link to the event, to sign up), or goes
    back to its count when no published event of it is left."""
    if event.idea_id is None or event.status not in (EventStatus.APPROVED, EventStatus.CANCELLED):
        return
    idea = locked_idea(session, event.idea_id)
    if idea.status == I.ARCHIVED:
        return
    if event.status == EventStatus.APPROVED:
        if idea.status != I.SCHEDULED:
            _move(session, actor=actor, idea=idea, to=I.SCHEDULED, now=now)
        told = [idea.author_id or 0, *participant_ids(session, idea.id or 0)]
        news_mail.mail_idea_scheduled(
            session,
            idea=idea,
            event=event,
            member_ids=told,
            except_member_id=actor.member_id,
            now=now,
        )
        tell(
            session,
            idea,
            told,
            ja=f"アイデア「{idea.title}」がイベント「{event.title}」になりました。参加登録はこちら。",
            en=f"The idea “{idea.title}” became an event: “{event.title}”. Sign up here.",
            actor=actor,
            now=now,
            kind=NotificationKind.IDEA_SCHEDULED,
            event_id=event.id,
        )
    elif idea.status == I.SCHEDULED and not _has_published_event(session, idea.id or 0):
        supports, joins = counts(session, idea.id or 0)
        wanted = counted_status(supports=supports, joins=joins, threshold=idea.support_threshold)
        _move(session, actor=actor, idea=idea, to=wanted, now=now)


def _has_published_event(session: Session, idea_id: int) -> bool:
    return (
        session.exec(
            select(Event.id).where(Event.idea_id == idea_id, Event.status == EventStatus.APPROVED)
        ).first()
        is not None
    )


def _organiser_ids(session: Session, group_id: int | None) -> list[int]:
    if group_id is None:
        return []
    return list(
        session.exec(
            select(Membership.member_id).where(
                Membership.group_id == group_id,
                Membership.role == GroupRole.ORGANISER,
                Membership.status == MembershipStatus.ACTIVE,
            )
        ).all()
    )
