"""Personal feed tokens: shown once, stored hashed, rotated and revoked at once; and
what a personal feed lists (join URLs only for going members)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import Session, select

from community_app.domain.calendar import FeedHeader, build_calendar
from community_app.domain.enums import EventStatus, RsvpStatus
from community_app.domain.errors import PermissionDenied
from community_app.domain.feed_tokens import (
    current_feed_token,
    issue_feed_token,
    personal_feed_entries,
    resolve_feed_token,
    revoke_feed_token,
)
from community_app.domain.models import FeedToken
from community_app.domain.permissions import VISITOR, load_actor
from tests.domain.proposal_world import add_rsvp
from tests.factories import make_event, make_member

pytestmark = pytest.mark.integration

JOIN = "https://meet.example.com/secret-room"


def test_a_token_has_256_bits_is_stored_hashed_and_resolves_to_its_member(
    session: Session, now: datetime
) -> None:
    member = make_member(session)
    issued = issue_feed_token(session, actor=load_actor(session, member_id=member.id), now=now)

    assert len(issued.token) >= 43  # 32 bytes of URL-safe base64
    stored = session.exec(select(FeedToken.token_hash)).all()
    assert issued.token not in stored and len(stored) == 1
    assert resolve_feed_token(session, token=issued.token, now=now) == member.id


def test_rotating_kills_the_old_url_at_once(session: Session, now: datetime) -> None:
    actor = load_actor(session, member_id=make_member(session).id)
    old = issue_feed_token(session, actor=actor, now=now).token
    new = issue_feed_token(session, actor=actor, now=now + timedelta(minutes=1)).token

    assert resolve_feed_token(session, token=old, now=now) is None
    assert resolve_feed_token(session, token=new, now=now) == actor.member_id


def test_revoking_kills_the_url_and_the_status_says_so(session: Session, now: datetime) -> None:
    actor = load_actor(session, member_id=make_member(session).id)
    token = issue_feed_token(session, actor=actor, now=now).token
    revoke_feed_token(session, actor=actor, now=now)

    assert resolve_feed_token(session, token=token, now=now) is None
    assert current_feed_token(session, actor=actor) is None


def test_use_is_recorded_at_a_coarse_resolution(session: Session, now: datetime) -> None:
    actor = load_actor(session, member_id=make_member(session).id)
    token = issue_feed_token(session, actor=actor, now=now).token
    resolve_feed_token(session, token=token, now=now + timedelta(hours=1))
    resolve_feed_token(session, token=token, now=now + timedelta(hours=1, seconds=30))

    view = current_feed_token(session, actor=actor)
    assert view is not None and view.last_used_at == now + timedelta(hours=1)


def test_junk_tokens_and_disabled_members_resolve_to_nobody(
    session: Session, now: datetime
) -> None:
    member = make_member(session)
    token = issue_feed_token(session, actor=load_actor(session, member_id=member.id), now=now).token
    for junk in ("", "x" * 600, "日本語", None, 42, token + "x"):
        assert resolve_feed_token(session, token=junk, now=now) is None
    member.is_disabled = True
    session.add(member)
    assert resolve_feed_token(session, token=token, now=now) is None


def test_visitors_get_no_token(session: Session, now: datetime) -> None:
    with pytest.raises(PermissionDenied):
        issue_feed_token(session, actor=VISITOR, now=now)


def test_the_personal_feed_marks_places_and_gives_join_urls_only_to_going(
    session: Session, now: datetime
) -> None:
    member = make_member(session)
    going = make_event(session, title="going", join_url=JOIN, online_platform="Zoom")
    waiting = make_event(session, title="waiting", join_url=JOIN)
    pending = make_event(session, title="pending", join_url=JOIN)
    left = make_event(session, title="left", join_url=JOIN)
    draft = make_event(session, title="draft", status=EventStatus.DRAFT, published_at=None)
    add_rsvp(session, going, member, RsvpStatus.GOING)
    add_rsvp(session, waiting, member, RsvpStatus.WAITLISTED)
    add_rsvp(session, pending, member, RsvpStatus.PENDING)
    add_rsvp(session, left, member, RsvpStatus.CANCELLED)
    add_rsvp(session, draft, member, RsvpStatus.GOING)

    entries = personal_feed_entries(session, member_id=member.id, now=now)
    body = build_calendar(entries, FeedHeader("me", "", "https://tsudoi.example"))
    events = {str(e["summary"]): e for e in Calendar.from_ical(body).walk("VEVENT")}
    by_title = {entry.title: entry for entry in entries}

    assert set(by_title) == {"going", "waiting", "pending"}
    confirmed = events["going"]
    assert str(confirmed["status"]) == "CONFIRMED"
    assert (
        str(confirmed["conference"]) == JOIN and confirmed["conference"].params["LABEL"] == "Zoom"
    )
    assert JOIN in str(confirmed["description"])
    for title in ("waiting", "pending"):
        assert by_title[title].join_url == ""
    unfolded = body.replace(b"\r\n ", b"")
    assert unfolded.count(JOIN.encode()) == 2  # CONFERENCE and DESCRIPTION of "going"
    statuses = sorted(str(e["status"]) for e in events.values())
    assert statuses == ["CONFIRMED", "TENTATIVE", "TENTATIVE"]
    assert "キャンセル待ち" in body.decode()


def test_the_join_url_waits_for_its_reveal_time(session: Session, now: datetime) -> None:
    member = make_member(session)
    event = make_event(session, join_url=JOIN, join_url_reveal_minutes=30)
    add_rsvp(session, event, member, RsvpStatus.GOING)

    early = personal_feed_entries(
        session, member_id=member.id, now=event.starts_at - timedelta(hours=1)
    )
    late = personal_feed_entries(
        session, member_id=member.id, now=event.starts_at - timedelta(minutes=10)
    )
    assert early[0].join_url == "" and late[0].join_url == JOIN
