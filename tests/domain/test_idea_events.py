"""Turning an idea into an event: the pre-filled draft, the review, and who is told."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, select

from community_app.domain.enums import EventStatus, IdeaStatus, NotificationKind
from community_app.domain.errors import DomainError, PermissionDenied
from community_app.domain.idea_board import list_ideas
from community_app.domain.idea_detail import get_idea_detail, idea_link_for_event
from community_app.domain.idea_events import turn_idea_into_event
from community_app.domain.idea_posting import join_idea, post_idea
from community_app.domain.ideas import archive_idea
from community_app.domain.models import Event, EventHost, EventTag, Notification
from community_app.domain.notifications import list_notifications
from community_app.domain.permissions import load_actor
from community_app.domain.proposals import change_status
from community_app.domain.review import form_values
from tests.domain.group_world import World, build_world
from tests.domain.idea_world import group_members, make_idea, support_by
from tests.factories import make_member

pytestmark = pytest.mark.integration
I = IdeaStatus  # noqa: E741


def _as(session: Session, member):  # type: ignore[no-untyped-def]
    return load_actor(session, member_id=member.id)


def _ready_idea(session: Session, world: World, now: datetime):  # type: ignore[no-untyped-def]
    idea = make_idea(session, world, now)
    supporters = group_members(session, world, 3)
    support_by(session, idea, supporters, now)
    join_idea(session, actor=_as(session, world.target), idea_id=idea.id, role="speaker", now=now)
    join_idea(
        session, actor=_as(session, supporters[0]), idea_id=idea.id, role="会場 | 公民館", now=now
    )
    return idea, supporters


def test_the_draft_is_pre_filled_from_the_idea(session: Session, now: datetime) -> None:
    world = build_world(session)
    idea, supporters = _ready_idea(session, world, now)

    ref = turn_idea_into_event(
        session, actor=_as(session, world.organiser), idea_id=idea.id, now=now
    )

    event = session.get(Event, ref.event_id)
    assert event is not None
    assert (event.status, event.idea_id, event.group_id) == (
        EventStatus.DRAFT,
        idea.id,
        world.group.id,
    )
    assert event.proposer_id == world.organiser.id
    assert event.title == idea.title
    assert event.description.startswith(idea.description)
    assert idea.help_needed in event.description
    assert event.starts_at > now
    tags = session.exec(select(EventTag.tag).where(EventTag.event_id == event.id)).all()
    assert sorted(tags) == ["python", "初心者"]
    hosts = session.exec(select(EventHost).where(EventHost.event_id == event.id)).all()
    assert [(h.name, h.role.value) for h in hosts] == [
        (world.target.display_name, "speaker"),
        (supporters[0].display_name, "host"),
    ]
    # The edit page shows exactly these values.
    assert form_values(session, event)["title"] == idea.title


def test_converting_tells_supporters_and_joiners_but_not_the_organiser(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea, supporters = _ready_idea(session, world, now)
    before = {n.id for n in session.exec(select(Notification)).all()}

    turn_idea_into_event(session, actor=_as(session, world.organiser), idea_id=idea.id, now=now)

    told = [n.member_id for n in session.exec(select(Notification)).all() if n.id not in before]
    assert sorted(told) == sorted([world.member.id, world.target.id, *(m.id for m in supporters)])


def test_publishing_schedules_the_idea_and_sends_a_link_to_sign_up(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea, supporters = _ready_idea(session, world, now)
    organiser = _as(session, world.organiser)
    ref = turn_idea_into_event(session, actor=organiser, idea_id=idea.id, now=now)
    bystander = group_members(session, world, 1)[0]

    change_status(session, actor=organiser, event_id=ref.event_id, to=EventStatus.APPROVED, now=now)

    assert idea.status == I.SCHEDULED
    scheduled = session.exec(
        select(Notification).where(Notification.kind == NotificationKind.IDEA_SCHEDULED)
    ).all()
    assert sorted(n.member_id for n in scheduled) == sorted(
        [world.member.id, world.target.id, *(m.id for m in supporters)]
    )
    assert bystander.id not in {n.member_id for n in scheduled}
    inbox = list_notifications(session, actor=_as(session, supporters[1]))
    assert inbox[0].link == f"/events/{ref.slug}"


def test_the_idea_is_done_once_its_event_has_taken_place(session: Session, now: datetime) -> None:
    world = build_world(session)
    idea, _ = _ready_idea(session, world, now)
    organiser = _as(session, world.organiser)
    ref = turn_idea_into_event(session, actor=organiser, idea_id=idea.id, now=now)
    change_status(session, actor=organiser, event_id=ref.event_id, to=EventStatus.APPROVED, now=now)
    event = session.get(Event, ref.event_id)
    assert event is not None
    later = event.ends_at + timedelta(minutes=1)

    assert (
        get_idea_detail(session, actor=organiser, slug=idea.slug, now=now).card.status
        == I.SCHEDULED
    )
    assert (
        get_idea_detail(session, actor=organiser, slug=idea.slug, now=later).card.status == I.DONE
    )
    done = list_ideas(session, now=later, status="done")
    assert [card.id for card in done.cards] == [idea.id]
    assert list_ideas(session, now=later, status="scheduled").total == 0


def test_cancelling_the_only_event_returns_the_idea_to_ready(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea, _ = _ready_idea(session, world, now)
    organiser = _as(session, world.organiser)
    ref = turn_idea_into_event(session, actor=organiser, idea_id=idea.id, now=now)
    change_status(session, actor=organiser, event_id=ref.event_id, to=EventStatus.APPROVED, now=now)

    change_status(
        session,
        actor=organiser,
        event_id=ref.event_id,
        to=EventStatus.CANCELLED,
        reason="講師の都合",
        now=now,
    )

    assert idea.status == I.READY


def test_an_idea_can_lead_to_a_series_of_events_linked_both_ways(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea, _ = _ready_idea(session, world, now)
    organiser = _as(session, world.organiser)
    first = turn_idea_into_event(session, actor=organiser, idea_id=idea.id, now=now)
    change_status(
        session, actor=organiser, event_id=first.event_id, to=EventStatus.APPROVED, now=now
    )
    second = turn_idea_into_event(session, actor=organiser, idea_id=idea.id, now=now)

    detail = get_idea_detail(session, actor=organiser, slug=idea.slug, now=now)
    assert {e.slug for e in detail.events} == {first.slug, second.slug}
    visitor = get_idea_detail(
        session, actor=load_actor(session, member_id=None), slug=idea.slug, now=now
    )
    assert [e.slug for e in visitor.events] == [first.slug]  # the draft stays private
    assert idea_link_for_event(session, actor=organiser, event_slug=second.slug) == (
        idea.slug,
        idea.title,
    )
    visitor_actor = load_actor(session, member_id=None)
    assert idea_link_for_event(session, actor=visitor_actor, event_slug=second.slug) is None
    assert idea_link_for_event(session, actor=visitor_actor, event_slug=first.slug) is not None


def test_an_archived_idea_cannot_be_converted(session: Session, now: datetime) -> None:
    world = build_world(session)
    idea, _ = _ready_idea(session, world, now)
    organiser = _as(session, world.organiser)
    archive_idea(session, actor=organiser, idea_id=idea.id, reason="終了", now=now)
    with pytest.raises(DomainError) as raised:
        turn_idea_into_event(session, actor=organiser, idea_id=idea.id, now=now)
    assert raised.value.code == "idea_archived"
    assert session.exec(select(Event)).all() == []


def test_authors_convert_only_when_the_group_allows_and_the_idea_is_ready(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    author = _as(session, world.member)
    with pytest.raises(PermissionDenied):
        turn_idea_into_event(session, actor=author, idea_id=idea.id, now=now)
    world.group.authors_convert_ideas = True
    with pytest.raises(DomainError) as raised:
        turn_idea_into_event(session, actor=author, idea_id=idea.id, now=now)
    assert raised.value.code == "idea_not_ready"

    support_by(session, idea, group_members(session, world, 3), now)
    ref = turn_idea_into_event(session, actor=author, idea_id=idea.id, now=now)
    assert session.get(Event, ref.event_id).proposer_id == world.member.id  # type: ignore[union-attr]


def test_a_site_wide_idea_goes_to_a_group_the_organiser_reviews(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    author = make_member(session)
    ref = post_idea(
        session,
        actor=_as(session, author),
        title="まちの縁側",
        description="",
        help_needed="",
        tags="",
        now=now,
    )
    organiser = _as(session, world.organiser)
    with pytest.raises(PermissionDenied):
        turn_idea_into_event(
            session, actor=organiser, idea_id=ref.id, group_id=world.other_group.id, now=now
        )
    with pytest.raises(DomainError):
        turn_idea_into_event(session, actor=organiser, idea_id=ref.id, now=now)  # no group
    made = turn_idea_into_event(
        session, actor=organiser, idea_id=ref.id, group_id=world.group.id, now=now
    )
    assert session.get(Event, made.event_id).group_id == world.group.id  # type: ignore[union-attr]


def test_an_idea_notice_without_a_public_event_links_to_the_idea(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea, supporters = _ready_idea(session, world, now)
    turn_idea_into_event(session, actor=_as(session, world.organiser), idea_id=idea.id, now=now)
    inbox = list_notifications(session, actor=_as(session, supporters[2]))
    assert inbox[0].link == f"/ideas/{idea.slug}"
