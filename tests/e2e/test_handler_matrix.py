"""Every privileged handler x every role, called over the websocket of a real page.

The domain tests hold the same matrix for the verbs; this one proves the handlers in
front of them rebuild the actor from the session and pass it on: for each role the
allowed calls take effect and the denied ones leave the database exactly as it was.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser
from reflex.testing import AppHarnessProd
from sqlalchemy import text

from community_app.db import read_session, write_session
from community_app.domain import idea_comments, idea_posting
from community_app.domain.enums import EventStatus, MembershipStatus, TierAllocation, WebhookKind
from community_app.domain.events import new_event_uid
from community_app.domain.models import Event, ExternalCalendar, Webhook
from community_app.domain.permissions import load_actor
from tests.e2e.support import (
    ADMIN_STATE,
    ATTENDEES_STATE,
    EVENT_PAGE_STATE,
    GROUP_CALENDAR_STATE,
    GROUP_PAGE_STATE,
    GROUP_WEBHOOKS_STATE,
    MAILBOX_STATE,
    REVIEW_STATE,
    Account,
    Capture,
    add_membership,
    add_rsvp,
    create_account,
    group_id,
    log_in,
    membership_status,
    new_page,
    rsvp_event,
    rsvp_row,
    send_event,
    snapshot,
)

pytestmark = pytest.mark.e2e

OWN_GROUP = "hikaridai-otagaisama"  # the organiser role organises this group
OTHER_GROUP = "kiryu-after-school"  # the "organiser of another group" role, this one


def _scalar(query: str, **params: Any) -> Any:
    with read_session() as session:
        row = session.execute(text(query), params).first()
        return None if row is None else row[0]


def _member_of_own_group() -> int:
    member = create_account("対象 会員")
    add_membership(OWN_GROUP, member.member_id, MembershipStatus.ACTIVE)
    return member.member_id


def _co_organiser() -> int:
    return create_account("副 世話人", organiser_of=OWN_GROUP).member_id


@dataclass(frozen=True)
class Case:
    """``arrange`` makes a fresh target and returns (handler, payload, effect check)."""

    allowed: frozenset[str]
    arrange: Callable[[], tuple[str, dict[str, Any], Callable[[], bool]]]


ORGANISERS = frozenset({"organiser", "admin"})
ADMIN = frozenset({"admin"})


def _decide() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    request = add_membership(
        OWN_GROUP, create_account("申請 花子").member_id, MembershipStatus.PENDING
    )
    return (
        f"{GROUP_PAGE_STATE}.decide",
        {"membership_id": request, "approve": True},
        lambda: membership_status(request) == "active",
    )


def _remove_member() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    member = _member_of_own_group()
    check = "SELECT count(*) FROM memberships WHERE member_id = :m"
    return (
        f"{GROUP_PAGE_STATE}.remove_member",
        {"member_id": member},
        lambda: _scalar(check, m=member) == 0,
    )


def _edit_group() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    marker = f"説明-{uuid.uuid4().hex[:8]}"
    name = _scalar("SELECT name FROM groups WHERE slug = :s", s=OWN_GROUP)
    form = {
        "name": name,
        "name_en": "",
        "description": marker,
        "description_en": "",
        "timezone": "Asia/Tokyo",
        "join_policy": "open",
    }
    check = "SELECT description FROM groups WHERE slug = :s"
    return (
        f"{GROUP_PAGE_STATE}.edit_group",
        {"form_data": form},
        lambda: _scalar(check, s=OWN_GROUP) == marker,
    )


def _add_webhook() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    url = f"https://hooks.example.org/matrix-{uuid.uuid4().hex[:8]}"
    check = "SELECT count(*) FROM webhooks WHERE url = :u"
    return (
        f"{GROUP_WEBHOOKS_STATE}.add",
        {"form_data": {"kind": "json", "url": url}},
        lambda: _scalar(check, u=url) == 1,
    )


def _remove_webhook() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    with write_session() as session:
        webhook = Webhook(
            group_id=group_id(OWN_GROUP, session=session),
            kind=WebhookKind.SLACK,
            url=f"https://hooks.example.org/remove-{uuid.uuid4().hex[:8]}",
            signing_secret=uuid.uuid4().hex,
        )
        session.add(webhook)
        session.flush()
        webhook_id = webhook.id
    check = "SELECT count(*) FROM webhooks WHERE id = :w"
    return (
        f"{GROUP_WEBHOOKS_STATE}.remove",
        {"webhook_id": webhook_id},
        lambda: _scalar(check, w=webhook_id) == 0,
    )


def _add_calendar() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    url = f"https://partner.example.org/{uuid.uuid4().hex[:8]}.ics"
    check = "SELECT count(*) FROM external_calendars WHERE url = :u"
    return (
        f"{GROUP_CALENDAR_STATE}.add",
        {"form_data": {"name": "まちの NPO", "url": url}},
        lambda: _scalar(check, u=url) == 1,
    )


def _partner_calendar() -> int:
    with write_session() as session:
        calendar = ExternalCalendar(
            group_id=group_id(OWN_GROUP, session=session),
            name="まちの NPO",
            url=f"https://partner.example.org/{uuid.uuid4().hex[:8]}.ics",
        )
        session.add(calendar)
        session.flush()
        assert calendar.id is not None
        return calendar.id


def _remove_calendar() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    calendar_id = _partner_calendar()
    check = "SELECT count(*) FROM external_calendars WHERE id = :c"
    return (
        f"{GROUP_CALENDAR_STATE}.remove",
        {"calendar_id": calendar_id},
        lambda: _scalar(check, c=calendar_id) == 0,
    )


def _fetch_calendar() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    # The app under test fetches nothing (FETCH_CALENDARS=false): it records so instead.
    calendar_id = _partner_calendar()
    check = "SELECT count(*) FROM external_calendars WHERE id = :c AND last_error != ''"
    return (
        f"{GROUP_CALENDAR_STATE}.fetch_now",
        {"calendar_id": calendar_id},
        lambda: _scalar(check, c=calendar_id) == 1,
    )


def _create_group() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    slug = f"matrix-{uuid.uuid4().hex[:8]}"
    form = {
        "name": "行列の会",
        "name_en": "",
        "slug": slug,
        "description": "",
        "description_en": "",
        "timezone": "Asia/Tokyo",
        "join_policy": "open",
    }
    check = "SELECT count(*) FROM groups WHERE slug = :s"
    return (f"{ADMIN_STATE}.create_group", {"form_data": form}, lambda: _scalar(check, s=slug) == 1)


def _send_test_mail() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    address = f"matrix-{uuid.uuid4().hex[:8]}@example.org"
    check = "SELECT count(*) FROM mail_messages WHERE to_address = :a"
    return (
        f"{MAILBOX_STATE}.send_test",
        {"form_data": {"to": address}},
        lambda: _scalar(check, a=address) == 1,
    )


def _appoint() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    member = _member_of_own_group()
    form = {"group_id": str(group_id(OWN_GROUP)), "member_id": str(member)}
    check = "SELECT role FROM memberships WHERE member_id = :m"
    return (
        f"{ADMIN_STATE}.appoint",
        {"form_data": form},
        lambda: _scalar(check, m=member) == "organiser",
    )


def _demote() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    member = _co_organiser()
    check = "SELECT role FROM memberships WHERE member_id = :m"
    return (
        f"{ADMIN_STATE}.demote",
        {"group_id": group_id(OWN_GROUP), "member_id": member},
        lambda: _scalar(check, m=member) == "member",
    )


def _disable() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    member = create_account("無効 予定").member_id
    check = "SELECT is_disabled FROM members WHERE id = :m"
    return (
        f"{ADMIN_STATE}.set_disabled",
        {"member_id": member, "disabled": True},
        lambda: bool(_scalar(check, m=member)),
    )


def _proposal(status: str, *, started: bool = False) -> int:
    """An event of the organiser's group in ``status``, proposed by one of its members."""
    proposer = _member_of_own_group()
    now = datetime.now(UTC)
    starts = now - timedelta(hours=1) if started else now + timedelta(days=14)
    with write_session() as session:
        event = Event(
            uid=new_event_uid(),
            slug=f"行列-{uuid.uuid4().hex[:8]}",
            title=f"行列の勉強会 {uuid.uuid4().hex[:6]}",
            group_id=group_id(OWN_GROUP, session=session),
            proposer_id=proposer,
            status=EventStatus(status),
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            published_at=now if status == "approved" else None,
        )
        session.add(event)
        session.flush()
        assert event.id is not None
        return event.id


