"""Permission predicates as truth tables, and every privileged verb against five roles."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlmodel import Session, col, select

from community_app.domain import admin, groups, memberships, permissions
from community_app.domain.enums import GroupRole, MembershipStatus
from community_app.domain.errors import PermissionDenied
from community_app.domain.models import AuditLogEntry, Group, Member, Membership
from community_app.domain.permissions import VISITOR, Actor, load_actor, require
from tests.domain.group_world import ROLES, World, build_world, make_membership, snapshot
from tests.factories import make_group, make_member

pytestmark = pytest.mark.unit

G, H = 1, 2  # the group in question, and another group
ACTORS = {
    "visitor": VISITOR,
    "member": Actor(member_id=10, member_of=frozenset({G})),
    "other_organiser": Actor(member_id=11, organiser_of=frozenset({H}), member_of=frozenset({H})),
    "organiser": Actor(member_id=12, organiser_of=frozenset({G}), member_of=frozenset({G})),
    "admin": Actor(member_id=13, is_admin=True),
}
# fmt: off
# columns: visitor, member, organiser of another group, organiser of the group, admin
TRUTH_TABLE: dict[str, tuple[bool, bool, bool, bool, bool]] = {
    "is_signed_in":           (False, True,  True,  True,  True),
    "is_admin":               (False, False, False, False, True),
    "is_organiser_of":        (False, False, False, True,  False),
    "is_member_of":           (False, True,  False, True,  False),
    "can_join_groups":        (False, True,  True,  True,  True),
    "can_manage_group":       (False, False, False, True,  True),
    "can_manage_any_group":   (False, False, True,  True,  True),
    "can_edit_group":         (False, False, False, True,  True),
    "can_create_group":       (False, False, False, False, True),
    "can_appoint_organisers": (False, False, False, False, True),
    "can_disable_members":    (False, False, False, False, True),
    "can_review_proposals":   (False, False, False, True,  True),
    "can_propose_events":     (False, True,  False, True,  True),
    "can_read_audit_log":     (False, False, False, False, True),
    "can_read_mailbox":       (False, False, False, False, True),
    "can_manage_webhooks":    (False, False, False, True,  True),
    "can_use_personal_feed":  (False, True,  True,  True,  True),
    "can_manage_external_calendars": (False, False, False, True, True),
    "can_post_ideas":         (False, True,  False, True,  True),
    "can_moderate_ideas":     (False, False, False, True,  True),
    "can_turn_ideas_into_events": (False, False, False, True,  True),
}
# fmt: on


def _ask(name: str, actor: Actor) -> bool:
    predicate: Callable[..., bool] = getattr(permissions, name)
    if "group_id" in inspect.signature(predicate).parameters:
        return predicate(actor, G)
    return predicate(actor)


def _predicate_names() -> set[str]:
    return {
        name
        for name, value in vars(permissions).items()
        if inspect.isfunction(value) and name.startswith(("is_", "can_"))
    }


@pytest.mark.parametrize("name", sorted(TRUTH_TABLE))
@pytest.mark.parametrize("role", ROLES)
def test_predicate_truth_table(name: str, role: str) -> None:
    expected = TRUTH_TABLE[name][ROLES.index(role)]
    assert _ask(name, ACTORS[role]) is expected


def test_every_predicate_has_a_row_in_the_truth_table() -> None:
    assert _predicate_names() == set(TRUTH_TABLE)


def test_a_visitor_snapshot_that_claims_privileges_gets_none() -> None:
    forged = Actor(None, is_admin=True, organiser_of=frozenset({G}), member_of=frozenset({G}))
    assert not any(_ask(name, forged) for name in TRUTH_TABLE)


def test_group_predicates_refuse_ids_of_the_wrong_type() -> None:
    organiser = ACTORS["organiser"]
    assert not permissions.can_manage_group(organiser, str(G))
    assert not permissions.can_edit_group(organiser, None)


def test_require_passes_true_and_refuses_anything_else() -> None:
    require(True)
    for value in (False, 1, "yes", None):
        with pytest.raises(PermissionDenied) as raised:
            require(value)
        assert raised.value.code == "permission_denied"


# --- load_actor ------------------------------------------------------------------------


def test_load_actor_reads_admin_flag_and_active_memberships(session: Session) -> None:
    member = make_member(session, is_admin=True)
    led, joined, asked, refused = (make_group(session) for _ in range(4))
    make_membership(session, group=led, member=member, role=GroupRole.ORGANISER)
    make_membership(session, group=joined, member=member)
    make_membership(session, group=asked, member=member, status=MembershipStatus.PENDING)
    make_membership(session, group=refused, member=member, status=MembershipStatus.DECLINED)

    actor = load_actor(session, member_id=member.id)

    assert actor == Actor(
        member_id=member.id,
        is_admin=True,
        organiser_of=frozenset({led.id}),
        member_of=frozenset({led.id, joined.id}),
    )


def test_a_pending_organiser_row_grants_nothing(session: Session) -> None:
    member, group = make_member(session), make_group(session)
    make_membership(
        session,
        group=group,
        member=member,
        role=GroupRole.ORGANISER,
        status=MembershipStatus.PENDING,
    )
    actor = load_actor(session, member_id=member.id)
    assert actor.organiser_of == frozenset() and actor.member_of == frozenset()


@pytest.mark.parametrize("member_id", [None, 999_999, "1", True, -1, 10**30, [1]])
def test_unknown_or_malformed_ids_load_a_visitor(session: Session, member_id: Any) -> None:
    make_member(session, is_admin=True)
    assert load_actor(session, member_id=member_id) == VISITOR


def test_a_disabled_member_loads_as_a_visitor(session: Session) -> None:
    member = make_member(session, is_admin=True, is_disabled=True)
    make_membership(session, group=make_group(session), member=member, role=GroupRole.ORGANISER)
    assert load_actor(session, member_id=member.id) == VISITOR


# --- every privileged verb x five roles --------------------------------------------------


def _membership(session: Session, group: Group, member_id: int | None) -> Membership | None:
    return session.exec(
        select(Membership).where(Membership.group_id == group.id, Membership.member_id == member_id)
    ).first()


Act = Callable[[Session, World, Actor, datetime], object]
Check = Callable[[Session, World, Actor, object], bool]


@dataclass(frozen=True)
class Case:
    allowed: frozenset[str]
    act: Act
    check: Check
    audit: str | None  # the audit action an allowed call records


ORGANISERS_AND_ADMIN = frozenset({"organiser", "admin"})
ADMIN_ONLY = frozenset({"admin"})
SIGNED_IN = frozenset({"member", "other_organiser", "organiser", "admin"})

MATRIX: dict[str, Case] = {
    "join_group": Case(
        SIGNED_IN,
        lambda s, w, a, now: memberships.join_group(s, actor=a, group_id=w.open_group.id, now=now),
        lambda s, w, a, result: (
            result == MembershipStatus.ACTIVE
            and _membership(s, w.open_group, a.member_id) is not None
        ),
        None,
    ),
    "list_join_requests": Case(
        ORGANISERS_AND_ADMIN,
        lambda s, w, a, now: memberships.list_join_requests(s, actor=a, group_id=w.group.id),
        lambda s, w, a, result: [r.membership_id for r in result] == [w.pending.id],
        None,
    ),
    "decide_join_request": Case(
        ORGANISERS_AND_ADMIN,
        lambda s, w, a, now: memberships.decide_join_request(
            s, actor=a, membership_id=w.pending.id, approve=True, now=now
        ),
        lambda s, w, a, result: s.get(Membership, w.pending.id).status == MembershipStatus.ACTIVE,
        "approve_join_request",
    ),
    "list_members": Case(
        ORGANISERS_AND_ADMIN,
        lambda s, w, a, now: memberships.list_members(s, actor=a, group_id=w.group.id),
        lambda s, w, a, result: (
            {r.member_id for r in result}
            == {w.member.id, w.target.id, w.organiser.id, w.co_organiser.id}
        ),
        None,
    ),
    "remove_member": Case(
        ORGANISERS_AND_ADMIN,
        lambda s, w, a, now: memberships.remove_member(
            s, actor=a, group_id=w.group.id, member_id=w.target.id, now=now
        ),
        lambda s, w, a, result: _membership(s, w.group, w.target.id) is None,
        "remove_member",
    ),
    "create_group": Case(
        ADMIN_ONLY,
        lambda s, w, a, now: groups.create_group(s, actor=a, name="新しい会", slug="new", now=now),
        lambda s, w, a, result: s.exec(select(Group).where(Group.slug == "new")).one() is result,
        "create_group",
    ),
    "update_group": Case(
        ORGANISERS_AND_ADMIN,
        lambda s, w, a, now: groups.update_group(
            s,
            actor=a,
            group_id=w.group.id,
            name="改名",
            name_en="Renamed",
            description="",
            description_en="",
            timezone="Asia/Tokyo",
            join_policy=w.group.join_policy,
            now=now,
        ),
        lambda s, w, a, result: s.get(Group, w.group.id).name == "改名",
        "update_group",
    ),
    "appoint_organiser": Case(
        ADMIN_ONLY,
        lambda s, w, a, now: admin.appoint_organiser(
            s, actor=a, group_id=w.group.id, member_id=w.target.id, now=now
        ),
        lambda s, w, a, result: _membership(s, w.group, w.target.id).role == GroupRole.ORGANISER,
        "appoint_organiser",
    ),
    "demote_organiser": Case(
        ADMIN_ONLY,
        lambda s, w, a, now: admin.demote_organiser(
            s, actor=a, group_id=w.group.id, member_id=w.co_organiser.id, now=now
        ),
        lambda s, w, a, result: _membership(s, w.group, w.co_organiser.id).role == GroupRole.MEMBER,
        "demote_organiser",
    ),
    "set_member_disabled": Case(
        ADMIN_ONLY,
        lambda s, w, a, now: admin.set_member_disabled(
            s, actor=a, member_id=w.target.id, disabled=True, now=now
        ),
        lambda s, w, a, result: s.get(Member, w.target.id).is_disabled is True,
        "disable_member",
    ),
    "list_members_for_admin": Case(
        ADMIN_ONLY,
        lambda s, w, a, now: admin.list_members_for_admin(s, actor=a),
        lambda s, w, a, result: {r.member_id for r in result} >= {w.member.id, w.target.id},
        None,
    ),
    "list_groups_for_admin": Case(
        ADMIN_ONLY,
        lambda s, w, a, now: admin.list_groups_for_admin(s, actor=a),
        lambda s, w, a, result: (
            {name for row in result if row.group_id == w.group.id for _, name in row.organisers}
            == {w.organiser.display_name, w.co_organiser.display_name}
        ),
        None,
    ),
}
# Verbs that take an actor but are not privileged: everyone may read a group page, and
# leaving concerns only one's own membership (tested in test_memberships).
NOT_PRIVILEGED = {"get_group_page", "leave_group"}


def _audit_actions(session: Session) -> list[tuple[str, int | None]]:
    entries = session.exec(select(AuditLogEntry).order_by(col(AuditLogEntry.id))).all()
    return [(entry.action, entry.actor_id) for entry in entries]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("verb", sorted(MATRIX))
def test_privileged_verb_acts_for_permitted_roles_and_changes_nothing_otherwise(
    session: Session, now: datetime, verb: str, role: str
) -> None:
    world = build_world(session)
    case = MATRIX[verb]
    actor = world.actor(session, role)
    before = snapshot(session)

    if role in case.allowed:
        result = case.act(session, world, actor, now)
        assert case.check(session, world, actor, result)
        expected = [(case.audit, actor.member_id)] if case.audit else []
        assert _audit_actions(session) == expected
    else:
        with pytest.raises(PermissionDenied) as raised:
            case.act(session, world, actor, now)
        assert raised.value.code == "permission_denied"
        assert snapshot(session) == before


def test_every_verb_that_takes_an_actor_is_in_the_matrix() -> None:
    verbs = {
        name
        for module in (groups, memberships, admin)
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and value.__module__ == module.__name__
        and not name.startswith("_")
        and "actor" in inspect.signature(value).parameters
    }
    assert verbs == set(MATRIX) | NOT_PRIVILEGED
