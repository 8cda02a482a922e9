"""Drafting, editing and duplicating events: slugs, sequence bumps, notices, tiers."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from community_app.domain.enums import EventStatus, NotificationKind, RsvpStatus
from community_app.domain.errors import DomainError, PermissionDenied
from community_app.domain.event_editing import create_event_draft, duplicate_event, update_event
from community_app.domain.models import (
    AgendaItem,
    Event,
    EventHost,
    EventTag,
    Notification,
    ParticipationTier,
    Rsvp,
)
from community_app.domain.review import form_values, get_event_for_viewer
from tests.domain.group_world import build_world
from tests.domain.proposal_world import add_rsvp, event_form, make_proposal

pytestmark = pytest.mark.unit
S = EventStatus


def _draft(session: Session, now: datetime, **overrides: str) -> Event:
    world = build_world(session)
    actor = world.actor(session, "member")
    return create_event_draft(
        session, actor=actor, group_id=world.group.id, form=event_form(**overrides), now=now
    )


def test_a_draft_gets_a_readable_japanese_slug_and_its_details(
    session: Session, now: datetime
) -> None:
    event = _draft(session, now)

    assert event.slug == "python-勉強会-3"
    assert event.status == S.DRAFT and event.sequence == 0
    assert len(session.exec(select(EventHost).where(EventHost.event_id == event.id)).all()) == 1
    assert len(session.exec(select(AgendaItem).where(AgendaItem.event_id == event.id)).all()) == 2
    tags = session.exec(select(EventTag.tag).where(EventTag.event_id == event.id)).all()
    assert sorted(tags) == ["python", "データ分析"]


def test_colliding_titles_get_numbered_slugs(session: Session, now: datetime) -> None:
    world = build_world(session)
    actor = world.actor(session, "member")
    slugs = [
        create_event_draft(
            session, actor=actor, group_id=world.group.id, form=event_form(), now=now
        ).slug
        for _ in range(3)
    ]
    assert slugs == ["python-勉強会-3", "python-勉強会-3-2", "python-勉強会-3-3"]


def test_the_slug_stays_when_the_title_changes(session: Session, now: datetime) -> None:
    world = build_world(session)
    actor = world.actor(session, "member")
    event = create_event_draft(
        session, actor=actor, group_id=world.group.id, form=event_form(), now=now
    )

    update_event(
        session, actor=actor, event_id=event.id, form=event_form(title="データ分析入門"), now=now
    )

    assert (event.title, event.slug) == ("データ分析入門", "python-勉強会-3")


def test_a_new_event_may_not_start_in_the_past(session: Session, now: datetime) -> None:
    with pytest.raises(DomainError, match="starts_in_past"):
        _draft(session, now, start_date="2026-11-01", end_date="2026-11-01")


def test_members_propose_only_in_their_own_groups(session: Session, now: datetime) -> None:
    world = build_world(session)
    with pytest.raises(PermissionDenied):
        create_event_draft(
            session,
            actor=world.actor(session, "member"),
            group_id=world.other_group.id,
            form=event_form(),
            now=now,
        )


def _edit(session: Session, now: datetime, **changes: str):  # type: ignore[no-untyped-def]
    world = build_world(session)
    event = make_proposal(
        session, group_id=world.group.id, proposer=world.member, status=S.APPROVED
    )
    organiser = world.actor(session, "organiser")
    values = form_values(session, event) | {"venue_name": "会場", "tiers": "", "hosts": ""}
    update_event(session, actor=organiser, event_id=event.id, form=values, now=now)
    going = add_rsvp(session, event, world.target, RsvpStatus.GOING)
    before = session.get(Event, event.id).sequence
    result = update_event(
        session,
        actor=organiser,
        event_id=event.id,
        form=form_values(session, event) | changes,
        now=now + timedelta(minutes=5),
    )
    return event, before, result, going


def test_a_title_or_description_edit_does_not_bump_the_sequence(
    session: Session, now: datetime
) -> None:
    event, before, result, _ = _edit(session, now, title="新タイトル", description="本文を更新")

    assert event.sequence == before
    assert result.material == () and result.notified == 0
    assert event.updated_at == now + timedelta(minutes=5)


@pytest.mark.parametrize(
    "changes",
    [
        {"start_time": "22:00", "end_time": "23:00"},
        {"venue_name": "新しい会場"},
        {"join_url": "https://meet.example.com/new-room"},
        {"format": "in_person"},
    ],
    ids=["time", "place", "join-url", "format"],
)
def test_a_material_change_bumps_the_sequence_and_tells_people_going(
    session: Session, now: datetime, changes: dict[str, str]
) -> None:
    event, before, result, going = _edit(session, now, **changes)

    assert event.sequence == before + 1
    assert result.notified == 1
    notice = session.exec(
        select(Notification).where(Notification.kind == NotificationKind.EVENT_CHANGED)
    ).one()
    assert notice.member_id == going.member_id and event.title in notice.message


def test_edits_before_publication_never_bump_the_sequence(session: Session, now: datetime) -> None:
    world = build_world(session)
    actor = world.actor(session, "member")
    event = create_event_draft(
        session, actor=actor, group_id=world.group.id, form=event_form(), now=now
    )

    update_event(
        session, actor=actor, event_id=event.id, form=event_form(start_time="18:00"), now=now
    )

    assert event.sequence == 0


@pytest.mark.parametrize(
    ("status", "role", "allowed"),
    [
        (S.DRAFT, "member", True),
        (S.SUBMITTED, "member", True),
        (S.CHANGES_REQUESTED, "member", True),
        (S.APPROVED, "member", False),
        (S.SUBMITTED, "organiser", True),
        (S.APPROVED, "organiser", True),
        (S.DRAFT, "organiser", False),
        (S.REJECTED, "organiser", False),
        (S.CANCELLED, "admin", False),
        (S.SUBMITTED, "target", False),
        (S.SUBMITTED, "other_organiser", False),
        (S.APPROVED, "visitor", False),
    ],
)
def test_who_may_edit_depends_on_the_status(
    session: Session, now: datetime, status: EventStatus, role: str, allowed: bool
) -> None:
    world = build_world(session)
    event = make_proposal(session, group_id=world.group.id, proposer=world.member, status=status)
    form = form_values(session, event) | {"summary": "編集しました"}
    actor = world.actor(session, role)

    if allowed:
        update_event(session, actor=actor, event_id=event.id, form=form, now=now)
        assert session.get(Event, event.id).summary == "編集しました"
    else:
        with pytest.raises(PermissionDenied):
            update_event(session, actor=actor, event_id=event.id, form=form, now=now)


def test_a_tier_that_holds_places_cannot_be_removed(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = make_proposal(
        session, group_id=world.group.id, proposer=world.member, status=S.APPROVED
    )
    add_rsvp(session, event, world.target, RsvpStatus.GOING)
    form = form_values(session, event) | {"tiers": "別の枠 | 10"}

    with pytest.raises(DomainError, match="tier_has_rsvps"):
        update_event(
            session, actor=world.actor(session, "organiser"), event_id=event.id, form=form, now=now
        )


def test_tiers_are_matched_by_name_and_keep_their_places(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = make_proposal(
        session, group_id=world.group.id, proposer=world.member, status=S.APPROVED
    )
    rsvp = add_rsvp(session, event, world.target, RsvpStatus.GOING)
    tier = session.get(ParticipationTier, rsvp.tier_id)
    form = form_values(session, event) | {"tiers": f"{tier.name} | 50\n新しい枠 | 5"}

    update_event(
        session, actor=world.actor(session, "organiser"), event_id=event.id, form=form, now=now
    )

    tiers = session.exec(
        select(ParticipationTier)
        .where(ParticipationTier.event_id == event.id)
        .order_by(col(ParticipationTier.position))
    ).all()
    assert [(t.id == tier.id, t.capacity) for t in tiers] == [(True, 50), (False, 5)]
    assert session.get(Rsvp, rsvp.id).tier_id == tier.id


def test_duplicating_copies_details_and_tiers_but_no_places(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = make_proposal(
        session,
        group_id=world.group.id,
        proposer=world.member,
        status=S.APPROVED,
        starts_at=now - timedelta(days=10),
        ends_at=now - timedelta(days=10) + timedelta(hours=2),
    )
    session.add(ParticipationTier(event_id=event.id, name="会場", capacity=20))
    add_rsvp(session, event, world.target, RsvpStatus.GOING)

    copy = duplicate_event(
        session, actor=world.actor(session, "organiser"), event_id=event.id, now=now
    )

    assert copy.status == S.DRAFT and copy.uid != event.uid and copy.slug != event.slug
    assert copy.proposer_id == world.organiser.id
    assert copy.starts_at > now and (copy.starts_at - event.starts_at) % timedelta(weeks=1) == (
        timedelta(0)
    )
    names = session.exec(
        select(ParticipationTier.name).where(ParticipationTier.event_id == copy.id)
    ).all()
    assert "会場" in names
    assert session.exec(select(Rsvp).where(Rsvp.event_id == copy.id)).all() == []


def test_the_viewer_read_never_carries_the_join_url(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = make_proposal(
        session, group_id=world.group.id, proposer=world.member, status=S.SUBMITTED
    )

    seen = get_event_for_viewer(
        session, actor=world.actor(session, "organiser"), slug=event.slug, now=now
    )

    assert "secret-room" not in repr(seen)
    assert S.APPROVED in seen.moves and seen.can_edit


def test_tier_options_round_trip_through_the_edit_form(session: Session, now: datetime) -> None:
    from community_app.domain.enums import TierAllocation

    world = build_world(session)
    actor = world.actor(session, "organiser")
    tiers = "抽選枠 | 10 | 抽選 2026-12-01 12:00\n相談枠 | 3 | 承認制 | 締切 2026-12-04 23:00"
    event = create_event_draft(
        session, actor=actor, group_id=world.group.id, form=event_form(tiers=tiers), now=now
    )

    saved = session.exec(
        select(ParticipationTier)
        .where(ParticipationTier.event_id == event.id)
        .order_by(col(ParticipationTier.position))
    ).all()
    assert [t.allocation for t in saved] == [TierAllocation.LOTTERY, TierAllocation.FIRST_COME]
    assert form_values(session, event)["tiers"] == tiers
