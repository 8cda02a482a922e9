"""One idea's page: the idea, its supporters and joiners, comments, the events made
from it, and what the viewer may do there."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from community_app.domain.enums import IdeaStatus, IdeaSupportKind
from community_app.domain.errors import NotFound
from community_app.domain.idea_board import IdeaCard, cards
from community_app.domain.idea_events import AUTHOR_CONVERTIBLE
from community_app.domain.models import (
    Comment,
    Event,
    Group,
    IdeaSupport,
    Member,
    ProjectIdea,
)
from community_app.domain.permissions import (
    Actor,
    can_moderate_ideas,
    can_review_proposals,
    can_turn_ideas_into_events,
    is_admin,
)
from community_app.domain.proposals import can_view_event
from community_app.domain.validation import as_text


@dataclass(frozen=True)
class Joiner:
    member_id: int
    name: str
    role: str


@dataclass(frozen=True)
class CommentView:
    id: int
    author_name: str
    body: str
    created_at: datetime
    edited: bool
    is_mine: bool


@dataclass(frozen=True)
class IdeaEvent:
    slug: str
    title: str
    starts_at: datetime
    timezone: str
    status: str  # EventStatus value


@dataclass(frozen=True)
class IdeaDetail:
    card: IdeaCard
    description: str
    status_reason: str
    group_slug: str
    supporters: tuple[str, ...]
    joiners: tuple[Joiner, ...]
    comments: tuple[CommentView, ...]
    events: tuple[IdeaEvent, ...]
    is_author: bool
    has_supported: bool
    joined_role: str  # "" when the viewer has not joined
    can_moderate: bool
    can_convert: bool
    convert_groups: tuple[tuple[int, str], ...]  # where a site-wide idea may go


def get_idea_detail(session: Session, *, actor: Actor, slug: object, now: datetime) -> IdeaDetail:
    """Everyone may read an idea (archived ones too, with the reason)."""
    slug = as_text(slug, code="idea_not_found", max_length=200)
    idea = session.exec(select(ProjectIdea).where(ProjectIdea.slug == slug)).first()
    if idea is None or idea.id is None:
        raise NotFound("idea_not_found")
    group = session.get(Group, idea.group_id) if idea.group_id else None
    people = session.exec(
        select(IdeaSupport, Member.display_name)
        .join(Member, col(Member.id) == col(IdeaSupport.member_id))
        .where(IdeaSupport.idea_id == idea.id)
        .order_by(col(IdeaSupport.created_at), col(IdeaSupport.id))
    ).all()
    supporters = [(s.member_id, name) for s, name in people if s.kind == IdeaSupportKind.SUPPORT]
    joiners = [Joiner(s.member_id, name, s.role) for s, name in people if s.kind == "join"]
    me = actor.member_id
    convert_groups = _convert_groups(session, actor, idea, group)
    return IdeaDetail(
        card=cards(session, [idea.id], now=now)[0],
        description=idea.description,
        status_reason=idea.status_reason,
        group_slug=group.slug if group else "",
        supporters=tuple(name for _, name in supporters),
        joiners=tuple(joiners),
        comments=tuple(_comments(session, idea.id, me)),
        events=tuple(_events(session, actor, idea.id)),
        is_author=me is not None and idea.author_id == me,
        has_supported=me is not None and any(m == me for m, _ in supporters),
        joined_role=next((j.role for j in joiners if j.member_id == me), ""),
        can_moderate=can_moderate_ideas(actor, idea.group_id),
        can_convert=idea.status != IdeaStatus.ARCHIVED and bool(convert_groups),
        convert_groups=convert_groups,
    )


def _convert_groups(
    session: Session, actor: Actor, idea: ProjectIdea, group: Group | None
) -> tuple[tuple[int, str], ...]:
    if actor.member_id is None:
        return ()
    if group is not None and group.id is not None:
        allowed = can_turn_ideas_into_events(
            actor,
            group.id,
            is_author=idea.author_id == actor.member_id,
            authors_may=group.authors_convert_ideas,
        )
        reviewer = can_review_proposals(actor, group.id)
        ready = reviewer or idea.status in AUTHOR_CONVERTIBLE
        return ((group.id, group.name),) if allowed and ready else ()
    query = select(Group.id, Group.name).order_by(col(Group.name))
    if not is_admin(actor):
        query = query.where(col(Group.id).in_(actor.organiser_of))
    return tuple((gid, name) for gid, name in session.exec(query).all() if gid is not None)


def _comments(session: Session, idea_id: int, me: int | None) -> list[CommentView]:
    rows = session.exec(
        select(Comment, Member.display_name)
        .outerjoin(Member, col(Member.id) == col(Comment.author_id))
        .where(
            Comment.idea_id == idea_id,
            col(Comment.deleted_at).is_(None),
            col(Comment.hidden_at).is_(None),
        )
        .order_by(col(Comment.created_at), col(Comment.id))
    ).all()
    return [
        CommentView(
            id=c.id or 0,
            author_name=name or "—",
            body=c.body,
            created_at=c.created_at,
            edited=c.edited_at is not None,
            is_mine=me is not None and c.author_id == me,
        )
        for c, name in rows
    ]


def _events(session: Session, actor: Actor, idea_id: int) -> list[IdeaEvent]:
    """The idea's events the viewer may see (proposals only to their proposer and the
    group's reviewers), soonest first."""
    rows = session.exec(
        select(Event).where(Event.idea_id == idea_id).order_by(col(Event.starts_at))
    ).all()
    return [
        IdeaEvent(e.slug, e.title, e.starts_at, e.timezone, e.status.value)
        for e in rows
        if can_view_event(actor, e)
    ]


def idea_link_for_event(
    session: Session, *, actor: Actor, event_slug: object
) -> tuple[str, str] | None:
    """(slug, title) of the idea an event was made from, for a link on the event page;
    None when there is none or the viewer may not see the event."""
    slug = as_text(event_slug, code="event_not_found", max_length=200)
    event = session.exec(select(Event).where(Event.slug == slug)).first()
    if event is None or event.idea_id is None or not can_view_event(actor, event):
        return None
    idea = session.get(ProjectIdea, event.idea_id)
    return (idea.slug, idea.title) if idea else None