def _event_status(event_id: int) -> str:
    return str(_scalar("SELECT status FROM events WHERE id = :e", e=event_id))


def _review() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    event_id = _proposal("submitted")
    return (
        f"{EVENT_PAGE_STATE}.review",
        {"event_id": event_id, "to": "approved"},
        lambda: _event_status(event_id) == "approved",
    )


def _bulk_decide() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    first, second = _proposal("submitted"), _proposal("submitted")
    return (
        f"{REVIEW_STATE}.decide",
        {"event_ids": [first, second], "to": "approved"},
        lambda: _event_status(first) == _event_status(second) == "approved",
    )


def _post_recap() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    event_id = _proposal("approved", started=True)
    marker = f"レポート-{uuid.uuid4().hex[:8]}"
    form = {
        "event_id": str(event_id),
        "summary": marker,
        "material": "",
        "recording": "",
        "photo": "",
    }
    check = "SELECT recap_summary FROM events WHERE id = :e"
    return (
        f"{EVENT_PAGE_STATE}.post_recap",
        {"form_data": form},
        lambda: _scalar(check, e=event_id) == marker,
    )


def _repeat() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    event_id = _proposal("approved")
    form = {"event_id": str(event_id), "frequency": "weekly", "interval": "1", "nth": "",
            "count": "3", "until": ""}  # fmt: skip
    check = (
        "SELECT count(*) FROM events WHERE series_id = (SELECT series_id FROM events WHERE id = :e)"
    )
    return (
        f"{EVENT_PAGE_STATE}.repeat",
        {"form_data": form},
        lambda: _scalar(check, e=event_id) == 3,
    )


