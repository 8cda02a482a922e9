"""The inbox: a member reads and marks read their own notifications, and only those."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func
from sqlmodel import Session, select

from community_app.domain.enums import EventStatus, NotificationKind
from community_app.domain.errors import DomainError, NotFound, PermissionDenied
from community_app.domain.models import Member, Notification
from community_app.domain.notifications import (
    count_unread,
    list_notifications,
    mark_all_read,
    mark_read,
    notify,
)
from community_app.domain.permissions import VISITOR, Actor, load_actor
from tests.domain.group_world import snapshot
from tests.factories import make_event, make_member

pytestmark = pytest.mark.unit


def _actor(session: Session, member: Member) -> Actor:
    return load_actor(session, member_id=member.id)


def _notify(
    session: Session,
    member: Member,
    now: datetime,
    kind: NotificationKind = NotificationKind.EVENT_CHANGED,
    **extra: Any,
) -> int:
    assert member.id is not None
    notify(
        session,
        member_ids=[member.id],
        kind=kind,
        message_ja=f"お知らせ {kind.value}",
        message_en=f"Notice {kind.value}",
        now=now,
        **extra,
    )
    session.flush()
    newest = session.exec(select(func.max(Notification.id))).one()
    assert newest is not None
    return newest


def test_a_member_sees_only_their_own_notifications_newest_first(
    session: Session, now: datetime
) -> None:
    member, other = make_member(session), make_member(session)
    older = _notify(session, member, now - timedelta(hours=2))
    newer = _notify(session, member, now - timedelta(hours=1))
    _notify(session, other, now)

    views = list_notifications(session, actor=_actor(session, member))

    assert [view.id for view in views] == [newer, older]
    first = views[0]
    assert (first.message, first.message_en, first.is_read) == (
        "お知らせ event_changed",
        "Notice event_changed",
        False,
    )
    assert first.created_at == now - timedelta(hours=1)


def test_the_list_continues_after_the_last_one_shown(session: Session, now: datetime) -> None:
    member = make_member(session)
    ids = [_notify(session, member, now - timedelta(minutes=i)) for i in range(5)]
    actor = _actor(session, member)

    first = list_notifications(session, actor=actor, limit=2)
    second = list_notifications(session, actor=actor, limit=2, before_id=first[-1].id)
    last = list_notifications(session, actor=actor, limit=2, before_id=second[-1].id)

    assert [v.id for v in first + second + last] == ids


def test_notifications_made_at_the_same_moment_page_without_gaps(
    session: Session, now: datetime
) -> None:
    member = make_member(session)
    ids = [_notify(session, member, now) for _ in range(3)]
    actor = _actor(session, member)

    first = list_notifications(session, actor=actor, limit=2)
    rest = list_notifications(session, actor=actor, limit=2, before_id=first[-1].id)

    assert [v.id for v in first + rest] == sorted(ids, reverse=True)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (NotificationKind.PROPOSAL_DECIDED, "/proposals"),
        (NotificationKind.PROPOSAL_SUBMITTED, "/review"),
        (NotificationKind.MEMBERSHIP_DECIDED, "/groups"),
        (NotificationKind.EVENT_CHANGED, "/events/{slug}"),
        (NotificationKind.EVENT_CANCELLED, "/events/{slug}"),
        (NotificationKind.WAITLIST_PROMOTED, "/events/{slug}"),
        (NotificationKind.EVENT_RECAP, "/events/{slug}"),
    ],
)
def test_each_kind_links_to_its_page(
    session: Session, now: datetime, kind: NotificationKind, expected: str
) -> None:
    member, event = make_member(session), make_event(session, slug="夜カフェ-12")
    _notify(session, member, now, kind, event_id=event.id)

    [view] = list_notifications(session, actor=_actor(session, member))

    assert view.link == expected.format(slug="夜カフェ-12")


def test_a_cancelled_published_event_still_has_its_link(session: Session, now: datetime) -> None:
    member = make_member(session)
    event = make_event(session, status=EventStatus.CANCELLED, slug="中止の会")
    _notify(session, member, now, NotificationKind.EVENT_CANCELLED, event_id=event.id)
    [view] = list_notifications(session, actor=_actor(session, member))
    assert view.link == "/events/中止の会"


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": EventStatus.SUBMITTED, "published_at": None},
        {"status": EventStatus.REJECTED, "published_at": None},
        {"status": EventStatus.WITHDRAWN},
        {"status": EventStatus.CANCELLED, "published_at": None},
    ],
)
def test_an_event_that_is_not_public_gives_no_link(
    session: Session, now: datetime, overrides: dict[str, Any]
) -> None:
    member, event = make_member(session), make_event(session, **overrides)
    _notify(session, member, now, NotificationKind.EVENT_CHANGED, event_id=event.id)
    [view] = list_notifications(session, actor=_actor(session, member))
    assert view.link == ""


def test_a_notification_without_an_event_gives_no_link(session: Session, now: datetime) -> None:
    member = make_member(session)
    _notify(session, member, now, NotificationKind.IDEA_SCHEDULED)
    [view] = list_notifications(session, actor=_actor(session, member))
    assert view.link == ""


def test_listing_reads_every_event_slug_in_one_query(session: Session, now: datetime) -> None:
    member = make_member(session)
    for _ in range(5):
        _notify(session, member, now, event_id=make_event(session).id)
    actor = _actor(session, member)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    bind = session.get_bind()
    sa_event.listen(bind, "before_cursor_execute", count)
    try:
        views = list_notifications(session, actor=actor)
    finally:
        sa_event.remove(bind, "before_cursor_execute", count)

    assert all(view.link.startswith("/events/") for view in views)
    assert len(statements) == 2  # the notifications, then the slugs


def test_count_unread_counts_only_the_members_unread_ones(session: Session, now: datetime) -> None:
    member, other = make_member(session), make_member(session)
    first = _notify(session, member, now)
    _notify(session, member, now)
    _notify(session, other, now)
    actor = _actor(session, member)
    assert count_unread(session, actor=actor) == 2

    mark_read(session, actor=actor, notification_id=first, now=now)

    assert count_unread(session, actor=actor) == 1


def test_marking_read_keeps_the_first_reading_time_and_returns_the_link(
    session: Session, now: datetime
) -> None:
    member = make_member(session)
    notice = _notify(session, member, now, NotificationKind.PROPOSAL_DECIDED)
    actor = _actor(session, member)

    view = mark_read(session, actor=actor, notification_id=notice, now=now)
    mark_read(session, actor=actor, notification_id=notice, now=now + timedelta(days=1))

    assert (view.is_read, view.link) == (True, "/proposals")
    stored = session.get(Notification, notice)
    assert stored is not None and stored.read_at == now


def test_someone_elses_notification_cannot_be_marked_read(session: Session, now: datetime) -> None:
    member, other = make_member(session), make_member(session)
    theirs = _notify(session, other, now)
    before = snapshot(session)

    with pytest.raises(NotFound) as raised:
        mark_read(session, actor=_actor(session, member), notification_id=theirs, now=now)

    assert raised.value.code == "notification_not_found"
    assert snapshot(session) == before


def test_someone_elses_notification_is_no_cursor_either(session: Session, now: datetime) -> None:
    member, other = make_member(session), make_member(session)
    theirs = _notify(session, other, now)
    with pytest.raises(NotFound):
        list_notifications(session, actor=_actor(session, member), before_id=theirs)


@pytest.mark.parametrize("bad_id", [None, "1", True, 0, -3, 2**40, [1], 1.0, 999_999])
def test_a_bad_id_changes_nothing(session: Session, now: datetime, bad_id: Any) -> None:
    member = make_member(session)
    _notify(session, member, now)
    before = snapshot(session)

    with pytest.raises(DomainError) as raised:
        mark_read(session, actor=_actor(session, member), notification_id=bad_id, now=now)

    assert raised.value.code in {"invalid_id", "notification_not_found"}
    assert snapshot(session) == before


@pytest.mark.parametrize("limit", [0, -1, 101, "10", None, True, 2.5])
def test_a_bad_limit_is_refused(session: Session, limit: Any) -> None:
    member = make_member(session)
    with pytest.raises(DomainError) as raised:
        list_notifications(session, actor=_actor(session, member), limit=limit)
    assert raised.value.code == "invalid_limit"


def test_mark_all_read_marks_only_the_members_unread_ones(session: Session, now: datetime) -> None:
    member, other = make_member(session), make_member(session)
    earlier = _notify(session, member, now)
    actor = _actor(session, member)
    mark_read(session, actor=actor, notification_id=earlier, now=now)
    _notify(session, member, now)
    _notify(session, member, now)
    theirs = _notify(session, other, now)
    later = now + timedelta(hours=1)

    assert mark_all_read(session, actor=actor, now=later) == 2

    assert count_unread(session, actor=actor) == 0
    assert all(view.is_read for view in list_notifications(session, actor=actor))
    stored_earlier, stored_theirs = (
        session.get(Notification, earlier),
        session.get(Notification, theirs),
    )
    assert stored_earlier is not None and stored_earlier.read_at == now
    assert stored_theirs is not None and stored_theirs.read_at is None
    assert mark_all_read(session, actor=actor, now=later) == 0


def test_visitors_have_no_inbox(session: Session, now: datetime) -> None:
    member = make_member(session)
    notice = _notify(session, member, now)
    before = snapshot(session)
    calls = [
        lambda: list_notifications(session, actor=VISITOR),
        lambda: count_unread(session, actor=VISITOR),
        lambda: mark_read(session, actor=VISITOR, notification_id=notice, now=now),
        lambda: mark_all_read(session, actor=VISITOR, now=now),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert snapshot(session) == before


def test_a_disabled_member_acts_as_a_visitor(session: Session, now: datetime) -> None:
    member = make_member(session, is_disabled=True)
    _notify(session, member, now)
    with pytest.raises(PermissionDenied):
        count_unread(session, actor=_actor(session, member))
