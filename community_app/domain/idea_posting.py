"""Posting an idea, supporting it, joining it with a role, and a group's idea rules.

Supporting one's own idea is refused: the count says how many *other* members want
it, which is what the threshold is about. Authors may still join with a role.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from community_app.domain.audit import record_audit
from community_app.domain.enums import IdeaStatus, IdeaSupportKind
from community_app.domain.errors import DomainError
from community_app.domain.event_fields import long_text, one_line, parse_tags
from community_app.domain.groups import get_group_row
from community_app.domain.ideas import (
    ACCEPTS_SUPPORT,
    IdeaRef,
    locked_idea,
    settle_count,
)
from community_app.domain.models import IdeaSupport, IdeaTag, ProjectIdea
from community_app.domain.permissions import (
    Actor,
    can_edit_group,
    can_post_ideas,
    is_signed_in,
    require,
)
from community_app.domain.quotas import check_idea_quota
from community_app.domain.slugs import unique_slug
from community_app.domain.validation import as_flag, as_id, as_whole_number

MAX_TITLE = 120
MAX_DESCRIPTION = 10_000
MAX_HELP = 2_000
MAX_ROLE = 120
MAX_THRESHOLD = 1_000
SITE_WIDE_THRESHOLD = 3  # site-wide ideas have no group to set one
ROLE_PRESETS = ("speaker", "venue", "helper")


def post_idea(
    session: Session,
    *,
    actor: Actor,
    title: object,
    description: object,
    help_needed: object,
    tags: object,
    group_id: object = None,
    now: datetime,
) -> IdeaRef:
    """A new OPEN idea, site-wide (``group_id`` None) or in a group the actor belongs to;
    it takes the group's support threshold in force now."""
    require(is_signed_in(actor))
    group = get_group_row(session, as_id(group_id)) if group_id is not None else None
    require(can_post_ideas(actor, group.id if group else None))
    clean_title = one_line(title, code="invalid_idea_title", max_length=MAX_TITLE, required=True)
    check_idea_quota(session, actor=actor, now=now)
    idea = ProjectIdea(
        slug=unique_slug(clean_title, is_taken=lambda slug: _slug_is_taken(session, slug)),
        group_id=group.id if group else None,
        author_id=actor.member_id,
        title=clean_title,
        description=long_text(
            description, code="invalid_idea_description", max_length=MAX_DESCRIPTION
        ),
        help_needed=long_text(help_needed, code="invalid_idea_help", max_length=MAX_HELP),
        support_threshold=group.idea_support_threshold if group else SITE_WIDE_THRESHOLD,
        status=IdeaStatus.OPEN,
        created_at=now,
        updated_at=now,
    )
    clean_tags = parse_tags(tags)
    session.add(idea)
    session.flush()
    session.add_all(IdeaTag(idea_id=idea.id or 0, tag=tag) for tag in clean_tags)
    session.flush()
    return IdeaRef(idea.id or 0, idea.slug, idea.status)


def _slug_is_taken(session: Session, slug: str) -> bool:
    return session.exec(select(ProjectIdea.id).where(ProjectIdea.slug == slug)).first() is not None


def _own_row(
    session: Session, idea_id: int, member_id: int, kind: IdeaSupportKind
) -> IdeaSupport | None:
    return session.exec(
        select(IdeaSupport).where(
            IdeaSupport.idea_id == idea_id,
            IdeaSupport.member_id == member_id,
            IdeaSupport.kind == kind,
        )
    ).first()


def _open_idea(session: Session, actor: Actor, idea_id: object) -> ProjectIdea:
    require(is_signed_in(actor))
    idea = locked_idea(session, idea_id)
    if idea.status not in ACCEPTS_SUPPORT:
        raise DomainError("idea_closed")
    return idea