def _attendee(status: str = "going", *, ended: bool = False) -> tuple[int, list[int]]:
    """An RSVP in ``status`` to a fresh event of the organiser's group (two tiers)."""
    event = rsvp_event(OWN_GROUP, capacities=(5, 5), ended=ended)
    return add_rsvp(event, _member_of_own_group(), status=status), list(event.tier_ids)


RsvpEffect = Callable[[tuple[str, int, Any], list[int]], bool]


def _attendee_case(
    handler: str, status: str, payload: dict[str, Any], effect: RsvpEffect
) -> tuple[str, dict[str, Any], Callable[[], bool]]:
    rsvp_id, tiers = _attendee(status)
    arguments = {
        "rsvp_id": rsvp_id,
        **{k: tiers[1] if v == "tier" else v for k, v in payload.items()},
    }
    return f"{ATTENDEES_STATE}.{handler}", arguments, lambda: effect(rsvp_row(rsvp_id), tiers)


def _approve_attendee() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    return _attendee_case("decide", "pending", {"approve": True}, lambda r, t: r[0] == "going")


def _remove_attendee() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    return _attendee_case("remove", "going", {}, lambda r, t: r[0] == "cancelled")


def _move_attendee() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    return _attendee_case("move", "going", {"tier_id": "tier"}, lambda r, t: r[1] == t[1])


def _check_in() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    return _attendee_case(
        "set_checked_in", "going", {"checked_in": True}, lambda r, t: r[2] is not None
    )


def _close_attendance() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    event = rsvp_event(OWN_GROUP, ended=True)
    rsvp_id = add_rsvp(event, _member_of_own_group())
    return (
        f"{ATTENDEES_STATE}.close_attendance",
        {"event_id": event.event_id},
        lambda: rsvp_row(rsvp_id)[0] == "no_show",
    )


def _show_code() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    event = rsvp_event(OWN_GROUP)
    check = "SELECT checkin_code FROM events WHERE id = :e"
    return (
        f"{ATTENDEES_STATE}.show_code",
        {"event_id": event.event_id},
        lambda: len(_scalar(check, e=event.event_id) or "") == 6,
    )


def _download_csv() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    event = rsvp_event(OWN_GROUP)
    check = "SELECT count(*) FROM audit_log WHERE action = 'export_attendees' AND target_id = :e"
    return (
        f"{ATTENDEES_STATE}.download_csv",
        {"event_id": event.event_id},
        lambda: _scalar(check, e=event.event_id) == 1,
    )


