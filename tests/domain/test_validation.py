"""Untrusted arguments: every id-taking verb refuses what is not a positive int."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from sqlmodel import Session

from community_app.domain import admin, groups, memberships
from community_app.domain.enums import JoinPolicy
from community_app.domain.errors import DomainError
from community_app.domain.permissions import Actor
from community_app.domain.validation import MAX_ID, as_choice, as_flag, as_id, as_text, as_timezone
from tests.domain.group_world import World, build_world, snapshot

pytestmark = pytest.mark.unit

BAD_IDS = ["1", "", None, -1, 0, True, False, 10**30, MAX_ID + 1, 1.0, [1], {"id": 1}, b"1"]
# A representative few for the verb table (each case builds a world on every backend).
VERB_BAD_IDS = ["1", None, -1, True, 10**30, [1]]


@pytest.mark.parametrize("value", [1, 42, MAX_ID])
def test_as_id_accepts_positive_ints(value: int) -> None:
    assert as_id(value) == value


@pytest.mark.parametrize("value", BAD_IDS, ids=repr)
def test_as_id_refuses_everything_else(value: Any) -> None:
    with pytest.raises(DomainError) as raised:
        as_id(value)
    assert raised.value.code == "invalid_id"


def test_as_flag_accepts_only_booleans() -> None:
    assert (as_flag(True), as_flag(False)) == (True, False)
    for value in (1, 0, "true", None):
        with pytest.raises(DomainError):
            as_flag(value)


def test_as_text_strips_and_bounds() -> None:
    assert as_text("  会  ", code="c", max_length=1, required=True) == "会"
    assert as_text("", code="c", max_length=5) == ""
    for value, required in (("", True), ("123456", False), (None, False)):
        with pytest.raises(DomainError):
            as_text(value, code="c", max_length=5, required=required)


def test_as_choice_and_as_timezone() -> None:
    assert as_choice("approval", JoinPolicy, code="c") is JoinPolicy.APPROVAL
    assert as_timezone("Asia/Tokyo") == "Asia/Tokyo"
    with pytest.raises(DomainError):
        as_choice("APPROVAL", JoinPolicy, code="c")
    with pytest.raises(DomainError):
        as_timezone("Asia/Kiryu")


Call = Callable[[Session, World, Actor, datetime, Any], object]
# Each verb with one id argument replaced by a bad value, the others valid.
ID_ARGUMENTS: dict[str, Call] = {
    "join_group": lambda s, w, a, now, bad: memberships.join_group(
        s, actor=a, group_id=bad, now=now
    ),
    "leave_group": lambda s, w, a, now, bad: memberships.leave_group(
        s, actor=a, group_id=bad, now=now
    ),
    "list_join_requests": lambda s, w, a, now, bad: memberships.list_join_requests(
        s, actor=a, group_id=bad
    ),
    "decide_join_request": lambda s, w, a, now, bad: memberships.decide_join_request(
        s, actor=a, membership_id=bad, approve=True, now=now
    ),
    "list_members": lambda s, w, a, now, bad: memberships.list_members(s, actor=a, group_id=bad),
    "remove_member.group_id": lambda s, w, a, now, bad: memberships.remove_member(
        s, actor=a, group_id=bad, member_id=w.target.id, now=now
    ),
    "remove_member.member_id": lambda s, w, a, now, bad: memberships.remove_member(
        s, actor=a, group_id=w.group.id, member_id=bad, now=now
    ),
    "update_group": lambda s, w, a, now, bad: groups.update_group(
        s,
        actor=a,
        group_id=bad,
        name="会",
        name_en="",
        description="",
        description_en="",
        timezone="Asia/Tokyo",
        join_policy=JoinPolicy.OPEN,
        now=now,
    ),
    "appoint_organiser.group_id": lambda s, w, a, now, bad: admin.appoint_organiser(
        s, actor=a, group_id=bad, member_id=w.target.id, now=now
    ),
    "appoint_organiser.member_id": lambda s, w, a, now, bad: admin.appoint_organiser(
        s, actor=a, group_id=w.group.id, member_id=bad, now=now
    ),
    "demote_organiser.group_id": lambda s, w, a, now, bad: admin.demote_organiser(
        s, actor=a, group_id=bad, member_id=w.co_organiser.id, now=now
    ),
    "demote_organiser.member_id": lambda s, w, a, now, bad: admin.demote_organiser(
        s, actor=a, group_id=w.group.id, member_id=bad, now=now
    ),
    "set_member_disabled": lambda s, w, a, now, bad: admin.set_member_disabled(
        s, actor=a, member_id=bad, disabled=True, now=now
    ),
}


@pytest.mark.parametrize("bad", VERB_BAD_IDS, ids=repr)
@pytest.mark.parametrize("argument", sorted(ID_ARGUMENTS))
def test_verbs_refuse_malformed_ids_and_store_nothing(
    session: Session, now: datetime, argument: str, bad: Any
) -> None:
    world = build_world(session)
    actor = world.actor(session, "admin")
    before = snapshot(session)
    with pytest.raises(DomainError) as raised:
        ID_ARGUMENTS[argument](session, world, actor, now, bad)
    assert raised.value.code == "invalid_id"
    assert snapshot(session) == before
