"""Turning an idea into an event proposal, pre-filled from the idea.

The proposal is an ordinary DRAFT (``event_editing.create_event_draft``) linked to the
idea by ``Event.idea_id``: title, description, tags, group and the joiners as hosts come
from the idea; the date is a placeholder two weeks ahead that the organiser sets on the
edit page before submitting or publishing it through the normal review. An idea may
lead to several events (a series of study sessions), so a scheduled or done idea can be
turned into another one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from community_app.domain.audit import record_audit
from community_app.domain.enums import EventFormat, EventKind, IdeaStatus, IdeaSupportKind
from community_app.domain.errors import DomainError
from community_app.domain.event_editing import create_event_draft
from community_app.domain.event_fields import MAX_DESCRIPTION, MAX_LINES, MAX_TAGS
from community_app.domain.groups import get_group_row
from community_app.domain.ideas import locked_idea, participant_ids, tell
from community_app.domain.models import IdeaSupport, IdeaTag, Member, ProjectIdea
from community_app.domain.permissions import (
    Actor,
    can_turn_ideas_into_events,
    is_signed_in,
    require,
)
from community_app.domain.validation import as_id

PLACEHOLDER_DAYS = 14
PLACEHOLDER_START, PLACEHOLDER_END = "19:00", "21:00"
# Statuses an author may convert from (organisers may convert any idea not archived).
AUTHOR_CONVERTIBLE = frozenset({IdeaStatus.READY, IdeaStatus.SCHEDULED, IdeaStatus.DONE})
_SPEAKER_WORDS = frozenset({"speaker", "登壇者", "講師", "スピーカー"})
_FACILITATOR_WORDS = frozenset({"facilitator", "ファシリテーター", "進行"})


@dataclass(frozen=True)
class EventRef:
    event_id: int
    slug: str


def _host_role(role: str) -> str:
    word = role.strip().lower()
    if word in _SPEAKER_WORDS:
        return "speaker"
    return "facilitator" if word in _FACILITATOR_WORDS else "host"


def _cell(text: str) -> str:
    """A value for one cell of the ``name | affiliation | role`` host lines."""
    return text.replace("|", "｜").strip()


def joiner_host_lines(session: Session, idea_id: int) -> str:
    """The joiners, first come first, as the event form's host lines."""
    rows = session.exec(
        select(Member.display_name, IdeaSupport.role)
        .join(Member, col(Member.id) == col(IdeaSupport.member_id))
        .where(IdeaSupport.idea_id == idea_id, IdeaSupport.kind == IdeaSupportKind.JOIN)
        .order_by(col(IdeaSupport.created_at), col(IdeaSupport.id))
        .limit(MAX_LINES)
    ).all()
    return "\n".join(f"{_cell(name)} | | {_host_role(role)}" for name, role in rows)


def prefill(session: Session, idea: ProjectIdea, *, timezone: str, now: datetime) -> dict[str, str]:
    """The event form for ``idea`` (the shape of ``review.form_values``)."""
    day = (now.astimezone(ZoneInfo(timezone)) + timedelta(days=PLACEHOLDER_DAYS)).date()
    tags = session.exec(
        select(IdeaTag.tag).where(IdeaTag.idea_id == idea.id).order_by(col(IdeaTag.tag))
    ).all()
    description = idea.description
    if idea.help_needed:
        description += f"\n\n---\n\n{idea.help_needed}"
    return {
        "title": idea.title,
        "summary": "",
        "description": description.strip()[:MAX_DESCRIPTION],
        "kind": EventKind.STUDY_SESSION.value,
        "format": EventFormat.ONLINE.value,
        "timezone": timezone,
        "start_date": day.isoformat(),
        "start_time": PLACEHOLDER_START,
        "end_date": day.isoformat(),
        "end_time": PLACEHOLDER_END,
        "venue_name": "",
        "venue_address": "",
        "online_platform": "",
        "join_url": "",
        "tags": ", ".join(list(tags)[:MAX_TAGS]),
        "hosts": joiner_host_lines(session, idea.id or 0),
        "agenda": "",
        "tiers": "一般参加",  # one tier without a limit; the organiser adjusts it
    }


def turn_idea_into_event(
    session: Session,
    *,
    actor: Actor,
    idea_id: object,
    group_id: object = None,
    now: datetime,
) -> EventRef:
    """A DRAFT event proposal made from the idea, proposed by ``actor``.

    A group's idea becomes an event of that group; a site-wide idea needs ``group_id``,
    a group the actor reviews. Archived ideas cannot be converted. Supporters and
    joiners hear that an event is being prepared; they hear again, with a link to sign
    up, when it is published (``ideas.on_event_status``).
    """
    require(is_signed_in(actor))
    idea = locked_idea(session, idea_id)
    target = idea.group_id if idea.group_id is not None else as_id(group_id)
    group = get_group_row(session, target)
    is_author = idea.author_id == actor.member_id
    require(
        can_turn_ideas_into_events(
            actor, target, is_author=is_author, authors_may=group.authors_convert_ideas
        )
    )
    if idea.status == IdeaStatus.ARCHIVED:
        raise DomainError("idea_archived")
    reviewer = can_turn_ideas_into_events(actor, target)
    if not reviewer and idea.status not in AUTHOR_CONVERTIBLE:
        raise DomainError("idea_not_ready")
    form = prefill(session, idea, timezone=group.timezone, now=now)
    event = create_event_draft(session, actor=actor, group_id=target, form=form, now=now)
    event.idea_id = idea.id
    session.add(event)
    idea.updated_at = now
    session.add(idea)
    record_audit(
        session,
        actor=actor,
        action="idea_to_event",
        target_type="idea",
        target_id=idea.id,
        detail=f"event={event.id}",
        now=now,
    )
    tell(
        session,
        idea,
        [idea.author_id or 0, *participant_ids(session, idea.id or 0)],
        ja=f"アイデア「{idea.title}」をもとにイベントの準備が始まりました。",
        en=f"An event is being prepared from the idea “{idea.title}”.",
        actor=actor,
        now=now,
    )
    session.flush()
    return EventRef(event.id or 0, event.slug)
