"""Per-member quotas: drafts, proposals waiting for review per group, ideas per hour;
organisers are not capped in their own group."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session

from community_app.domain.enums import EventStatus
from community_app.domain.errors import DomainError
from community_app.domain.event_editing import create_event_draft
from community_app.domain.idea_posting import post_idea
from community_app.domain.permissions import load_actor
from community_app.domain.proposals import change_status
from community_app.domain.quotas import (
    IDEAS_PER_HOUR,
    MAX_OPEN_DRAFTS,
    MAX_PENDING_PROPOSALS_PER_GROUP,
)
from tests.domain.group_world import make_membership, make_organiser
from tests.domain.proposal_world import event_form, make_proposal
from tests.factories import make_group, make_member

pytestmark = pytest.mark.integration
NOW = datetime.fromisoformat("2026-11-20T12:00:00+00:00")


def _refusal(action: object) -> str:
    with pytest.raises(DomainError) as raised:
        action()  # type: ignore[operator]
    return raised.value.code


def test_a_member_with_thirty_drafts_is_asked_to_submit_or_delete_some(
    session: Session,
) -> None:
    group = make_group(session)
    member = make_member(session)
    make_membership(session, group=group, member=member)
    actor = load_actor(session, member_id=member.id)
    for _ in range(MAX_OPEN_DRAFTS - 1):
        make_proposal(session, group_id=group.id, proposer=member, status=EventStatus.DRAFT)
    create_event_draft(session, actor=actor, group_id=group.id, form=event_form(), now=NOW)

    refused = _refusal(
        lambda: create_event_draft(
            session, actor=actor, group_id=group.id, form=event_form(), now=NOW
        )
    )
    assert refused == "too_many_drafts"
    organiser = load_actor(session, member_id=make_organiser(session, group).id)
    for _ in range(MAX_OPEN_DRAFTS + 1):  # organisers prepare whole seasons
        create_event_draft(session, actor=organiser, group_id=group.id, form=event_form(), now=NOW)


def test_submissions_waiting_for_review_are_capped_per_group(session: Session) -> None:
    group, other = make_group(session), make_group(session)
    member = make_member(session)
    make_membership(session, group=group, member=member)
    make_membership(session, group=other, member=member)
    actor = load_actor(session, member_id=member.id)
    for _ in range(MAX_PENDING_PROPOSALS_PER_GROUP):
        make_proposal(session, group_id=group.id, proposer=member, status=EventStatus.SUBMITTED)
    draft = make_proposal(session, group_id=group.id, proposer=member, status=EventStatus.DRAFT)
    elsewhere = make_proposal(session, group_id=other.id, proposer=member, status=EventStatus.DRAFT)

    refused = _refusal(
        lambda: change_status(
            session, actor=actor, event_id=draft.id, to=EventStatus.SUBMITTED, now=NOW
        )
    )
    assert refused == "too_many_pending_proposals"
    change_status(session, actor=actor, event_id=elsewhere.id, to=EventStatus.SUBMITTED, now=NOW)


def test_ideas_are_capped_per_hour(session: Session) -> None:
    actor = load_actor(session, member_id=make_member(session).id)

    def post(now: datetime) -> object:
        return post_idea(
            session,
            actor=actor,
            title="やってみたい",
            description="",
            help_needed="",
            tags="",
            now=now,
        )

    for minute in range(IDEAS_PER_HOUR):
        post(NOW + timedelta(minutes=minute))
    assert _refusal(lambda: post(NOW + timedelta(minutes=30))) == "too_many_ideas"
    post(NOW + timedelta(hours=1))  # the first of the burst has left the hour
