"""The inbox and audit use cases, each in its own transaction, as the pages call them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from community_app.db import write_session
from community_app.domain.enums import NotificationKind
from community_app.domain.errors import PermissionDenied
from community_app.domain.notifications import notify
from community_app.domain.sessions import start_session
from community_app.ui import inbox_actions
from tests.factories import make_member

pytestmark = pytest.mark.integration


def _member_with_token(*, notices: int = 0, is_admin: bool = False) -> str:
    now = datetime.now(UTC)
    with write_session() as session:
        member = make_member(session, is_admin=is_admin, timezone="Europe/London")
        assert member.id is not None
        for minute in range(notices):
            notify(
                session,
                member_ids=[member.id],
                kind=NotificationKind.EVENT_CHANGED,
                message_ja=f"変更 {minute}",
                message_en=f"Changed {minute}",
                now=now - timedelta(minutes=minute),
            )
        return start_session(session, member_id=member.id, now=now)


def test_a_visitor_has_no_unread_count_and_no_inbox(app_database: Engine) -> None:
    assert inbox_actions.unread_count(token="not-a-session") == 0
    with pytest.raises(PermissionDenied):
        inbox_actions.inbox(token="")


def test_the_inbox_comes_in_pages_in_the_members_timezone(app_database: Engine) -> None:
    token = _member_with_token(notices=inbox_actions.PAGE_SIZE + 2)

    first = inbox_actions.inbox(token=token)
    rest = inbox_actions.inbox(token=token, before_id=first.items[-1].id)

    assert (len(first.items), first.has_more, first.unread) == (inbox_actions.PAGE_SIZE, True, 32)
    assert (len(rest.items), rest.has_more) == (2, False)
    assert first.timezone == "Europe/London"


def test_marking_read_lowers_the_count(app_database: Engine) -> None:
    token = _member_with_token(notices=3)
    newest = inbox_actions.inbox(token=token).items[0]

    view = inbox_actions.mark_read(token=token, notification_id=newest.id)

    assert view.is_read and inbox_actions.unread_count(token=token) == 2
    assert inbox_actions.mark_all_read(token=token) == 2
    assert inbox_actions.unread_count(token=token) == 0


def test_only_an_admins_token_reads_the_audit_log(app_database: Engine) -> None:
    member, admin = _member_with_token(), _member_with_token(is_admin=True)
    with pytest.raises(PermissionDenied):
        inbox_actions.audit_log(token=member, action="", actor_name="", page=1)
    data = inbox_actions.audit_log(token=admin, action="", actor_name="", page=1)
    assert (data.page.page, data.timezone) == (1, "Europe/London")
