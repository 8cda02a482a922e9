"""Joining and leaving groups, the join-request queue, and managing members."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, select

from community_app.domain.enums import GroupRole, JoinPolicy, MembershipStatus, NotificationKind
from community_app.domain.errors import DomainError, NotFound, PermissionDenied
from community_app.domain.memberships import (
    decide_join_request,
    join_group,
    leave_group,
    list_join_requests,
    list_members,
    remove_member,
)
from community_app.domain.models import AuditLogEntry, Group, Member, Membership, Notification
from community_app.domain.permissions import VISITOR, Actor, load_actor
from tests.domain.group_world import build_world, make_membership, make_organiser, snapshot
from tests.factories import make_group, make_member

pytestmark = pytest.mark.unit


def _actor(session: Session, member: Member) -> Actor:
    return load_actor(session, member_id=member.id)


def _status(session: Session, group: Group, member: Member) -> MembershipStatus | None:
    row = session.exec(
        select(Membership).where(Membership.group_id == group.id, Membership.member_id == member.id)
    ).first()
    return row.status if row else None


# --- joining and leaving --------------------------------------------------------------


def test_joining_an_open_group_makes_an_active_member(session: Session, now: datetime) -> None:
    group, member = make_group(session), make_member(session)
    assert join_group(session, actor=_actor(session, member), group_id=group.id, now=now) == (
        MembershipStatus.ACTIVE
    )
    assert _status(session, group, member) == MembershipStatus.ACTIVE
    assert group.id in _actor(session, member).member_of


def test_joining_an_approval_group_queues_a_request_until_an_organiser_approves(
    session: Session, now: datetime
) -> None:
    group = make_group(session, join_policy=JoinPolicy.APPROVAL)
    organiser = _actor(session, make_organiser(session, group))
    member = make_member(session)

    status = join_group(session, actor=_actor(session, member), group_id=group.id, now=now)
    [request] = list_join_requests(session, actor=organiser, group_id=group.id)
    decide_join_request(
        session,
        actor=organiser,
        membership_id=request.membership_id,
        approve=True,
        now=now + timedelta(hours=1),
    )

    assert status == MembershipStatus.PENDING
    assert (request.member_display_name, request.requested_at) == (member.display_name, now)
    stored = session.get(Membership, request.membership_id)
    assert stored is not None
    assert (stored.status, stored.decided_by_id, stored.decided_at) == (
        MembershipStatus.ACTIVE,
        organiser.member_id,
        now + timedelta(hours=1),
    )
    notice = session.exec(select(Notification)).one()
    assert (notice.member_id, notice.kind) == (member.id, NotificationKind.MEMBERSHIP_DECIDED)
    assert list_join_requests(session, actor=organiser, group_id=group.id) == []


def test_a_declined_member_may_ask_again_and_the_row_is_reused(
    session: Session, now: datetime
) -> None:
    group = make_group(session, join_policy=JoinPolicy.APPROVAL)
    organiser = _actor(session, make_organiser(session, group))
    member = _actor(session, make_member(session))
    join_group(session, actor=member, group_id=group.id, now=now)
    [first] = list_join_requests(session, actor=organiser, group_id=group.id)
    decide_join_request(
        session, actor=organiser, membership_id=first.membership_id, approve=False, now=now
    )
    declined = session.get(Membership, first.membership_id)
    assert declined is not None and declined.status == MembershipStatus.DECLINED

    later = now + timedelta(days=1)
    assert join_group(session, actor=member, group_id=group.id, now=later) == (
        MembershipStatus.PENDING
    )

    [again] = list_join_requests(session, actor=organiser, group_id=group.id)
    assert (again.membership_id, again.requested_at) == (first.membership_id, later)
    assert declined.decided_at is None and declined.decided_by_id is None


@pytest.mark.parametrize("status", [MembershipStatus.ACTIVE, MembershipStatus.PENDING])
def test_joining_twice_is_refused(
    session: Session, now: datetime, status: MembershipStatus
) -> None:
    group, member = make_group(session), make_member(session)
    make_membership(session, group=group, member=member, status=status)
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        join_group(session, actor=_actor(session, member), group_id=group.id, now=now)
    assert raised.value.code == "already_member"
    assert snapshot(session) == before


def test_joining_an_unknown_group_is_not_found(session: Session, now: datetime) -> None:
    with pytest.raises(NotFound) as raised:
        join_group(session, actor=_actor(session, make_member(session)), group_id=999, now=now)
    assert raised.value.code == "group_not_found"


@pytest.mark.parametrize("status", [MembershipStatus.ACTIVE, MembershipStatus.PENDING])
def test_leaving_deletes_the_membership_or_withdraws_the_request(
    session: Session, now: datetime, status: MembershipStatus
) -> None:
    group, member = make_group(session), make_member(session)
    make_membership(session, group=group, member=member, status=status)
    leave_group(session, actor=_actor(session, member), group_id=group.id, now=now)
    assert _status(session, group, member) is None


def test_the_last_organiser_cannot_leave_but_one_of_two_can(
    session: Session, now: datetime
) -> None:
    group = make_group(session)
    first, second = make_organiser(session, group), make_organiser(session, group)

    leave_group(session, actor=_actor(session, first), group_id=group.id, now=now)
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        leave_group(session, actor=_actor(session, second), group_id=group.id, now=now)

    assert raised.value.code == "last_organiser"
    assert snapshot(session) == before
    assert _status(session, group, first) is None


@pytest.mark.parametrize("status", [None, MembershipStatus.DECLINED])
def test_leaving_a_group_one_is_not_in_is_refused(
    session: Session, now: datetime, status: MembershipStatus | None
) -> None:
    group, member = make_group(session), make_member(session)
    make_membership(session, group=group, member=make_member(session))  # someone else's row
    if status is not None:
        make_membership(session, group=group, member=member, status=status)
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        leave_group(session, actor=_actor(session, member), group_id=group.id, now=now)
    assert raised.value.code == "not_a_member"
    assert snapshot(session) == before


def test_a_visitor_can_neither_join_nor_leave(session: Session, now: datetime) -> None:
    group = make_group(session)
    make_membership(session, group=group, member=make_member(session))
    before = snapshot(session)
    for verb in (join_group, leave_group):
        with pytest.raises(PermissionDenied):
            verb(session, actor=VISITOR, group_id=group.id, now=now)
    assert snapshot(session) == before


# --- deciding requests and managing members ---------------------------------------------


def test_an_already_decided_request_is_not_found(session: Session, now: datetime) -> None:
    group = make_group(session)
    organiser = _actor(session, make_organiser(session, group))
    active = make_membership(session, group=group, member=make_member(session))
    before = snapshot(session)
    for membership_id in (active.id, 999_999):
        with pytest.raises(NotFound) as raised:
            decide_join_request(
                session, actor=organiser, membership_id=membership_id, approve=False, now=now
            )
        assert raised.value.code == "membership_not_found"
    assert snapshot(session) == before


@pytest.mark.parametrize("approve", [1, "yes", None, "false"])
def test_the_decision_must_be_a_real_boolean(
    session: Session, now: datetime, approve: object
) -> None:
    world = build_world(session)
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        decide_join_request(
            session,
            actor=world.actor(session, "organiser"),
            membership_id=world.pending.id,
            approve=approve,
            now=now,
        )
    assert raised.value.code == "invalid_flag"
    assert snapshot(session) == before


def test_members_are_listed_organisers_first_without_pending_ones(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    rows = list_members(session, actor=world.actor(session, "organiser"), group_id=world.group.id)
    assert [row.role for row in rows] == [GroupRole.ORGANISER] * 2 + [GroupRole.MEMBER] * 2
    assert world.applicant.id not in {row.member_id for row in rows}


def test_an_organiser_removes_a_member_and_the_audit_log_says_so(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    actor = world.actor(session, "organiser")
    remove_member(session, actor=actor, group_id=world.group.id, member_id=world.target.id, now=now)
    assert _status(session, world.group, world.target) is None
    entry = session.exec(select(AuditLogEntry)).one()
    assert (entry.action, entry.actor_id, entry.at) == ("remove_member", actor.member_id, now)


def test_an_organiser_cannot_remove_a_fellow_organiser(session: Session, now: datetime) -> None:
    world = build_world(session)
    before = snapshot(session)
    with pytest.raises(PermissionDenied):
        remove_member(
            session,
            actor=world.actor(session, "organiser"),
            group_id=world.group.id,
            member_id=world.co_organiser.id,
            now=now,
        )
    assert snapshot(session) == before


def test_an_admin_cannot_remove_the_last_organiser(session: Session, now: datetime) -> None:
    group = make_group(session)
    organiser = make_organiser(session, group)
    admin = _actor(session, make_member(session, is_admin=True))
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        remove_member(session, actor=admin, group_id=group.id, member_id=organiser.id, now=now)
    assert raised.value.code == "last_organiser"
    assert snapshot(session) == before


@pytest.mark.parametrize("who", ["applicant", "admin"])  # pending in the group / not in it
def test_removing_someone_who_is_not_an_active_member_is_not_found(
    session: Session, now: datetime, who: str
) -> None:
    world = build_world(session)
    before = snapshot(session)
    with pytest.raises(NotFound) as raised:
        remove_member(
            session,
            actor=world.actor(session, "organiser"),
            group_id=world.group.id,
            member_id=getattr(world, who).id,
            now=now,
        )
    assert raised.value.code == "member_not_found"
    assert snapshot(session) == before


# --- object level: ids that belong to someone else's group -------------------------------


def test_an_organiser_cannot_decide_another_groups_request(session: Session, now: datetime) -> None:
    world = build_world(session)
    foreign = world.actor(session, "other_organiser")  # organises H, request is in G
    before = snapshot(session)
    with pytest.raises(PermissionDenied):
        decide_join_request(
            session, actor=foreign, membership_id=world.pending.id, approve=True, now=now
        )
    assert snapshot(session) == before


def test_an_organiser_cannot_remove_a_member_of_another_group_through_their_own(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    foreign = world.actor(session, "other_organiser")
    before = snapshot(session)
    with pytest.raises(NotFound):  # the target is not in H, whatever G holds
        remove_member(
            session,
            actor=foreign,
            group_id=world.other_group.id,
            member_id=world.target.id,
            now=now,
        )
    with pytest.raises(PermissionDenied):
        remove_member(
            session, actor=foreign, group_id=world.group.id, member_id=world.target.id, now=now
        )
    for read in (list_members, list_join_requests):
        with pytest.raises(PermissionDenied):
            read(session, actor=foreign, group_id=world.group.id)
    assert snapshot(session) == before


def test_a_member_cannot_decide_or_leave_for_someone_else(session: Session, now: datetime) -> None:
    world = build_world(session)
    member = world.actor(session, "member")
    before = snapshot(session)
    with pytest.raises(PermissionDenied):
        decide_join_request(
            session, actor=member, membership_id=world.pending.id, approve=False, now=now
        )
    with pytest.raises(DomainError) as raised:  # leave acts on one's own row only
        leave_group(session, actor=member, group_id=world.other_group.id, now=now)
    assert raised.value.code == "not_a_member"
    assert snapshot(session) == before
