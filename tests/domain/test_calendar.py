"""iCalendar documents: every calendar app reads them right (two independent parsers),
whatever text people type, with stable UIDs, SEQUENCE and STATUS over the lifecycle."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from sqlmodel import Session

from community_app.domain.calendar import (
    CANCELLED_KEPT_FOR,
    ONLINE_LOCATION,
    FeedEntry,
    FeedFilter,
    FeedHeader,
    build_calendar,
    event_feed_entry,
    feed_validator,
    plain_text,
    public_feed_entries,
)
from community_app.domain.enums import EventFormat, EventKind, EventStatus
from community_app.domain.event_editing import update_event
from community_app.domain.models import EventTag
from community_app.domain.permissions import load_actor
from community_app.domain.proposals import change_status
from tests.domain.group_world import make_organiser
from tests.domain.proposal_world import event_form
from tests.factories import START, make_event, make_group

pytestmark = pytest.mark.unit

SITE = "https://tsudoi.example"
HEADER = FeedHeader("Tsudoi 集い", "公開イベント", SITE)


def _entry(**overrides: object) -> FeedEntry:
    values: dict[str, object] = {
        "uid": "abc@tsudoi",
        "slug": "勉強会",
        "title": "勉強会",
        "summary": "",
        "description": "",
        "status": EventStatus.APPROVED,
        "starts_at": START,
        "ends_at": START + timedelta(hours=2),
        "timezone": "Asia/Tokyo",
        "location": "",
        "group_name": "WLB 夜カフェ",
        "group_slug": "wlb",
        "kind": EventKind.STUDY_SESSION,
        "tags": (),
        "sequence": 0,
        "updated_at": START - timedelta(days=1),
        "created_at": START - timedelta(days=2),
    }
    return FeedEntry(**(values | overrides))  # type: ignore[arg-type]


def _assert_line_rules(body: bytes) -> None:
    assert body.endswith(b"\r\n")
    for line in body.split(b"\r\n")[:-1]:
        assert len(line) <= 75, line
        line.decode("utf-8")  # never a split character
        assert b"\n" not in line and b"\r" not in line


# Text people type: Japanese, emoji, iCalendar's special characters, line breaks and
# control characters.
USER_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("\r\n,;:\\\"'\t 勉強会集い🎉👨‍👩‍👧")),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=120,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=USER_TEXT, summary=USER_TEXT, location=USER_TEXT, group=USER_TEXT, tag=USER_TEXT)
def test_any_user_text_round_trips_through_two_parsers_and_keeps_the_line_rules(
    title: str, summary: str, location: str, group: str, tag: str
) -> None:
    entry = _entry(title=title, summary=summary, location=location, group_name=group, tags=(tag,))
    body = build_calendar([entry], HEADER)

    _assert_line_rules(body)
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    parsed = vobject.readOne(body.decode("utf-8")).vevent
    expected_title = plain_text(title)
    assert str(event["summary"]) == expected_title
    assert parsed.summary.value == expected_title
    if plain_text(location):
        assert str(event["location"]) == plain_text(location)
        assert parsed.location.value == plain_text(location)
    description = plain_text(summary)
    if description.strip():
        assert str(event["description"]).startswith(description)
        assert parsed.description.value.startswith(description)
    assert parsed.uid.value == "abc@tsudoi"


def test_every_tzid_used_has_its_vtimezone() -> None:
    entries = [
        _entry(uid="a@t", timezone="Asia/Tokyo"),
        _entry(uid="b@t", timezone="Europe/Berlin"),
        _entry(uid="c@t", timezone="America/New_York"),
    ]
    calendar = Calendar.from_ical(build_calendar(entries, HEADER))

    used = {str(event["dtstart"].params["TZID"]) for event in calendar.walk("VEVENT")}
    used |= {str(event["dtend"].params["TZID"]) for event in calendar.walk("VEVENT")}
    defined = {str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")}
    assert used == defined == {"Asia/Tokyo", "Europe/Berlin", "America/New_York"}


def test_the_calendar_carries_the_header_properties_and_each_event_its_own() -> None:
    body = build_calendar([_entry(location=ONLINE_LOCATION, tags=("python",))], HEADER)
    calendar = Calendar.from_ical(body)
    event = calendar.walk("VEVENT")[0]

    for name in ("version", "prodid", "calscale", "name", "x-wr-calname", "x-wr-timezone"):
        assert calendar[name]
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in body.decode()
    assert str(calendar["x-published-ttl"]) == "PT1H"
    for name in ("uid", "dtstamp", "created", "last-modified", "sequence", "url", "organizer"):
        assert name in event
    assert event["organizer"].params["CN"] == "WLB 夜カフェ"
    assert [str(c) for c in event["categories"].cats] == ["勉強会", "python"]
    assert str(event["status"]) == "CONFIRMED"


def test_the_validator_changes_with_the_entries_and_not_otherwise() -> None:
    first = feed_validator([_entry()], HEADER)
    assert feed_validator([_entry()], HEADER) == first
    assert feed_validator([_entry(sequence=1)], HEADER).etag != first.etag
    assert feed_validator([], HEADER).etag != first.etag
    assert first.last_modified == _entry().updated_at


@pytest.mark.integration
def test_uid_stays_while_sequence_and_status_follow_the_lifecycle(
    session: Session, now: datetime
) -> None:
    group = make_group(session)
    organiser = make_organiser(session, group)
    actor = load_actor(session, member_id=organiser.id)
    event = make_event(
        session,
        group_id=group.id,
        proposer_id=organiser.id,
        status=EventStatus.DRAFT,
        published_at=None,
        created_at=now,
        updated_at=now,
    )
    assert event_feed_entry(session, slug=event.slug, now=now) is None  # drafts are private

    change_status(session, actor=actor, event_id=event.id, to=EventStatus.APPROVED, now=now)
    published = event_feed_entry(session, slug=event.slug, now=now)
    update_event(session, actor=actor, event_id=event.id, form=event_form(), now=now)
    edited = event_feed_entry(session, slug=event.slug, now=now)
    later = now + timedelta(hours=1)
    change_status(
        session, actor=actor, event_id=event.id, to=EventStatus.CANCELLED, reason="台風", now=later
    )
    cancelled = event_feed_entry(session, slug=event.slug, now=later)

    assert published and edited and cancelled
    assert published.uid == edited.uid == cancelled.uid == event.uid
    assert published.sequence < edited.sequence < cancelled.sequence
    statuses = [
        str(Calendar.from_ical(build_calendar([e], HEADER)).walk("VEVENT")[0]["status"])
        for e in (published, edited, cancelled)
    ]
    assert statuses == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    gone = later + CANCELLED_KEPT_FOR + timedelta(minutes=1)
    assert event_feed_entry(session, slug=event.slug, now=gone) is None
    assert public_feed_entries(session, now=gone) == []


@pytest.mark.integration
def test_public_entries_follow_the_filters_and_never_list_imports(
    session: Session, now: datetime
) -> None:
    group, other = make_group(session), make_group(session)
    study = make_event(
        session, group_id=group.id, kind=EventKind.STUDY_SESSION, format=EventFormat.ONLINE
    )
    session.add(EventTag(event_id=study.id, tag="python"))
    make_event(session, group_id=other.id, kind=EventKind.GATHERING, format=EventFormat.IN_PERSON)

    def slugs(where: FeedFilter) -> list[str]:
        return [entry.slug for entry in public_feed_entries(session, now=now, where=where)]

    assert slugs(FeedFilter(group_id=group.id)) == [study.slug]
    assert slugs(FeedFilter(kind=EventKind.STUDY_SESSION)) == [study.slug]
    assert slugs(FeedFilter(format=EventFormat.ONLINE)) == [study.slug]
    assert slugs(FeedFilter(tag="python")) == [study.slug]
    assert len(slugs(FeedFilter())) == 2
    entry = public_feed_entries(session, now=now, where=FeedFilter(group_id=group.id))[0]
    assert entry.location == ONLINE_LOCATION


def test_feeds_larger_than_one_tag_batch_keep_every_tag(
    session: Session, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tags are read in batches (PostgreSQL limits bound parameters per statement)."""
    from community_app.domain import calendar, events

    monkeypatch.setattr(events, "TAG_BATCH", 2)
    events = [make_event(session) for _ in range(5)]
    for number, event in enumerate(events):
        session.add(EventTag(event_id=event.id, tag=f"タグ{number}"))
    session.flush()

    entries = calendar.public_feed_entries(session, now=now)

    assert sorted(tag for entry in entries for tag in entry.tags) == [f"タグ{n}" for n in range(5)]
