"""The idea lifecycle: thresholds, supports and joins, archive and reopen, bad input."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import Session, col, select

from community_app.domain.enums import IdeaStatus, IdeaSupportKind, NotificationKind
from community_app.domain.errors import DomainError, PermissionDenied
from community_app.domain.idea_posting import (
    join_idea,
    leave_idea,
    post_idea,
    support_idea,
    update_idea_settings,
    withdraw_support,
)
from community_app.domain.ideas import TRANSITIONS, archive_idea, reopen_idea
from community_app.domain.models import (
    AuditLogEntry,
    IdeaSupport,
    IdeaTag,
    Notification,
    ProjectIdea,
)
from community_app.domain.permissions import load_actor
from tests.domain.group_world import build_world
from tests.domain.idea_world import group_members, make_idea, support_by
from tests.factories import make_member

pytestmark = pytest.mark.integration
I = IdeaStatus  # noqa: E741


def _as(session: Session, member) -> object:  # type: ignore[no-untyped-def]
    return load_actor(session, member_id=member.id)


def test_posting_stores_the_idea_with_its_tags_and_the_group_threshold(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    world.group.idea_support_threshold = 4
    idea = make_idea(session, world, now, title="  親子で 　プログラミング  ")

    assert idea.title == "親子で プログラミング"
    assert idea.status == I.OPEN
    assert idea.support_threshold == 4
    assert idea.author_id == world.member.id
    tags = session.exec(select(IdeaTag.tag).where(IdeaTag.idea_id == idea.id)).all()
    assert sorted(tags) == ["python", "初心者"]


def test_a_site_wide_idea_may_come_from_any_member_with_the_default_threshold(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    stranger = make_member(session)  # belongs to no group
    ref = post_idea(
        session, actor=_as(session, stranger), title="地域の防災マップ", description="",
        help_needed="", tags="", now=now,
    )  # fmt: skip
    assert session.get(ProjectIdea, ref.id).group_id is None  # type: ignore[union-attr]
    with pytest.raises(PermissionDenied):
        post_idea(
            session, actor=_as(session, stranger), group_id=world.group.id, title="x",
            description="", help_needed="", tags="", now=now,
        )  # fmt: skip


@pytest.mark.parametrize(
    "title",
    ["", "   ", "x" * 121, "改行\x00入り", "右から\u202e左", 12, None],
    ids=["empty", "blank", "huge", "nul", "bidi", "int", "none"],
)
def test_bad_titles_are_refused_and_nothing_is_stored(
    session: Session, now: datetime, title: object
) -> None:
    world = build_world(session)
    with pytest.raises(DomainError) as raised:
        make_idea(session, world, now, title=title)
    assert raised.value.code == "invalid_idea_title"
    assert session.exec(select(ProjectIdea)).all() == []


def test_the_idea_is_ready_exactly_at_its_threshold(session: Session, now: datetime) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)  # threshold 3
    first, second, third = group_members(session, world, 3)

    support_by(session, idea, [first, second], now)
    assert idea.status == I.GATHERING  # threshold - 1

    support_by(session, idea, [third], now)
    assert idea.status == I.READY  # threshold


def test_a_withdrawn_support_below_the_threshold_makes_it_gather_again(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    people = group_members(session, world, 3)
    support_by(session, idea, people, now)

    withdraw_support(session, actor=_as(session, people[0]), idea_id=idea.id, now=now)

    assert idea.status == I.GATHERING
    for member in people[1:]:
        withdraw_support(session, actor=_as(session, member), idea_id=idea.id, now=now)
    assert idea.status == I.OPEN


def test_reaching_ready_tells_the_author_and_the_group_organisers_only(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    people = group_members(session, world, 3)
    support_by(session, idea, people, now)

    told = session.exec(
        select(Notification.member_id).where(Notification.kind == NotificationKind.IDEA_UPDATED)
    ).all()
    assert sorted(told) == sorted([world.member.id, world.organiser.id, world.co_organiser.id])


def test_supporting_twice_is_refused(session: Session, now: datetime) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    support_by(session, idea, [world.target], now)
    with pytest.raises(DomainError) as raised:
        support_by(session, idea, [world.target], now)
    assert raised.value.code == "already_supported"
    assert len(session.exec(select(IdeaSupport)).all()) == 1


def test_the_author_cannot_support_their_own_idea_but_may_join_it(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    with pytest.raises(DomainError) as raised:
        support_by(session, idea, [world.member], now)
    assert raised.value.code == "own_idea_support"

    join_idea(session, actor=_as(session, world.member), idea_id=idea.id, role="speaker", now=now)
    assert idea.status == I.GATHERING  # a join gathers, but does not count toward ready


def test_joining_again_changes_the_role_and_leaving_removes_it(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    actor = _as(session, world.target)
    join_idea(session, actor=actor, idea_id=idea.id, role="helper", now=now)
    join_idea(session, actor=actor, idea_id=idea.id, role="会場を貸せます", now=now)
    rows = session.exec(select(IdeaSupport).where(IdeaSupport.kind == IdeaSupportKind.JOIN)).all()
    assert [row.role for row in rows] == ["会場を貸せます"]

    leave_idea(session, actor=actor, idea_id=idea.id, now=now)
    assert session.exec(select(IdeaSupport)).all() == []
    assert idea.status == I.OPEN


@pytest.mark.parametrize(
    "role", ["x" * 10_000, "", "改行\x07", 3], ids=["huge", "empty", "bell", "int"]
)
def test_joining_with_a_bad_role_is_refused(session: Session, now: datetime, role: object) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    with pytest.raises(DomainError) as raised:
        join_idea(session, actor=_as(session, world.target), idea_id=idea.id, role=role, now=now)
    assert raised.value.code == "invalid_idea_role"
    assert session.exec(select(IdeaSupport)).all() == []


def test_a_visitor_can_neither_support_nor_join(session: Session, now: datetime) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    visitor = load_actor(session, member_id=None)
    with pytest.raises(PermissionDenied):
        support_idea(session, actor=visitor, idea_id=idea.id, now=now)
    with pytest.raises(PermissionDenied):
        join_idea(session, actor=visitor, idea_id=idea.id, role="helper", now=now)


def test_archiving_needs_a_reason_tells_everyone_and_closes_the_idea(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    support_by(session, idea, [world.target], now)
    organiser = _as(session, world.organiser)
    with pytest.raises(DomainError) as raised:
        archive_idea(session, actor=organiser, idea_id=idea.id, reason=" ", now=now)
    assert raised.value.code == "reason_required"

    archive_idea(session, actor=organiser, idea_id=idea.id, reason="重複しています", now=now)

    assert (idea.status, idea.status_reason) == (I.ARCHIVED, "重複しています")
    told = session.exec(select(Notification.member_id)).all()
    assert sorted(told) == sorted([world.member.id, world.target.id])
    audit = session.exec(select(AuditLogEntry.action, AuditLogEntry.detail)).all()
    assert audit == [("idea_archived", "重複しています")]
    with pytest.raises(DomainError) as closed:
        support_by(session, idea, [world.applicant], now)
    assert closed.value.code == "idea_closed"


def test_reopening_returns_the_idea_to_what_its_supports_give(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    support_by(session, idea, group_members(session, world, 3), now)
    admin = _as(session, world.admin)
    archive_idea(session, actor=admin, idea_id=idea.id, reason="一時停止", now=now)

    reopen_idea(session, actor=admin, idea_id=idea.id, reason="再開します", now=now)

    assert idea.status == I.READY
    with pytest.raises(DomainError):
        reopen_idea(session, actor=admin, idea_id=idea.id, reason="もう一度", now=now)


def test_the_table_has_no_move_into_open_from_archive_without_a_moderator() -> None:
    assert all(
        mover.value == "moderator"
        for (origin, to), mover in TRANSITIONS.items()
        if I.ARCHIVED in (origin, to)
    )
    assert (I.DONE, I.ARCHIVED) not in TRANSITIONS  # done is shown, never stored


def test_group_idea_settings_are_checked_and_apply_to_new_ideas(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    organiser = _as(session, world.organiser)
    for bad in (0, "3", True, 1001):
        with pytest.raises(DomainError):
            update_idea_settings(
                session, actor=organiser, group_id=world.group.id, support_threshold=bad,
                authors_convert_ideas=False, now=now,
            )  # fmt: skip
    old = make_idea(session, world, now)
    update_idea_settings(
        session, actor=organiser, group_id=world.group.id, support_threshold=1,
        authors_convert_ideas=True, now=now,
    )  # fmt: skip
    new = make_idea(session, world, now, title="二つ目")
    assert (old.support_threshold, new.support_threshold) == (3, 1)
    assert world.group.authors_convert_ideas is True
    actions = session.exec(select(AuditLogEntry.action).order_by(col(AuditLogEntry.id))).all()
    assert actions == ["update_idea_settings"]
