"""The audit log as admins read it: roles, newest first, filters and pages."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from community_app.domain.audit import NO_ACTOR, list_audit_log, record_audit
from community_app.domain.errors import DomainError, PermissionDenied
from community_app.domain.models import Member
from community_app.domain.permissions import Actor, load_actor
from tests.domain.group_world import ROLES, build_world, snapshot
from tests.factories import make_member

pytestmark = pytest.mark.unit


def _record(
    session: Session, who: Member | None, action: str, at: datetime, target_id: int = 1
) -> None:
    actor = Actor(member_id=who.id if who else None)
    record_audit(
        session,
        actor=actor,
        action=action,
        target_type="group",
        target_id=target_id,
        now=at,
        detail=f"{action} {target_id}",
    )
    session.flush()


def _admin(session: Session) -> Actor:
    return load_actor(session, member_id=make_member(session, is_admin=True).id)


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_read_the_audit_log(session: Session, now: datetime, role: str) -> None:
    world = build_world(session)
    _record(session, world.admin, "create_group", now)
    actor = world.actor(session, role)

    if role == "admin":
        page = list_audit_log(session, actor=actor)
        assert [row.action for row in page.rows] == ["create_group"]
    else:
        before = snapshot(session)
        with pytest.raises(PermissionDenied):
            list_audit_log(session, actor=actor)
        assert snapshot(session) == before


def test_rows_come_newest_first_with_the_actors_name(session: Session, now: datetime) -> None:
    admin_member = make_member(session, is_admin=True, display_name="管理 太郎")
    _record(session, admin_member, "create_group", now - timedelta(hours=2), target_id=7)
    _record(session, None, "import_calendar", now - timedelta(hours=1))
    _record(session, admin_member, "appoint_organiser", now)

    page = list_audit_log(session, actor=load_actor(session, member_id=admin_member.id))

    assert [(row.action, row.actor_name) for row in page.rows] == [
        ("appoint_organiser", "管理 太郎"),
        ("import_calendar", NO_ACTOR),
        ("create_group", "管理 太郎"),
    ]
    oldest = page.rows[-1]
    assert (oldest.at, oldest.target_type, oldest.target_id, oldest.detail) == (
        now - timedelta(hours=2),
        "group",
        7,
        "create_group 7",
    )
    assert (page.page, page.page_count, page.total) == (1, 1, 3)


def test_the_filter_offers_every_action_present(session: Session, now: datetime) -> None:
    admin = _admin(session)
    for action in ("update_group", "create_group", "update_group"):
        _record(session, None, action, now)
    page = list_audit_log(session, actor=admin, action="create_group")
    assert page.actions == ("create_group", "update_group")


def test_filtering_by_action_matches_exactly(session: Session, now: datetime) -> None:
    admin = _admin(session)
    _record(session, None, "disable_member", now)
    _record(session, None, "disable_member_extra", now)
    _record(session, None, "create_group", now)

    page = list_audit_log(session, actor=admin, action="disable_member")

    assert [row.action for row in page.rows] == ["disable_member"]
    assert page.total == 1
    assert list_audit_log(session, actor=admin, action="disable").rows == ()


def test_filtering_by_actor_matches_part_of_the_name_ignoring_case(
    session: Session, now: datetime
) -> None:
    admin = _admin(session)
    hana = make_member(session, display_name="Hana Sato")
    ken = make_member(session, display_name="佐々木 健")
    _record(session, hana, "create_group", now)
    _record(session, ken, "create_group", now)
    _record(session, None, "create_group", now)

    assert [r.actor_name for r in list_audit_log(session, actor=admin, actor_name="hana").rows] == [
        "Hana Sato"
    ]
    assert [
        r.actor_name for r in list_audit_log(session, actor=admin, actor_name="佐々木").rows
    ] == ["佐々木 健"]


def test_like_wildcards_in_the_actor_filter_are_plain_characters(
    session: Session, now: datetime
) -> None:
    admin = _admin(session)
    _record(session, make_member(session, display_name="山田"), "create_group", now)
    assert list_audit_log(session, actor=admin, actor_name="%").rows == ()
    assert list_audit_log(session, actor=admin, actor_name="_").rows == ()


def test_filters_combine(session: Session, now: datetime) -> None:
    admin = _admin(session)
    hana = make_member(session, display_name="花子")
    _record(session, hana, "create_group", now)
    _record(session, hana, "update_group", now)
    _record(session, make_member(session, display_name="健"), "create_group", now)

    page = list_audit_log(session, actor=admin, action="create_group", actor_name="花子")

    assert [(r.action, r.actor_name) for r in page.rows] == [("create_group", "花子")]


def test_pages_split_the_log_and_count_it(session: Session, now: datetime) -> None:
    admin = _admin(session)
    for minute in range(5):
        _record(session, None, "create_group", now - timedelta(minutes=minute), target_id=minute)

    pages = [list_audit_log(session, actor=admin, page=n, page_size=2) for n in (1, 2, 3)]

    assert [[row.target_id for row in p.rows] for p in pages] == [[0, 1], [2, 3], [4]]
    assert {(p.page_count, p.total) for p in pages} == {(3, 5)}


def test_a_page_beyond_the_last_shows_the_last(session: Session, now: datetime) -> None:
    admin = _admin(session)
    for _ in range(3):
        _record(session, None, "create_group", now)
    page = list_audit_log(session, actor=admin, page=9, page_size=2)
    assert (page.page, len(page.rows)) == (2, 1)


def test_an_empty_log_has_one_empty_page(session: Session) -> None:
    page = list_audit_log(session, actor=_admin(session))
    assert (page.rows, page.page, page.page_count, page.total, page.actions) == ((), 1, 1, 0, ())


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({"page": 0}, "invalid_page"),
        ({"page": "2"}, "invalid_page"),
        ({"page": True}, "invalid_page"),
        ({"page_size": 0}, "invalid_page"),
        ({"page_size": 201}, "invalid_page"),
        ({"action": None}, "invalid_audit_filter"),
        ({"action": "x" * 81}, "invalid_audit_filter"),
        ({"actor_name": ["admin"]}, "invalid_audit_filter"),
    ],
)
def test_bad_arguments_are_refused(session: Session, arguments: dict[str, Any], code: str) -> None:
    with pytest.raises(DomainError) as raised:
        list_audit_log(session, actor=_admin(session), **arguments)
    assert raised.value.code == code
