"""Groups: the public list and page, creating and editing, and refusing bad input."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from community_app.domain.enums import EventStatus, GroupRole, JoinPolicy, MembershipStatus
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.groups import create_group, get_group_page, list_groups, update_group
from community_app.domain.memberships import list_join_requests, list_members
from community_app.domain.models import AuditLogEntry, Group
from community_app.domain.permissions import VISITOR, load_actor
from tests.domain.group_world import build_world, make_membership, make_organiser, snapshot
from tests.factories import START, make_event, make_group, make_member

pytestmark = pytest.mark.unit


def _admin(session: Session) -> Any:
    return load_actor(session, member_id=make_member(session, is_admin=True).id)


# --- reads ----------------------------------------------------------------------------


def test_list_groups_counts_active_members_and_upcoming_events_by_name(
    session: Session, now: datetime
) -> None:
    busy = make_group(session, name="B 勉強会", join_policy=JoinPolicy.APPROVAL)
    quiet = make_group(session, name="A 夜カフェ")
    for status in (
        MembershipStatus.ACTIVE,
        MembershipStatus.ACTIVE,
        MembershipStatus.PENDING,
        MembershipStatus.DECLINED,
    ):
        make_membership(session, group=busy, member=make_member(session), status=status)
    make_organiser(session, busy)
    make_event(session, group_id=busy.id)
    make_event(
        session,
        group_id=busy.id,
        starts_at=START + timedelta(days=7),
        ends_at=START + timedelta(days=7, hours=1),
    )
    make_event(session, group_id=busy.id, status=EventStatus.SUBMITTED, published_at=None)
    make_event(
        session,
        group_id=busy.id,
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2) + timedelta(hours=1),
    )

    cards = list_groups(session, now=now)

    assert [(c.slug, c.member_count, c.upcoming_count) for c in cards] == [
        (quiet.slug, 0, 0),
        (busy.slug, 3, 2),
    ]
    assert cards[1].join_policy == JoinPolicy.APPROVAL


def test_group_page_shows_organisers_upcoming_events_and_the_viewer(
    session: Session, now: datetime
) -> None:
    group = make_group(session, timezone="Asia/Tokyo")
    make_organiser(session, group, display_name="山田")
    make_organiser(session, group, display_name="佐藤")
    former = make_member(session, display_name="元運営")
    make_membership(
        session,
        group=group,
        member=former,
        role=GroupRole.ORGANISER,
        status=MembershipStatus.DECLINED,
    )
    soon = make_event(session, group_id=group.id)
    make_event(session)  # another group's event
    make_event(session, group_id=group.id, status=EventStatus.DRAFT, published_at=None)
    viewer = make_member(session)
    make_membership(session, group=group, member=viewer, status=MembershipStatus.PENDING)

    page = get_group_page(
        session, slug=group.slug, actor=load_actor(session, member_id=viewer.id), now=now
    )

    assert page.organisers == ("佐藤", "山田")
    assert [card.slug for card in page.upcoming] == [soon.slug]
    assert page.card.upcoming_count == 1 and page.card.member_count == 2
    assert page.viewer_status == MembershipStatus.PENDING
    assert not page.viewer_is_organiser and not page.viewer_can_manage


def test_group_page_tells_an_organiser_and_a_visitor_apart(session: Session, now: datetime) -> None:
    group = make_group(session)
    organiser = make_organiser(session, group)

    as_organiser = get_group_page(
        session, slug=group.slug, actor=load_actor(session, member_id=organiser.id), now=now
    )
    as_visitor = get_group_page(session, slug=group.slug, actor=VISITOR, now=now)

    assert as_organiser.viewer_status == MembershipStatus.ACTIVE
    assert as_organiser.viewer_is_organiser and as_organiser.viewer_can_manage
    assert as_visitor.viewer_status is None
    assert not as_visitor.viewer_is_organiser and not as_visitor.viewer_can_manage


@pytest.mark.parametrize("slug", ["no-such-group", "", None, ["group-1"], 1])
def test_an_unknown_group_page_is_not_found(session: Session, now: datetime, slug: Any) -> None:
    make_group(session, slug="group-1")
    with pytest.raises(NotFound) as raised:
        get_group_page(session, slug=slug, actor=VISITOR, now=now)
    assert raised.value.code == "group_not_found"


def test_read_models_never_carry_emails_or_password_hashes(session: Session, now: datetime) -> None:
    world = build_world(session)
    actor = world.actor(session, "organiser")
    make_event(session, group_id=world.group.id)
    models: list[Any] = [
        *list_groups(session, now=now),
        get_group_page(session, slug=world.group.slug, actor=actor, now=now),
        *list_join_requests(session, actor=actor, group_id=world.group.id),
        *list_members(session, actor=actor, group_id=world.group.id),
    ]
    text = repr([dataclasses.asdict(model) for model in models])
    members = [world.member, world.organiser, world.co_organiser, world.applicant, world.target]

    assert world.organiser.display_name in text and world.applicant.display_name in text
    for member in members:
        assert member.email not in text
        assert member.password_hash not in text
    assert "@example.org" not in text and "not-a-real-hash" not in text


# --- create and update ---------------------------------------------------------------


def test_an_admin_creates_a_group_with_a_slug_from_its_name(
    session: Session, now: datetime
) -> None:
    actor = _admin(session)
    first = create_group(
        session,
        actor=actor,
        name="  Python 勉強会  ",
        now=now,
        join_policy=JoinPolicy.APPROVAL,
        timezone="Europe/Paris",
    )
    second = create_group(session, actor=actor, name="Python 勉強会", now=now)

    assert (first.name, first.slug, first.timezone) == (
        "Python 勉強会",
        "python-勉強会",
        "Europe/Paris",
    )
    assert first.join_policy == JoinPolicy.APPROVAL
    assert second.slug == "python-勉強会-2"
    entries = session.exec(select(AuditLogEntry)).all()
    assert [(e.action, e.target_id, e.actor_id) for e in entries] == [
        ("create_group", first.id, actor.member_id),
        ("create_group", second.id, actor.member_id),
    ]


def test_an_explicit_slug_that_is_taken_is_refused(session: Session, now: datetime) -> None:
    make_group(session, slug="kiryu")
    actor = _admin(session)
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        create_group(session, actor=actor, name="桐生", slug="Kiryu", now=now)
    assert raised.value.code == "slug_taken"
    assert snapshot(session) == before


def test_join_policy_may_be_given_as_its_string_value(session: Session, now: datetime) -> None:
    group = create_group(session, actor=_admin(session), name="会", join_policy="approval", now=now)
    assert group.join_policy is JoinPolicy.APPROVAL


GOOD = {
    "name": "会",
    "name_en": "",
    "description": "",
    "description_en": "",
    "timezone": "Asia/Tokyo",
    "join_policy": JoinPolicy.OPEN,
}
BAD_FIELDS = [
    ("name", "", "invalid_group_name"),
    ("name", "   ", "invalid_group_name"),
    ("name", "x" * 10_000, "invalid_group_name"),
    ("name", "x" * 121, "invalid_group_name"),
    ("name", None, "invalid_group_name"),
    ("name", 42, "invalid_group_name"),
    ("name", ["会"], "invalid_group_name"),
    ("name_en", "x" * 10_000, "invalid_group_name_en"),
    ("name_en", None, "invalid_group_name_en"),
    ("description", "x" * 20_001, "invalid_description"),
    ("description", {"text": "x"}, "invalid_description"),
    ("description_en", 3.5, "invalid_description_en"),
    ("timezone", "Mars/Olympus_Mons", "invalid_timezone"),
    ("timezone", "", "invalid_timezone"),
    ("timezone", "../../etc/passwd", "invalid_timezone"),
    ("timezone", None, "invalid_timezone"),
    ("join_policy", "public", "invalid_join_policy"),
    ("join_policy", "", "invalid_join_policy"),
    ("join_policy", None, "invalid_join_policy"),
    ("join_policy", 1, "invalid_join_policy"),
]


@pytest.mark.parametrize(("field", "value", "code"), BAD_FIELDS)
def test_create_group_refuses_bad_input_and_stores_nothing(
    session: Session, now: datetime, field: str, value: Any, code: str
) -> None:
    actor = _admin(session)
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        create_group(session, actor=actor, now=now, **(GOOD | {field: value}))
    assert raised.value.code == code
    assert snapshot(session) == before


@pytest.mark.parametrize("slug", ["x" * 10_000, None, 7])
def test_create_group_refuses_a_malformed_slug(session: Session, now: datetime, slug: Any) -> None:
    actor = _admin(session)
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        create_group(session, actor=actor, name="会", slug=slug, now=now)
    assert raised.value.code == "invalid_slug"
    assert snapshot(session) == before


@pytest.mark.parametrize(("field", "value", "code"), BAD_FIELDS)
def test_update_group_refuses_bad_input_and_changes_nothing(
    session: Session, now: datetime, field: str, value: Any, code: str
) -> None:
    group = make_group(session)
    actor = load_actor(session, member_id=make_organiser(session, group).id)
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        update_group(session, actor=actor, group_id=group.id, now=now, **(GOOD | {field: value}))
    assert raised.value.code == code
    assert snapshot(session) == before


def test_an_organiser_edits_their_group_and_the_slug_stays(session: Session, now: datetime) -> None:
    group = make_group(session, slug="kosodate", name="子育て")
    actor = load_actor(session, member_id=make_organiser(session, group).id)
    later = now + timedelta(hours=1)

    update_group(
        session,
        actor=actor,
        group_id=group.id,
        name="子育てパパママ",
        name_en="Parents",
        description="毎週土曜",
        description_en="Every Saturday",
        timezone="Asia/Tokyo",
        join_policy=JoinPolicy.APPROVAL,
        now=later,
    )

    stored = session.get(Group, group.id)
    assert stored is not None
    assert (stored.slug, stored.name, stored.name_en, stored.join_policy, stored.updated_at) == (
        "kosodate",
        "子育てパパママ",
        "Parents",
        JoinPolicy.APPROVAL,
        later,
    )
    entry = session.exec(select(AuditLogEntry)).one()
    assert (entry.action, entry.target_id) == ("update_group", group.id)
    assert entry.detail == "name,name_en,description,description_en,join_policy"


def test_an_admin_editing_an_unknown_group_gets_not_found(session: Session, now: datetime) -> None:
    with pytest.raises(NotFound) as raised:
        update_group(session, actor=_admin(session), group_id=999_999, now=now, **GOOD)
    assert raised.value.code == "group_not_found"