def support_idea(session: Session, *, actor: Actor, idea_id: object, now: datetime) -> IdeaRef:
    """One support per member; not for the idea's own author (see the module docstring)."""
    idea = _open_idea(session, actor, idea_id)
    assert actor.member_id is not None and idea.id is not None
    if idea.author_id == actor.member_id:
        raise DomainError("own_idea_support")
    if _own_row(session, idea.id, actor.member_id, IdeaSupportKind.SUPPORT) is not None:
        raise DomainError("already_supported")
    session.add(
        IdeaSupport(
            idea_id=idea.id, member_id=actor.member_id, kind=IdeaSupportKind.SUPPORT, created_at=now
        )
    )
    return _recount(session, actor=actor, idea=idea, now=now)


def _recount(session: Session, *, actor: Actor, idea: ProjectIdea, now: datetime) -> IdeaRef:
    """After a support or a joiner came or went: mark the idea active and let its
    support count move its status (``ideas.settle_count``)."""
    session.flush()
    idea.updated_at = now
    settle_count(session, actor=actor, idea=idea, now=now)
    session.flush()
    assert idea.id is not None
    return IdeaRef(idea.id, idea.slug, idea.status)


def withdraw_support(session: Session, *, actor: Actor, idea_id: object, now: datetime) -> IdeaRef:
    """Take one's support back; a ready idea that drops below its threshold gathers again."""
    idea = _open_idea(session, actor, idea_id)
    assert actor.member_id is not None and idea.id is not None
    row = _own_row(session, idea.id, actor.member_id, IdeaSupportKind.SUPPORT)
    if row is None:
        raise DomainError("not_supported")
    session.delete(row)
    return _recount(session, actor=actor, idea=idea, now=now)


def join_idea(
    session: Session, *, actor: Actor, idea_id: object, role: object, now: datetime
) -> IdeaRef:
    """Offer to take part with a role ("speaker", "venue", "helper" or one's own words);
    joining again changes the role. The author may join their own idea."""
    clean_role = one_line(role, code="invalid_idea_role", max_length=MAX_ROLE, required=True)
    idea = _open_idea(session, actor, idea_id)
    assert actor.member_id is not None and idea.id is not None
    row = _own_row(session, idea.id, actor.member_id, IdeaSupportKind.JOIN) or IdeaSupport(
        idea_id=idea.id, member_id=actor.member_id, kind=IdeaSupportKind.JOIN, created_at=now
    )
    row.role = clean_role
    session.add(row)
    return _recount(session, actor=actor, idea=idea, now=now)


def leave_idea(session: Session, *, actor: Actor, idea_id: object, now: datetime) -> IdeaRef:
    idea = _open_idea(session, actor, idea_id)
    assert actor.member_id is not None and idea.id is not None
    row = _own_row(session, idea.id, actor.member_id, IdeaSupportKind.JOIN)
    if row is None:
        raise DomainError("not_joined")
    session.delete(row)
    return _recount(session, actor=actor, idea=idea, now=now)


def update_idea_settings(
    session: Session,
    *,
    actor: Actor,
    group_id: object,
    support_threshold: object,
    authors_convert_ideas: object,
    now: datetime,
) -> None:
    """A group's idea rules: the supports that make a new idea ready, and whether
    authors may turn their own ready ideas into event proposals. Existing ideas keep
    the threshold they were posted with."""
    gid = as_id(group_id)
    require(can_edit_group(actor, gid))
    threshold = as_whole_number(
        support_threshold, code="invalid_threshold", minimum=1, maximum=MAX_THRESHOLD
    )
    authors = as_flag(authors_convert_ideas)
    group = get_group_row(session, gid)
    group.idea_support_threshold, group.authors_convert_ideas = threshold, authors
    group.updated_at = now
    session.add(group)
    record_audit(
        session,
        actor=actor,
        action="update_idea_settings",
        target_type="group",
        target_id=gid,
        detail=f"threshold={threshold} authors_convert={authors}",
        now=now,
    )
    session.flush()
