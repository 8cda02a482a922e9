"""Reading ideas: the board (sorted, filtered, paginated), one idea's page, and the
trending ideas of the home page. Small frozen read models, never ORM rows.

An idea is shown ``done`` once a published event made from it has ended, though the
stored status stays ``scheduled`` (see ``ideas``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import and_, case, exists, func
from sqlmodel import Session, col, select

from community_app.domain.enums import EventStatus, IdeaStatus, IdeaSupportKind
from community_app.domain.models import (
    Comment,
    Event,
    Group,
    IdeaSupport,
    IdeaTag,
    Member,
    ProjectIdea,
)
from community_app.domain.validation import as_choice, as_text, as_whole_number

I = IdeaStatus  # noqa: E741
PAGE_SIZE = 12
MAX_PAGE = 100_000
TRENDING_WINDOW = timedelta(days=14)


class IdeaSort(StrEnum):
    NEWEST = "newest"
    MOST_SUPPORTED = "most_supported"
    NEEDS_HELP = "needs_help"
    RECENTLY_ACTIVE = "recently_active"


class IdeaFilter(StrEnum):
    ACTIVE = "active"  # everything not archived
    OPEN = "open"
    GATHERING = "gathering"
    READY = "ready"
    SCHEDULED = "scheduled"
    DONE = "done"
    ARCHIVED = "archived"


@dataclass(frozen=True)
class IdeaCard:
    id: int
    slug: str
    title: str
    status: IdeaStatus  # as shown (``done`` computed)
    group_name: str  # "" for a site-wide idea
    author_name: str
    help_needed: str
    tags: tuple[str, ...]
    support_count: int
    join_count: int
    support_threshold: int
    created_at: datetime
    active_at: datetime


@dataclass(frozen=True)
class IdeaPage:
    cards: tuple[IdeaCard, ...]
    page: int
    page_count: int
    total: int


def _support_count() -> Any:
    return (
        select(func.count())
        .where(
            IdeaSupport.idea_id == ProjectIdea.id,
            IdeaSupport.kind == IdeaSupportKind.SUPPORT,
        )
        .correlate(ProjectIdea)
        .scalar_subquery()
    )


def _join_count() -> Any:
    return (
        select(func.count())
        .where(IdeaSupport.idea_id == ProjectIdea.id, IdeaSupport.kind == IdeaSupportKind.JOIN)
        .correlate(ProjectIdea)
        .scalar_subquery()
    )


def _took_place(now: datetime) -> Any:
    return exists().where(
        col(Event.idea_id) == col(ProjectIdea.id),
        col(Event.status) == EventStatus.APPROVED,
        col(Event.ends_at) <= now,
    )


def _status_condition(wanted: IdeaFilter, now: datetime) -> Any:
    stored = col(ProjectIdea.status)
    if wanted == IdeaFilter.ACTIVE:
        return stored != I.ARCHIVED
    if wanted == IdeaFilter.DONE:
        return and_(stored == I.SCHEDULED, _took_place(now))
    if wanted == IdeaFilter.SCHEDULED:
        return and_(stored == I.SCHEDULED, ~_took_place(now))
    return stored == I(wanted.value)


def _order(sort: IdeaSort, supports: Any, joins: Any) -> list[Any]:
    newest = [col(ProjectIdea.created_at).desc(), col(ProjectIdea.id).desc()]
    if sort == IdeaSort.MOST_SUPPORTED:
        return [supports.desc(), *newest]
    if sort == IdeaSort.RECENTLY_ACTIVE:
        return [col(ProjectIdea.updated_at).desc(), *newest]
    if sort == IdeaSort.NEEDS_HELP:
        still_open = col(ProjectIdea.status).in_((I.OPEN, I.GATHERING, I.READY))
        wants_help = and_(still_open, col(ProjectIdea.help_needed) != "")
        return [case((wants_help, 0), else_=1), joins, *newest]
    return newest


def list_ideas(
    session: Session,
    *,
    now: datetime,
    sort: object = "newest",
    status: object = "active",
    group_slug: object = "",
    tag: object = "",
    page: object = 1,
    page_size: int = PAGE_SIZE,
) -> IdeaPage:
    """One page of the board. Anyone may read it; every argument is validated."""
    sort = as_choice(sort, IdeaSort, code="invalid_idea_sort")
    wanted = as_choice(status, IdeaFilter, code="invalid_idea_filter")
    group_slug = as_text(group_slug, code="invalid_idea_filter", max_length=120)
    tag = as_text(tag, code="invalid_idea_filter", max_length=50).lower()
    page = as_whole_number(page, code="invalid_page", minimum=1, maximum=MAX_PAGE)
    conditions = [_status_condition(wanted, now)]
    if group_slug:
        conditions.append(col(Group.slug) == group_slug)
    if tag:
        conditions.append(
            exists().where(col(IdeaTag.idea_id) == col(ProjectIdea.id), col(IdeaTag.tag) == tag)
        )
    base = select(ProjectIdea.id).outerjoin(Group, col(Group.id) == col(ProjectIdea.group_id))
    total = session.exec(select(func.count()).select_from(base.where(*conditions).subquery())).one()
    page_count = max(1, -(-total // page_size))
    page = min(page, page_count)
    supports, joins = _support_count(), _join_count()
    ids = session.exec(
        base.where(*conditions)
        .order_by(*_order(sort, supports, joins))
        .offset((page - 1) * page_size)
        .limit(page_size)
    ).all()
    return IdeaPage(tuple(cards(session, [i for i in ids if i], now=now)), page, page_count, total)


def cards(session: Session, idea_ids: list[int], *, now: datetime) -> list[IdeaCard]:
    """Cards for ``idea_ids``, in that order, in four queries."""
    if not idea_ids:
        return []
    rows = session.execute(
        sa.select(
            ProjectIdea, col(Group.name), col(Member.display_name), _support_count(), _join_count()
        )
        .outerjoin(Group, col(Group.id) == col(ProjectIdea.group_id))
        .outerjoin(Member, col(Member.id) == col(ProjectIdea.author_id))
        .where(col(ProjectIdea.id).in_(idea_ids))
    ).all()
    tags: dict[int, list[str]] = {}
    for idea_id, tag in session.exec(
        select(IdeaTag.idea_id, IdeaTag.tag)
        .where(col(IdeaTag.idea_id).in_(idea_ids))
        .order_by(col(IdeaTag.tag))
    ).all():
        tags.setdefault(idea_id, []).append(tag)
    done = set(
        session.exec(
            select(Event.idea_id).where(
                col(Event.idea_id).in_(idea_ids),
                Event.status == EventStatus.APPROVED,
                col(Event.ends_at) <= now,
            )
        ).all()
    )
    by_id = {}
    for idea, group_name, author, supports, joins in rows:
        assert idea.id is not None
        by_id[idea.id] = IdeaCard(
            id=idea.id,
            slug=idea.slug,
            title=idea.title,
            status=shown_status(idea.status, took_place=idea.id in done),
            group_name=group_name or "",
            author_name=author or "—",
            help_needed=idea.help_needed,
            tags=tuple(tags.get(idea.id, ())),
            support_count=supports,
            join_count=joins,
            support_threshold=idea.support_threshold,
            created_at=idea.created_at,
            active_at=idea.updated_at,
        )
    return [by_id[i] for i in idea_ids if i in by_id]


def shown_status(stored: IdeaStatus, *, took_place: bool) -> IdeaStatus:
    return I.DONE if stored == I.SCHEDULED and took_place else stored


def list_trending_ideas(session: Session, *, now: datetime, limit: int = 4) -> list[IdeaCard]:
    """Ideas still gathering people, by supports, joins and comments of the last two
    weeks, then by recent activity."""
    since = now - TRENDING_WINDOW
    recent_supports = (
        select(func.count())
        .where(IdeaSupport.idea_id == ProjectIdea.id, col(IdeaSupport.created_at) > since)
        .correlate(ProjectIdea)
        .scalar_subquery()
    )
    recent_comments = (
        select(func.count())
        .where(
            Comment.idea_id == ProjectIdea.id,
            col(Comment.created_at) > since,
            col(Comment.deleted_at).is_(None),
            col(Comment.hidden_at).is_(None),
        )
        .correlate(ProjectIdea)
        .scalar_subquery()
    )
    ids = session.exec(
        select(ProjectIdea.id)
        .where(col(ProjectIdea.status).in_((I.OPEN, I.GATHERING, I.READY)))
        .order_by(
            (recent_supports + recent_comments).desc(),
            col(ProjectIdea.updated_at).desc(),
            col(ProjectIdea.id).desc(),
        )
        .limit(limit)
    ).all()
    return cards(session, [i for i in ids if i], now=now)
