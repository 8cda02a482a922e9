"""Comments on ideas: members write, edit and delete their own; organisers hide abusive
ones. A hidden comment is never shown again but its row stays, with who hid it and
when, and the audit log has the reason. Writing is rate-limited per member (the
shared ``login_attempts`` counter of ``rate_limits``), so a flood stops at the limit.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from community_app.domain.audit import record_audit
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.event_fields import MAX_LINE, long_text
from community_app.domain.ideas import ACCEPTS_SUPPORT, locked_idea
from community_app.domain.models import Comment, ProjectIdea
from community_app.domain.permissions import Actor, can_moderate_ideas, is_signed_in, require
from community_app.domain.rate_limits import check_allowed, record_attempt
from community_app.domain.validation import as_id

MAX_COMMENT = 4_000
COMMENT_LIMIT = 10  # per member in ``rate_limits.WINDOW`` (15 minutes)


def comment_keys(member_id: int) -> list[str]:
    return [f"comment:member:{member_id}"]


def _body(value: object) -> str:
    body = long_text(value, code="invalid_comment", max_length=MAX_COMMENT)
    if not body:
        raise DomainError("invalid_comment")
    return body


def add_comment(
    session: Session, *, actor: Actor, idea_id: object, body: object, now: datetime
) -> int:
    """A new comment by the actor on an idea that is not archived; returns its id."""
    require(is_signed_in(actor))
    assert actor.member_id is not None
    text = _body(body)
    idea = locked_idea(session, idea_id)
    if idea.status not in ACCEPTS_SUPPORT:
        raise DomainError("idea_closed")
    keys = comment_keys(actor.member_id)
    check_allowed(session, keys_and_limits=[(key, COMMENT_LIMIT) for key in keys], now=now)
    record_attempt(session, keys=keys, now=now)
    comment = Comment(author_id=actor.member_id, idea_id=idea.id, body=text, created_at=now)
    session.add(comment)
    idea.updated_at = now
    session.add(idea)
    session.flush()
    return comment.id or 0


def _visible_comment(session: Session, comment_id: object) -> Comment:
    comment = session.get(Comment, as_id(comment_id))
    if (
        comment is None
        or comment.idea_id is None
        or comment.deleted_at is not None
        or comment.hidden_at is not None
    ):
        raise NotFound("comment_not_found")
    return comment


def _own_comment(session: Session, actor: Actor, comment_id: object) -> Comment:
    require(is_signed_in(actor))
    comment = _visible_comment(session, comment_id)
    if comment.author_id != actor.member_id:
        raise NotFound("comment_not_found")  # someone else's is as unknown as a missing one
    return comment


def edit_comment(
    session: Session, *, actor: Actor, comment_id: object, body: object, now: datetime
) -> None:
    text = _body(body)
    comment = _own_comment(session, actor, comment_id)
    comment.body, comment.edited_at = text, now
    session.add(comment)
    session.flush()


def delete_comment(session: Session, *, actor: Actor, comment_id: object, now: datetime) -> None:
    comment = _own_comment(session, actor, comment_id)
    comment.deleted_at = now
    session.add(comment)
    session.flush()


def hide_comment(
    session: Session, *, actor: Actor, comment_id: object, reason: object, now: datetime
) -> None:
    """An organiser of the idea's group (site-wide ideas: an admin) hides a comment."""
    require(is_signed_in(actor))
    clean = long_text(reason, code="invalid_reason", max_length=MAX_LINE)
    comment = _visible_comment(session, comment_id)
    idea = session.get(ProjectIdea, comment.idea_id)
    assert idea is not None
    require(can_moderate_ideas(actor, idea.group_id))
    comment.hidden_at, comment.hidden_by_id = now, actor.member_id
    session.add(comment)
    record_audit(
        session,
        actor=actor,
        action="hide_comment",
        target_type="comment",
        target_id=comment.id,
        detail=f"idea={idea.id} {clean}".strip(),
        now=now,
    )
    session.flush()