def _draw() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    event = rsvp_event(OWN_GROUP, allocation=TierAllocation.LOTTERY)
    check = "SELECT lottery_drawn_at FROM participation_tiers WHERE id = :t"
    return (
        f"{ATTENDEES_STATE}.draw",
        {"tier_id": event.tier_ids[0]},
        lambda: _scalar(check, t=event.tier_ids[0]) is not None,
    )


IDEA_PAGE_STATE = EVENT_PAGE_STATE.replace("event____event_page_state", "idea____idea_page_state")


def _idea(*, archived: bool = False) -> int:
    """An idea of the organiser's group, posted by one of its members, with a comment."""
    author = _member_of_own_group()
    now = datetime.now(UTC)
    with write_session() as session:
        actor = load_actor(session, member_id=author)
        ref = idea_posting.post_idea(
            session,
            actor=actor,
            group_id=group_id(OWN_GROUP, session=session),
            title=f"行列のアイデア {uuid.uuid4().hex[:6]}",
            description="",
            help_needed="",
            tags="",
            now=now,
        )
        idea_comments.add_comment(session, actor=actor, idea_id=ref.id, body="よろしく", now=now)
        if archived:
            session.execute(
                text("UPDATE ideas SET status = 'archived' WHERE id = :i"), {"i": ref.id}
            )
        return ref.id


def _idea_status(idea_id: int) -> str:
    return str(_scalar("SELECT status FROM ideas WHERE id = :i", i=idea_id))


def _archive_idea() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    idea_id = _idea()
    form = {"idea_id": str(idea_id), "reason": "重複しています"}
    return (
        f"{IDEA_PAGE_STATE}.archive",
        {"form_data": form},
        lambda: _idea_status(idea_id) == "archived",
    )


def _reopen_idea() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    idea_id = _idea(archived=True)
    form = {"idea_id": str(idea_id), "reason": "再開します"}
    return (
        f"{IDEA_PAGE_STATE}.reopen",
        {"form_data": form},
        lambda: _idea_status(idea_id) == "open",
    )


def _hide_comment() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    idea_id = _idea()
    comment = _scalar("SELECT id FROM comments WHERE idea_id = :i", i=idea_id)
    check = "SELECT hidden_at FROM comments WHERE id = :c"
    return (
        f"{IDEA_PAGE_STATE}.hide_comment",
        {"comment_id": comment},
        lambda: _scalar(check, c=comment) is not None,
    )


def _convert_idea() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    idea_id = _idea()
    check = "SELECT count(*) FROM events WHERE idea_id = :i"
    return (
        f"{IDEA_PAGE_STATE}.convert",
        {"form_data": {"idea_id": str(idea_id), "group_id": ""}},
        lambda: _scalar(check, i=idea_id) == 1,
    )


def _idea_rules() -> tuple[str, dict[str, Any], Callable[[], bool]]:
    threshold = 2 + int(uuid.uuid4().hex[:4], 16) % 900
    form = {
        "group_id": str(group_id(OWN_GROUP)),
        "threshold": str(threshold),
        "authors_convert": "",
    }
    state = EVENT_PAGE_STATE.replace(
        "event____event_page_state", "idea_settings____idea_settings_state"
    )
    check = "SELECT idea_support_threshold FROM groups WHERE slug = :s"
    return (f"{state}.save", {"form_data": form}, lambda: _scalar(check, s=OWN_GROUP) == threshold)


