"""Blocking event work for the event, proposal and review pages (``asyncio.to_thread``).

Each function is one use case in one transaction; the actor is rebuilt from the
session token, and the domain verbs check every permission.
"""

from __future__ import annotations

from collections.abc import Mapping

from community_app.db import read_session, write_session
from community_app.domain import (
    event_editing,
    participation,
    proposals,
    recaps,
    review,
    rsvps,
    series,
)
from community_app.domain.enums import EventStatus
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.models import Event
from community_app.domain.participation import RsvpPanel
from community_app.domain.review import (
    BulkResult,
    EditableEvent,
    GroupChoice,
    ProposalRow,
    ViewerEvent,
)
from community_app.domain.rsvps import RsvpOutcome, SeriesSignup
from community_app.domain.validation import as_id
from community_app.ui.group_actions import _now, act_as, actor_for

# What the proposer asked for when saving the form.
INTENTS = {"draft": None, "submit": EventStatus.SUBMITTED, "publish": EventStatus.APPROVED}


def load_event(*, token: object, slug: str) -> tuple[ViewerEvent, RsvpPanel]:
    """The event as this viewer sees it, and what they can do to take part: a read,
    with no lock (the page load's ``AuthState.refresh`` keeps the login alive)."""
    now = _now()
    with read_session() as session:
        actor = actor_for(session, token, now, touch=False)
        viewer = review.get_event_for_viewer(session, actor=actor, slug=slug, now=now)
        event = session.get(Event, viewer.detail.event_id)
        assert event is not None
        return viewer, participation.rsvp_panel(session, actor=actor, event=event, now=now)


def load_rsvp_panel(*, token: object, event_id: object) -> RsvpPanel:
    """Only the RSVP panel, read afresh after an RSVP action (the rest of the page
    has not changed)."""
    now = _now()
    with read_session() as session:
        actor = actor_for(session, token, now, touch=False)
        event = session.get(Event, as_id(event_id))
        if event is None or not proposals.can_view_event(actor, event):
            raise NotFound("event_not_found")
        return participation.rsvp_panel(session, actor=actor, event=event, now=now)


def sign_up(*, token: object, event_id: object, tier_id: object) -> RsvpOutcome:
    return act_as(token, rsvps.rsvp, event_id=event_id, tier_id=tier_id)


def cancel_rsvp(*, token: object, event_id: object) -> None:
    act_as(token, rsvps.cancel_rsvp, event_id=event_id)


def join_series(*, token: object, event_id: object, tier_id: object) -> SeriesSignup:
    return act_as(token, rsvps.join_every_occurrence, event_id=event_id, tier_id=tier_id)


def load_form(*, token: object, slug: str) -> EditableEvent:
    with write_session() as session:
        actor = actor_for(session, token, _now())
        return review.get_event_for_editing(session, actor=actor, slug=slug)


def proposing_groups(*, token: object) -> list[GroupChoice]:
    with write_session() as session:
        actor = actor_for(session, token, _now())
        return review.groups_for_proposing(session, actor=actor)


def save_event(
    *,
    token: object,
    event_id: int | None,
    group_id: object,
    form: Mapping[str, object],
    intent: str,
    scope: str = "this",
) -> str:
    """Create or update the event, then submit or publish it if asked; returns its slug.
    It all happens in one transaction: a refused submission saves nothing either, and
    the browser keeps what was typed."""
    if intent not in INTENTS:
        raise DomainError("invalid_intent")
    if scope not in ("this", "following"):
        raise DomainError("invalid_scope")
    now = _now()
    with write_session() as session:
        actor = actor_for(session, token, now)
        if event_id is None:
            event = event_editing.create_event_draft(
                session, actor=actor, group_id=group_id, form=form, now=now
            )
        elif scope == "following":
            series.update_this_and_following(
                session, actor=actor, event_id=event_id, form=form, now=now
            )
            event = proposals.locked_event(session, event_id)
        else:
            event_editing.update_event(session, actor=actor, event_id=event_id, form=form, now=now)
            event = proposals.locked_event(session, event_id)
        target = INTENTS[intent]
        if target is not None and target != event.status:
            proposals.change_status(
                session, actor=actor, event_id=event.id or 0, to=target, now=now
            )
        return event.slug


def move(*, token: object, event_id: object, to: object, reason: object) -> None:
    act_as(token, proposals.change_status, event_id=event_id, to=to, reason=reason)


def duplicate(*, token: object, event_id: object) -> str:
    return act_as(token, event_editing.duplicate_event, event_id=event_id).slug


def post_recap(*, token: object, event_id: object, summary: object, links: object) -> None:
    act_as(token, recaps.post_recap, event_id=event_id, summary=summary, links=links)


def repeat(*, token: object, event_id: object, rule: Mapping[str, object]) -> int:
    """Turn the event into a series; returns how many occurrences were added."""
    return act_as(token, series.repeat_event, event_id=event_id, rule=rule).created


def my_proposals(*, token: object) -> list[ProposalRow]:
    with write_session() as session:
        return review.list_my_proposals(session, actor=actor_for(session, token, _now()))


def review_queue(
    *, token: object, show: str, group_id: int | None
) -> tuple[list[ProposalRow], list[GroupChoice]]:
    with write_session() as session:
        actor = actor_for(session, token, _now())
        rows = review.list_review_queue(session, actor=actor, show=show, group_id=group_id)
        return rows, review.groups_for_reviewing(session, actor=actor)


def decide_many(*, token: object, event_ids: object, to: object, reason: object) -> BulkResult:
    return act_as(
        token,
        review.decide_many,
        event_ids=event_ids,
        to=to,
        reason=reason,
    )
