"""The organisers' attendee list: who may act, promotion on remove and move, check-in,
attendance, and a CSV export no spreadsheet reads as formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from community_app.domain import attendees, checkin
from community_app.domain.enums import NotificationKind, RsvpStatus, TierAllocation
from community_app.domain.errors import DomainError, NotFound, PermissionDenied
from community_app.domain.models import (
    AuditLogEntry,
    Event,
    Member,
    Notification,
    ParticipationTier,
    Rsvp,
)
from community_app.domain.permissions import Actor
from tests.domain.group_world import ROLES, World, build_world
from tests.factories import START, make_event, make_member, make_tier

pytestmark = pytest.mark.unit
R = RsvpStatus
AFTER = START + timedelta(hours=3)  # the factories' events end at START + 2h


def add_rsvp(
    session: Session,
    tier: ParticipationTier,
    member: Member | None = None,
    *,
    status: RsvpStatus = R.GOING,
    queued_at: datetime | None = None,
    **overrides: Any,
) -> Rsvp:
    member = member or make_member(session)
    row = Rsvp(
        event_id=tier.event_id,
        tier_id=tier.id,
        member_id=member.id,
        status=status,
        queued_at=queued_at or START - timedelta(days=3, minutes=-(tier.id or 0)),
        **overrides,
    )
    session.add(row)
    session.flush()
    return row


def status_of(session: Session, rsvp: Rsvp) -> RsvpStatus:
    session.refresh(rsvp)
    return rsvp.status


def notified(session: Session, member: Member | int) -> list[NotificationKind]:
    member_id = member if isinstance(member, int) else member.id
    rows = session.exec(select(Notification).where(Notification.member_id == member_id)).all()
    return [row.kind for row in rows]


def audit_actions(session: Session) -> list[str]:
    return list(session.exec(select(AuditLogEntry.action)).all())


TABLES = ("events", "rsvps", "audit_log", "notifications", "login_attempts")


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    session.flush()
    return {
        name: [
            tuple(row)
            for row in session.execute(sa.select(table).order_by(*table.primary_key.columns))
        ]
        for name, table in ((n, SQLModel.metadata.tables[n]) for n in TABLES)
    }


# --- a small world: one event of group G with two tiers ------------------------------


@dataclass
class Stage:
    world: World
    event: Event
    hall: ParticipationTier  # capacity 1, full, one waiting
    online: ParticipationTier  # capacity 2, one seat free
    going: Rsvp
    waiting: Rsvp
    pending: Rsvp
    online_going: Rsvp


def build_stage(session: Session) -> Stage:
    world = build_world(session)
    event = make_event(session, group_id=world.group.id, title="子育て交流会")
    hall = make_tier(session, event_id=event.id, name="会場参加", name_en="In person", capacity=1)
    online = make_tier(session, event_id=event.id, name="オンライン", capacity=2, position=1)
    first = START - timedelta(days=5)
    return Stage(
        world=world,
        event=event,
        hall=hall,
        online=online,
        going=add_rsvp(session, hall, world.target, queued_at=first),
        waiting=add_rsvp(session, hall, status=R.WAITLISTED, queued_at=first + timedelta(hours=1)),
        pending=add_rsvp(session, online, status=R.PENDING, queued_at=first),
        online_going=add_rsvp(session, online, queued_at=first),
    )


@pytest.fixture
def stage(session: Session) -> Stage:
    return build_stage(session)


# --- five roles for every verb --------------------------------------------------------

Act = Callable[[Session, Stage, Actor, datetime], object]

VERBS: dict[str, tuple[Act, bool]] = {  # name: (call, whether it runs after the event)
    "list_attendees": (
        lambda s, st, a, now: attendees.list_attendees(s, actor=a, event_id=st.event.id, now=now),
        False,
    ),
    "decide_pending": (
        lambda s, st, a, now: attendees.decide_pending(
            s, actor=a, rsvp_id=st.pending.id, approve=True, now=now
        ),
        False,
    ),
    "remove_attendee": (
        lambda s, st, a, now: attendees.remove_attendee(s, actor=a, rsvp_id=st.going.id, now=now),
        False,
    ),
    "move_attendee": (
        lambda s, st, a, now: attendees.move_attendee(
            s, actor=a, rsvp_id=st.going.id, tier_id=st.online.id, now=now
        ),
        False,
    ),
    "set_checked_in": (
        lambda s, st, a, now: checkin.set_checked_in(
            s, actor=a, rsvp_id=st.going.id, checked_in=True, now=now
        ),
        False,
    ),
    "checkin_code": (
        lambda s, st, a, now: checkin.checkin_code(s, actor=a, event_id=st.event.id, now=now),
        False,
    ),
    "close_attendance": (
        lambda s, st, a, now: checkin.close_attendance(s, actor=a, event_id=st.event.id, now=now),
        True,
    ),
    "export_csv": (
        lambda s, st, a, now: attendees.export_csv(s, actor=a, event_id=st.event.id, now=now),
        False,
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("verb", VERBS)
def test_only_the_groups_organisers_and_admins_manage_attendees(
    session: Session, now: datetime, verb: str, role: str
) -> None:
    stage = build_stage(session)
    act, after_the_event = VERBS[verb]
    when = AFTER if after_the_event else now
    actor = stage.world.actor(session, role)
    before = snapshot(session)

    if role in ("organiser", "admin"):
        act(session, stage, actor, when)  # no error, and the domain tests below check effects
        assert snapshot(session) != before or verb == "list_attendees"
    else:
        with pytest.raises(PermissionDenied):
            act(session, stage, actor, when)
        assert snapshot(session) == before


@pytest.mark.parametrize("role", ["other_organiser", "organiser", "admin"])
def test_a_draft_is_not_found_even_for_the_groups_organisers(
    session: Session, now: datetime, role: str
) -> None:
    world = build_world(session)
    draft = make_event(session, group_id=world.group.id, status="draft", published_at=None)
    with pytest.raises(NotFound):
        attendees.list_attendees(
            session, actor=world.actor(session, role), event_id=draft.id, now=now
        )


@pytest.mark.parametrize("bad", ["1", True, None, 0, -3, 2**40, [1]])
def test_malformed_ids_are_refused_with_a_clear_code(
    session: Session, stage: Stage, now: datetime, bad: object
) -> None:
    organiser = stage.world.actor(session, "organiser")
    with pytest.raises(DomainError) as raised:
        attendees.remove_attendee(session, actor=organiser, rsvp_id=bad, now=now)
    assert raised.value.code == "invalid_id"


# --- the list -------------------------------------------------------------------------


def test_the_list_shows_each_tier_with_seats_waitlist_and_rows(
    session: Session, stage: Stage, now: datetime
) -> None:
    listing = attendees.list_attendees(
        session, actor=stage.world.actor(session, "organiser"), event_id=stage.event.id, now=now
    )

    hall, online = listing.tiers
    assert (hall.name, hall.capacity, hall.seats_left, hall.waitlist_length) == (
        "会場参加",
        1,
        0,
        1,
    )
    assert [(r.display_name, r.status, r.position) for r in hall.rows] == [
        (stage.world.target.display_name, R.GOING, None),
        (session.get(Member, stage.waiting.member_id).display_name, R.WAITLISTED, 1),
    ]
    assert (online.seats_left, [r.status for r in online.rows]) == (1, [R.GOING, R.PENDING])
    assert (listing.totals.going, listing.totals.waitlisted, listing.totals.pending) == (2, 1, 1)
    assert listing.is_over is False


# --- pending approvals ------------------------------------------------------------------


def test_approving_a_pending_rsvp_with_a_free_seat_makes_it_going_and_tells_the_member(
    session: Session, stage: Stage, now: datetime
) -> None:
    organiser = stage.world.actor(session, "organiser")
    status = attendees.decide_pending(
        session, actor=organiser, rsvp_id=stage.pending.id, approve=True, now=now
    )
    assert status == status_of(session, stage.pending) == R.GOING
    assert notified(session, stage.pending.member_id) == [NotificationKind.RSVP_DECIDED]
    assert audit_actions(session) == ["approve_rsvp"]


def test_approving_when_the_tier_is_full_puts_the_member_on_the_waitlist(
    session: Session, stage: Stage, now: datetime
) -> None:
    late = add_rsvp(session, stage.hall, status=R.PENDING)
    status = attendees.decide_pending(
        session, actor=stage.world.actor(session, "admin"), rsvp_id=late.id, approve=True, now=now
    )
    assert status == R.WAITLISTED


def test_declining_cancels_and_a_second_decision_is_refused(
    session: Session, stage: Stage, now: datetime
) -> None:
    organiser = stage.world.actor(session, "organiser")
    attendees.decide_pending(
        session, actor=organiser, rsvp_id=stage.pending.id, approve=False, now=now
    )
    assert status_of(session, stage.pending) == R.CANCELLED
    with pytest.raises(DomainError) as raised:
        attendees.decide_pending(
            session, actor=organiser, rsvp_id=stage.pending.id, approve=True, now=now
        )
    assert raised.value.code == "attendee_not_pending"


def test_a_decision_must_be_a_real_yes_or_no(session: Session, stage: Stage, now: datetime) -> None:
    organiser = stage.world.actor(session, "organiser")
    with pytest.raises(DomainError) as raised:
        attendees.decide_pending(
            session, actor=organiser, rsvp_id=stage.pending.id, approve="yes", now=now
        )
    assert raised.value.code == "invalid_flag"
    assert status_of(session, stage.pending) == R.PENDING


# --- removing and moving ------------------------------------------------------------


def test_removing_an_attendee_promotes_the_head_of_the_waitlist_at_once(
    session: Session, stage: Stage, now: datetime
) -> None:
    attendees.remove_attendee(
        session, actor=stage.world.actor(session, "organiser"), rsvp_id=stage.going.id, now=now
    )
    assert status_of(session, stage.going) == R.CANCELLED
    assert status_of(session, stage.waiting) == R.GOING
    assert notified(session, stage.world.target) == [NotificationKind.RSVP_DECIDED]
    assert notified(session, stage.waiting.member_id) == [NotificationKind.WAITLIST_PROMOTED]
    assert audit_actions(session) == ["remove_attendee"]


def test_removing_twice_is_refused(session: Session, stage: Stage, now: datetime) -> None:
    organiser = stage.world.actor(session, "organiser")
    attendees.remove_attendee(session, actor=organiser, rsvp_id=stage.going.id, now=now)
    with pytest.raises(DomainError) as raised:
        attendees.remove_attendee(session, actor=organiser, rsvp_id=stage.going.id, now=now)
    assert raised.value.code == "attendee_not_active"


def test_moving_releases_the_old_seat_and_takes_a_free_one_in_the_new_tier(
    session: Session, stage: Stage, now: datetime
) -> None:
    status = attendees.move_attendee(
        session,
        actor=stage.world.actor(session, "organiser"),
        rsvp_id=stage.going.id,
        tier_id=stage.online.id,
        now=now,
    )
    assert status == R.GOING and stage.going.tier_id == stage.online.id
    assert status_of(session, stage.waiting) == R.GOING  # promoted in the hall
    assert notified(session, stage.world.target) == [NotificationKind.RSVP_DECIDED]


def test_moving_into_a_full_tier_joins_the_back_of_its_waitlist(
    session: Session, stage: Stage, now: datetime
) -> None:
    organiser = stage.world.actor(session, "organiser")
    extra = add_rsvp(session, stage.online)  # the online tier is now full
    status = attendees.move_attendee(
        session, actor=organiser, rsvp_id=stage.going.id, tier_id=stage.online.id, now=now
    )
    listing = attendees.list_attendees(session, actor=organiser, event_id=stage.event.id, now=now)
    online = listing.tiers[1]
    assert status == R.WAITLISTED
    assert [r.rsvp_id for r in online.rows if r.status == R.WAITLISTED] == [stage.going.id]
    assert [r.position for r in online.rows if r.rsvp_id == stage.going.id] == [1]
    assert extra.status == R.GOING


def test_moving_into_an_undrawn_lottery_makes_an_applicant(
    session: Session, stage: Stage, now: datetime
) -> None:
    lottery = make_tier(
        session, event_id=stage.event.id, allocation=TierAllocation.LOTTERY, capacity=5
    )
    status = attendees.move_attendee(
        session,
        actor=stage.world.actor(session, "organiser"),
        rsvp_id=stage.going.id,
        tier_id=lottery.id,
        now=now,
    )
    assert status == R.APPLIED


def test_a_tier_of_another_event_is_refused(session: Session, stage: Stage, now: datetime) -> None:
    elsewhere = make_tier(session)
    before = snapshot(session)
    with pytest.raises(NotFound) as raised:
        attendees.move_attendee(
            session,
            actor=stage.world.actor(session, "admin"),
            rsvp_id=stage.going.id,
            tier_id=elsewhere.id,
            now=now,
        )
    assert raised.value.code == "attendee_tier_not_found"
    assert snapshot(session) == before


def test_attendees_cannot_be_changed_after_the_event(session: Session, stage: Stage) -> None:
    with pytest.raises(DomainError) as raised:
        attendees.remove_attendee(
            session,
            actor=stage.world.actor(session, "organiser"),
            rsvp_id=stage.going.id,
            now=AFTER,
        )
    assert raised.value.code == "attendee_event_over"


# --- check-in -----------------------------------------------------------------------


def test_the_organisers_toggle_checks_in_and_back(
    session: Session, stage: Stage, now: datetime
) -> None:
    organiser = stage.world.actor(session, "organiser")
    at = checkin.set_checked_in(
        session, actor=organiser, rsvp_id=stage.going.id, checked_in=True, now=now
    )
    again = checkin.set_checked_in(
        session, actor=organiser, rsvp_id=stage.going.id, checked_in=True, now=now + timedelta(1)
    )
    assert at == again == now  # the first check-in time is kept
    assert (
        checkin.set_checked_in(
            session, actor=organiser, rsvp_id=stage.going.id, checked_in=False, now=now
        )
        is None
    )


def test_only_people_with_a_seat_can_be_checked_in(
    session: Session, stage: Stage, now: datetime
) -> None:
    with pytest.raises(DomainError) as raised:
        checkin.set_checked_in(
            session,
            actor=stage.world.actor(session, "organiser"),
            rsvp_id=stage.waiting.id,
            checked_in=True,
            now=now,
        )
    assert raised.value.code == "attendee_not_going"


def test_the_check_in_code_is_six_unambiguous_characters_made_once(
    session: Session, stage: Stage, now: datetime
) -> None:
    organiser = stage.world.actor(session, "organiser")
    code = checkin.checkin_code(session, actor=organiser, event_id=stage.event.id, now=now)
    assert len(code) == 6 and set(code) <= set(checkin.CODE_ALPHABET)
    assert not set("01OIL") & set(checkin.CODE_ALPHABET)
    assert checkin.checkin_code(session, actor=organiser, event_id=stage.event.id, now=now) == code
    assert audit_actions(session) == ["create_checkin_code"]


def _self(session: Session, stage: Stage, code: object, when: datetime) -> checkin.SelfCheckIn:
    return checkin.self_check_in(
        session,
        actor=stage.world.actor(session, "target"),
        event_id=stage.event.id,
        code=code,
        now=when,
    )


@pytest.fixture
def code(session: Session, stage: Stage, now: datetime) -> str:
    return checkin.checkin_code(
        session, actor=stage.world.actor(session, "organiser"), event_id=stage.event.id, now=now
    )


def test_a_going_member_checks_in_with_the_code_in_any_case(
    session: Session, stage: Stage, code: str
) -> None:
    when = START - timedelta(minutes=10)
    done = _self(session, stage, f" {code[:3].lower()}-{code[3:]} ", when)
    assert done.checked_in_at == when == stage.going.checked_in_at
    assert done.event_title == "子育て交流会"


@pytest.mark.parametrize(
    ("when", "error"),
    [
        (START - timedelta(hours=1, seconds=1), "checkin_not_open_yet"),
        (START + timedelta(hours=2), "checkin_closed"),
    ],
)
def test_self_check_in_is_open_from_an_hour_before_until_the_end(
    session: Session, stage: Stage, code: str, when: datetime, error: str
) -> None:
    assert _self(session, stage, code, START - timedelta(hours=1)).checked_in_at is not None
    stage.going.checked_in_at = None
    with pytest.raises(DomainError) as raised:
        _self(session, stage, code, when)
    assert raised.value.code == error


@pytest.mark.parametrize("typed", ["", "   ", "ABCDEFG" * 5, None, 123456, ["ABC"]])
def test_a_malformed_code_is_refused(
    session: Session, stage: Stage, code: str, typed: object
) -> None:
    with pytest.raises(DomainError) as raised:
        _self(session, stage, typed, START)
    assert raised.value.code == "invalid_checkin_code"


def test_a_wrong_code_is_refused_and_too_many_lock_the_member_out(
    session: Session, stage: Stage, code: str
) -> None:
    wrong = "".join(c for c in checkin.CODE_ALPHABET if c not in code)[:6]
    member = stage.world.actor(session, "target")
    for attempt in range(checkin.WRONG_CODE_LIMIT):
        with pytest.raises(DomainError) as raised:
            _self(session, stage, wrong, START + timedelta(seconds=attempt))
        assert raised.value.code == "wrong_checkin_code"
        checkin.note_wrong_checkin_code(session, actor=member, now=START)
    with pytest.raises(DomainError) as locked:
        _self(session, stage, code, START + timedelta(minutes=1))
    assert locked.value.code == "rate_limited"
    assert stage.going.checked_in_at is None


def test_members_who_are_not_going_cannot_check_in(
    session: Session, stage: Stage, code: str
) -> None:
    with pytest.raises(DomainError) as raised:
        checkin.self_check_in(
            session,
            actor=stage.world.actor(session, "member"),
            event_id=stage.event.id,
            code=code,
            now=START,
        )
    assert raised.value.code == "checkin_not_going"


def test_a_visitor_cannot_check_in(session: Session, stage: Stage, code: str) -> None:
    visitor = stage.world.actor(session, "visitor")
    with pytest.raises(PermissionDenied):
        checkin.self_check_in(session, actor=visitor, event_id=stage.event.id, code=code, now=START)


# --- after the event -------------------------------------------------------------


def test_closing_attendance_counts_attended_and_no_shows(session: Session, stage: Stage) -> None:
    organiser = stage.world.actor(session, "organiser")
    with pytest.raises(DomainError) as early:
        checkin.close_attendance(session, actor=organiser, event_id=stage.event.id, now=START)
    checkin.set_checked_in(
        session, actor=organiser, rsvp_id=stage.going.id, checked_in=True, now=START
    )

    counts = checkin.close_attendance(session, actor=organiser, event_id=stage.event.id, now=AFTER)

    assert early.value.code == "event_not_over"
    assert (counts.attended, counts.no_show) == (1, 1)
    assert (status_of(session, stage.going), status_of(session, stage.online_going)) == (
        R.ATTENDED,
        R.NO_SHOW,
    )
    assert status_of(session, stage.waiting) == R.WAITLISTED
    # A late tick turns a no-show into attended; the list counts them.
    checkin.set_checked_in(
        session, actor=organiser, rsvp_id=stage.online_going.id, checked_in=True, now=AFTER
    )
    totals = attendees.list_attendees(
        session, actor=organiser, event_id=stage.event.id, now=AFTER
    ).totals
    assert (totals.attended, totals.no_show, totals.going) == (2, 0, 0)


# --- the CSV export ----------------------------------------------------------------


def _csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize(
    ("name", "cell"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+81 3 1234", "'+81 3 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tタブ", "'\tタブ"),
        ("\r改行", "'\r改行"),
        ("山田 花子", "山田 花子"),
        ("a=b", "a=b"),
    ],
)
def test_csv_cells_that_start_like_a_formula_get_a_quote(
    session: Session, stage: Stage, now: datetime, name: str, cell: str
) -> None:
    member = make_member(session, display_name=name)
    add_rsvp(session, stage.online, member, status=R.WAITLISTED)

    text = attendees.export_csv(
        session, actor=stage.world.actor(session, "organiser"), event_id=stage.event.id, now=now
    )

    rows = _csv_rows(text)
    assert rows[0] == ["参加枠", "名前", "状態", "キャンセル待ちの順番", "チェックイン日時"]
    assert ["オンライン", cell, "キャンセル待ち", "1", ""] in rows
    assert "export_attendees" in audit_actions(session)


def test_the_csv_speaks_english_and_shows_check_in_in_the_events_time_zone(
    session: Session, stage: Stage, now: datetime
) -> None:
    organiser = stage.world.actor(session, "organiser")
    checkin.set_checked_in(
        session, actor=organiser, rsvp_id=stage.going.id, checked_in=True, now=START
    )
    rows = _csv_rows(
        attendees.export_csv(
            session, actor=organiser, event_id=stage.event.id, locale="en", now=now
        )
    )
    assert rows[0] == ["Tier", "Name", "Status", "Waitlist position", "Checked in at"]
    assert rows[1] == [
        "In person",
        stage.world.target.display_name,
        "Going",
        "",
        "2026-11-28 21:00",
    ]


def test_a_safe_cell_leaves_plain_values_alone() -> None:
    assert [attendees.safe_cell(v) for v in (None, 3, "=1", "ok")] == ["", "3", "'=1", "ok"]