MATRIX: dict[str, Case] = {
    "IdeaSettingsState.save": Case(ORGANISERS, _idea_rules),
    "IdeaPageState.archive": Case(ORGANISERS, _archive_idea),
    "IdeaPageState.reopen": Case(ORGANISERS, _reopen_idea),
    "IdeaPageState.hide_comment": Case(ORGANISERS, _hide_comment),
    "IdeaPageState.convert": Case(ORGANISERS, _convert_idea),
    "AttendeesState.decide": Case(ORGANISERS, _approve_attendee),
    "AttendeesState.remove": Case(ORGANISERS, _remove_attendee),
    "AttendeesState.move": Case(ORGANISERS, _move_attendee),
    "AttendeesState.set_checked_in": Case(ORGANISERS, _check_in),
    "AttendeesState.close_attendance": Case(ORGANISERS, _close_attendance),
    "AttendeesState.show_code": Case(ORGANISERS, _show_code),
    "AttendeesState.download_csv": Case(ORGANISERS, _download_csv),
    "AttendeesState.draw": Case(ORGANISERS, _draw),
    "EventPageState.review": Case(ORGANISERS, _review),
    "EventPageState.repeat": Case(ORGANISERS, _repeat),
    "EventPageState.post_recap": Case(ORGANISERS, _post_recap),
    "ReviewState.decide": Case(ORGANISERS, _bulk_decide),
    "GroupPageState.decide": Case(ORGANISERS, _decide),
    "GroupPageState.remove_member": Case(ORGANISERS, _remove_member),
    "GroupPageState.edit_group": Case(ORGANISERS, _edit_group),
    "GroupWebhooksState.add": Case(ORGANISERS, _add_webhook),
    "GroupWebhooksState.remove": Case(ORGANISERS, _remove_webhook),
    "GroupCalendarState.add": Case(ORGANISERS, _add_calendar),
    "GroupCalendarState.remove": Case(ORGANISERS, _remove_calendar),
    "GroupCalendarState.fetch_now": Case(ORGANISERS, _fetch_calendar),
    "AdminState.create_group": Case(ADMIN, _create_group),
    "AdminState.appoint": Case(ADMIN, _appoint),
    "AdminState.demote": Case(ADMIN, _demote),
    "AdminState.set_disabled": Case(ADMIN, _disable),
    "MailboxState.send_test": Case(ADMIN, _send_test_mail),
}
ROLES = ("visitor", "member", "other_organiser", "organiser", "admin")


def _account(role: str) -> Account | None:
    if role == "visitor":
        return None
    if role == "member":
        member = create_account("一般 会員")
        add_membership(OWN_GROUP, member.member_id, MembershipStatus.ACTIVE)
        return member
    if role == "other_organiser":
        return create_account("よそ 世話人", organiser_of=OTHER_GROUP)
    if role == "organiser":
        return create_account("うち 世話人", organiser_of=OWN_GROUP)
    admin = create_account("管理 次郎")
    with write_session() as session:
        session.execute(
            text("UPDATE members SET is_admin = true WHERE id = :m"), {"m": admin.member_id}
        )
    return admin


@pytest.fixture
def client(
    app: AppHarnessProd, browser: Browser, request: pytest.FixtureRequest
) -> Iterator[Capture]:
    page = new_page(browser)
    capture = Capture(page, app)
    account = _account(request.param)
    if account is not None:
        log_in(capture, account)
    capture.visit(f"/groups/{OWN_GROUP}")  # loads the group page state (its group id)
    yield capture
    page.context.close()


def test_every_privileged_handler_is_in_the_matrix() -> None:
    from tests.ui.test_handler_inventory import app_handlers

    privileged = {
        name
        for name, access in app_handlers().items()
        if access is not None and access.value in {"organiser", "admin"}
    }
    # These only read (see test_exposure and test_notifications): nothing to change.
    read_only = {
        "AdminState.load",
        "AttendeesState.load",
        "ReviewState.load",
        "AuditState.load",
        "AuditState.apply_filters",
        "AuditState.clear_filters",
        "AuditState.next_page",
        "AuditState.previous_page",
        "MailboxState.load",
        "MailboxState.refresh",
        "MailboxState.open_mail",
        "MailboxState.close_mail",
        "MailboxState.next_page",
        "MailboxState.previous_page",
    }
    assert privileged == set(MATRIX) | read_only


@pytest.mark.parametrize("client", ROLES, indirect=True)
def test_privileged_handlers_act_only_for_permitted_roles(
    client: Capture, request: pytest.FixtureRequest
) -> None:
    role = request.node.callspec.params["client"]
    failures = []
    for name, case in MATRIX.items():
        handler, payload, took_effect = case.arrange()
        before = snapshot()

        send_event(client, handler, payload)

        if role in case.allowed and not took_effect():
            failures.append(f"{name}: allowed for {role} but had no effect")
        if role not in case.allowed and snapshot() != before:
            failures.append(f"{name}: denied for {role} but changed the database")
    assert failures == []
