"""Site administration: appointing and demoting organisers, disabling accounts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, select

from community_app.domain.admin import appoint_organiser, demote_organiser, set_member_disabled
from community_app.domain.enums import GroupRole, MembershipStatus
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.models import AuditLogEntry, AuthSession, Member, Membership
from community_app.domain.permissions import VISITOR, Actor, load_actor
from tests.domain.group_world import make_membership, make_organiser, snapshot
from tests.factories import make_group, make_member

pytestmark = pytest.mark.unit


def _admin(session: Session) -> Actor:
    return load_actor(session, member_id=make_member(session, is_admin=True).id)


@pytest.mark.parametrize(
    "status", [None, MembershipStatus.ACTIVE, MembershipStatus.PENDING, MembershipStatus.DECLINED]
)
def test_appointing_makes_an_active_organiser_from_any_starting_point(
    session: Session, now: datetime, status: MembershipStatus | None
) -> None:
    group, member, admin = make_group(session), make_member(session), _admin(session)
    if status is not None:
        make_membership(session, group=group, member=member, status=status)

    appoint_organiser(session, actor=admin, group_id=group.id, member_id=member.id, now=now)

    row = session.exec(select(Membership).where(Membership.member_id == member.id)).one()
    assert (row.role, row.status) == (GroupRole.ORGANISER, MembershipStatus.ACTIVE)
    assert group.id in load_actor(session, member_id=member.id).organiser_of
    entry = session.exec(select(AuditLogEntry)).one()
    assert (entry.action, entry.target_id, entry.actor_id) == (
        "appoint_organiser",
        row.id,
        admin.member_id,
    )


def test_appointing_an_organiser_twice_is_refused(session: Session, now: datetime) -> None:
    group = make_group(session)
    organiser, admin = make_organiser(session, group), _admin(session)
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        appoint_organiser(session, actor=admin, group_id=group.id, member_id=organiser.id, now=now)
    assert raised.value.code == "already_organiser"
    assert snapshot(session) == before


@pytest.mark.parametrize(
    ("group_exists", "member_exists", "code"),
    [(False, True, "group_not_found"), (True, False, "member_not_found")],
)
def test_appointing_needs_an_existing_group_and_member(
    session: Session, now: datetime, group_exists: bool, member_exists: bool, code: str
) -> None:
    group, member, admin = make_group(session), make_member(session), _admin(session)
    before = snapshot(session)
    with pytest.raises(NotFound) as raised:
        appoint_organiser(
            session,
            actor=admin,
            now=now,
            group_id=group.id if group_exists else 999_999,
            member_id=member.id if member_exists else 999_999,
        )
    assert raised.value.code == code
    assert snapshot(session) == before


def test_a_disabled_member_cannot_be_appointed(session: Session, now: datetime) -> None:
    group, member = make_group(session), make_member(session, is_disabled=True)
    admin = _admin(session)
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        appoint_organiser(session, actor=admin, group_id=group.id, member_id=member.id, now=now)
    assert raised.value.code == "member_disabled"
    assert snapshot(session) == before


def test_demoting_keeps_the_member_but_never_the_last_organiser(
    session: Session, now: datetime
) -> None:
    group = make_group(session)
    first, second = make_organiser(session, group), make_organiser(session, group)
    admin = _admin(session)

    demote_organiser(session, actor=admin, group_id=group.id, member_id=first.id, now=now)
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        demote_organiser(session, actor=admin, group_id=group.id, member_id=second.id, now=now)

    assert raised.value.code == "last_organiser"
    assert snapshot(session) == before
    row = session.exec(select(Membership).where(Membership.member_id == first.id)).one()
    assert (row.role, row.status) == (GroupRole.MEMBER, MembershipStatus.ACTIVE)


def test_demoting_someone_who_is_not_an_organiser_is_refused(
    session: Session, now: datetime
) -> None:
    group = make_group(session)
    make_organiser(session, group)
    member = make_member(session)
    make_membership(session, group=group, member=member)
    admin = _admin(session)
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        demote_organiser(session, actor=admin, group_id=group.id, member_id=member.id, now=now)
    assert raised.value.code == "not_an_organiser"
    assert snapshot(session) == before


def test_disabling_a_member_ends_their_logins_and_their_privileges(
    session: Session, now: datetime
) -> None:
    group = make_group(session)
    organiser, admin = make_organiser(session, group), _admin(session)
    session.add(
        AuthSession(
            member_id=organiser.id, token_hash="h" * 64, expires_at=now + timedelta(days=30)
        )
    )
    session.flush()

    set_member_disabled(session, actor=admin, member_id=organiser.id, disabled=True, now=now)

    assert load_actor(session, member_id=organiser.id) == VISITOR
    login = session.exec(select(AuthSession)).one()
    assert login.revoked_at == now
    set_member_disabled(session, actor=admin, member_id=organiser.id, disabled=False, now=now)
    stored = session.get(Member, organiser.id)
    assert stored is not None and stored.is_disabled is False
    actions = [e.action for e in session.exec(select(AuditLogEntry).order_by(AuditLogEntry.id))]
    assert actions == ["disable_member", "enable_member"]


def test_an_admin_cannot_disable_themselves(session: Session, now: datetime) -> None:
    admin = _admin(session)
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        set_member_disabled(session, actor=admin, member_id=admin.member_id, disabled=True, now=now)
    assert raised.value.code == "cannot_disable_self"
    assert snapshot(session) == before


@pytest.mark.parametrize("disabled", [1, 0, "true", None, []])
def test_the_disabled_flag_must_be_a_real_boolean(
    session: Session, now: datetime, disabled: object
) -> None:
    member, admin = make_member(session), _admin(session)
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        set_member_disabled(session, actor=admin, member_id=member.id, disabled=disabled, now=now)
    assert raised.value.code == "invalid_flag"
    assert snapshot(session) == before


def test_disabling_an_unknown_member_is_not_found(session: Session, now: datetime) -> None:
    with pytest.raises(NotFound) as raised:
        set_member_disabled(
            session, actor=_admin(session), member_id=999_999, disabled=True, now=now
        )
    assert raised.value.code == "member_not_found"
