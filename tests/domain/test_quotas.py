"""Per-member quotas: drafts, proposals waiting for review per group, ideas per hour;
organisers are not capped in their own group. A burst of submissions is one notice."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from community_app.domain.enums import EventStatus, NotificationKind
from community_app.domain.errors import DomainError
from community_app.domain.event_editing import create_event_draft
from community_app.domain.idea_posting import post_idea
from community_app.domain.models import Member, Notification
from community_app.domain.notifications import mark_all_read
from community_app.domain.permissions import load_actor
from community_app.domain.proposals import change_status
from community_app.domain.quotas import (
    IDEAS_PER_HOUR,
    MAX_OPEN_DRAFTS,
    MAX_PENDING_PROPOSALS_PER_GROUP,
)
from tests.domain.group_world import build_world, make_membership, make_organiser
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


def _submitted_notices(session: Session, member_id: int) -> list[str]:
    rows = session.exec(
        select(Notification)
        .where(
            Notification.member_id == member_id,
            Notification.kind == NotificationKind.PROPOSAL_SUBMITTED,
        )
        .order_by(col(Notification.id))
    ).all()
    return [row.message_en for row in rows]


def test_a_burst_of_submissions_reaches_each_organiser_as_one_notice(session: Session) -> None:
    world = build_world(session)
    member = world.actor(session, "member")
    for number in range(5):
        draft = make_proposal(
            session,
            group_id=world.group.id,
            proposer=world.member,
            status=EventStatus.DRAFT,
            title=f"提案 {number}",
        )
        moment = NOW + timedelta(minutes=number)
        change_status(
            session, actor=member, event_id=draft.id, to=EventStatus.SUBMITTED, now=moment
        )

    for organiser in (world.organiser, world.co_organiser):
        # On main: five notices, one per submission, in every organiser's bell.
        assert _submitted_notices(session, organiser.id) == [
            "5 event proposals arrived, the latest “提案 4”."
        ]


def test_a_read_notice_or_another_member_starts_a_new_notice(session: Session) -> None:
    world = build_world(session)

    def submit(proposer: Member, title: str, minutes: int) -> None:
        draft = make_proposal(
            session,
            group_id=world.group.id,
            proposer=proposer,
            status=EventStatus.DRAFT,
            title=title,
        )
        actor = load_actor(session, member_id=proposer.id)
        moment = NOW + timedelta(minutes=minutes)
        change_status(session, actor=actor, event_id=draft.id, to=EventStatus.SUBMITTED, now=moment)

    submit(world.member, "一つ目", 0)
    mark_all_read(session, actor=world.actor(session, "organiser"), now=NOW)
    submit(world.member, "二つ目", 1)
    submit(world.target, "別の人", 2)
    submit(world.member, "三つ目", 90)  # past the hour: a new burst

    assert _submitted_notices(session, world.organiser.id) == [
        "New event proposal: “一つ目”.",
        "New event proposal: “二つ目”.",
        "New event proposal: “別の人”.",
        "New event proposal: “三つ目”.",
    ]
