"""Feeds assembled from cached VEVENT fragments are the plain icalendar build, byte for
byte, and every edit that shows in a VEVENT gives a new fragment and a new ETag."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from sqlmodel import Session, col, select

from community_app.domain import feed_documents
from community_app.domain.calendar import (
    PAST_KEPT_FOR,
    FeedEntry,
    FeedFilter,
    FeedHeader,
    build_calendar,
    public_feed_entries,
)
from community_app.domain.enums import EventKind, EventStatus, JoinPolicy, RsvpStatus
from community_app.domain.event_editing import update_event
from community_app.domain.feed_documents import (
    Fragment,
    FragmentCache,
    document_of,
    public_document,
    public_validator,
)
from community_app.domain.groups import update_group
from community_app.domain.models import Event, EventTag, Group, ParticipationTier
from community_app.domain.proposals import change_status
from community_app.domain.review import form_values
from community_app.domain.series import repeat_event
from tests.domain.group_world import World, build_world
from tests.domain.proposal_world import make_proposal
from tests.factories import START, make_event

pytestmark = pytest.mark.unit

SITE = "https://tsudoi.example"
HEADER = FeedHeader("Tsudoi 集い: 夜カフェ", "公開イベント / Published events", SITE)
LONG_JAPANESE = (
    "## 今回のテーマ\n\n地域のみなさんと、最近の取り組みを紹介しあう**勉強会**です。"
    "初めての方も歓迎します。資料は [共有フォルダ](https://example.org/slides) にあります。\n"
    "- 自己紹介（5分）\n- 話題提供（20分）\n- 交流会（30分）🎉👨‍👩‍👧\n" * 4
)


def _entry(number: int, **overrides: object) -> FeedEntry:
    starts = START + timedelta(days=7 * number)
    values: dict[str, object] = {
        "uid": f"event-{number}@tsudoi",
        "slug": f"夜カフェ-{number}",
        "title": "土曜夜カフェ",
        "summary": "子どもが寝たあとの交流会",
        "description": LONG_JAPANESE,
        "status": EventStatus.APPROVED,
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "timezone": "Asia/Tokyo",
        "location": "市民活動センター; 会議室A, 2階",
        "group_name": 'WLB "夜カフェ"',
        "group_slug": "wlb",
        "kind": EventKind.GATHERING,
        "tags": ("子育て", "交流, 雑談"),
        "sequence": number % 3,
        "updated_at": START - timedelta(days=1, seconds=number),
        "created_at": START - timedelta(days=2),
    }
    return FeedEntry(**(values | overrides))  # type: ignore[arg-type]


def _varied_entries() -> list[FeedEntry]:
    """A weekly series, a cancelled one, several time zones (UTC among them), and the
    personal variants: going with a join URL, waitlisted, pending."""
    series = [_entry(number) for number in range(3)]
    return [
        *series,
        _entry(3, status=EventStatus.CANCELLED, sequence=4),
        _entry(4, timezone="Europe/Berlin", kind=EventKind.STUDY_SESSION, tags=()),
        _entry(5, timezone="America/New_York", location="", description=""),
        _entry(6, timezone="UTC", title="UTC の会"),
        _entry(
            7,
            attendance=RsvpStatus.GOING,
            join_url="https://zoom.example.com/j/123?pwd=秘密",
            online_platform="Zoom; 会議",
        ),
        _entry(8, attendance=RsvpStatus.WAITLISTED),
        _entry(9, attendance=RsvpStatus.PENDING, timezone="Europe/Berlin"),
    ]


def test_fragments_give_the_plain_build_byte_for_byte_cold_and_warm() -> None:
    entries = _varied_entries()
    plain = build_calendar(entries, HEADER)
    cache = FragmentCache()

    cold = document_of(entries, HEADER, cache)
    warm = document_of(entries, HEADER, cache)

    assert cold == warm == plain
    assert len(cache) == len(entries)
    assert b"\r\n " in plain  # the long Japanese lines were folded
    zones = [str(zone["tzid"]) for zone in Calendar.from_ical(plain).walk("VTIMEZONE")]
    assert zones == ["America/New_York", "Asia/Tokyo", "Europe/Berlin"]


def test_the_vtimezones_come_in_tzid_order_whatever_the_order_of_the_events() -> None:
    entries = _varied_entries()
    forward = build_calendar(entries, HEADER)
    backward = build_calendar(entries[::-1], HEADER)

    head = forward.split(b"BEGIN:VEVENT")[0]
    assert head == backward.split(b"BEGIN:VEVENT")[0]
    assert document_of(entries[::-1], HEADER, FragmentCache()) == backward


def test_an_empty_feed_is_the_plain_build_too() -> None:
    assert document_of([], HEADER, FragmentCache()) == build_calendar([], HEADER)


TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("\r\n,;:\\\"'\t 勉強会集い🎉👨‍👩‍👧")),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=200,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, description=TEXT, location=TEXT, group=TEXT, tag=TEXT, join=st.booleans())
def test_any_text_gives_the_same_bytes_from_fragments(
    title: str, description: str, location: str, group: str, tag: str, join: bool
) -> None:
    entry = _entry(
        1,
        title=title,
        description=description,
        location=location,
        group_name=group,
        tags=(tag,),
        attendance=RsvpStatus.GOING if join else None,
        join_url="https://meet.example/x" if join else "",
    )
    assert document_of([entry], HEADER, FragmentCache()) == build_calendar([entry], HEADER)


def test_a_personal_variant_never_reuses_anothers_fragment() -> None:
    cache = FragmentCache()
    going = _entry(1, attendance=RsvpStatus.GOING, join_url="https://zoom.example.com/j/1")
    waiting = _entry(1, attendance=RsvpStatus.WAITLISTED)
    document_of([going], HEADER, cache)

    body = document_of([waiting], HEADER, cache)
    assert b"zoom.example.com" not in body.replace(b"\r\n ", b"")
    assert len(cache) == 2


def test_the_fragment_cache_drops_the_least_recently_used_within_its_budget() -> None:
    cost = 100 + feed_documents.ENTRY_OVERHEAD
    cache = FragmentCache(max_bytes=2 * cost)
    fragment = Fragment(b"x" * 100, ())
    cache.put("a", fragment)
    cache.put("b", fragment)
    assert cache.get("a") is fragment  # "a" is now the most recent
    cache.put("c", fragment)

    assert cache.get("b") is None and cache.get("a") is fragment and cache.get("c") is fragment
    assert cache.size == 2 * cost
    cache.put("huge", Fragment(b"x" * 3 * cost, ()))
    assert cache.get("huge") is None and len(cache) == 2


# From the database, on SQLite and PostgreSQL.


def _publish_world(session: Session, now: datetime) -> World:
    """Published events of two groups: a weekly series, a cancelled one, one cancelled
    long ago, time zones, tags and long Japanese descriptions."""
    world = build_world(session)
    first = make_proposal(
        session, group_id=world.group.id, proposer=world.organiser, status=EventStatus.APPROVED,
        title="夜カフェ", description=LONG_JAPANESE, timezone="Asia/Tokyo",
    )  # fmt: skip
    session.add(ParticipationTier(event_id=first.id, name="オンライン", capacity=100))
    session.flush()
    repeat_event(
        session,
        actor=world.actor(session, "organiser"),
        event_id=first.id,
        rule={"frequency": "weekly", "count": "4"},
        now=now,
    )
    make_event(
        session, group_id=world.other_group.id, title="Berlin meetup", timezone="Europe/Berlin",
        kind=EventKind.STUDY_SESSION, starts_at=START + timedelta(days=1),
        ends_at=START + timedelta(days=1, hours=2), updated_at=now, description=LONG_JAPANESE,
    )  # fmt: skip
    make_event(
        session, group_id=world.group.id, title="中止の会", status=EventStatus.CANCELLED,
        cancelled_at=now - timedelta(days=1), updated_at=now,
    )  # fmt: skip
    make_event(
        session, group_id=world.group.id, title="昔の中止", status=EventStatus.CANCELLED,
        cancelled_at=now - timedelta(days=60), updated_at=now - timedelta(days=60),
    )  # fmt: skip
    events = session.exec(select(Event).order_by(col(Event.id))).all()
    for index, event in enumerate(events):
        for tag in ("子育て", "python", "防災")[: index % 3 + 1]:
            session.add(EventTag(event_id=event.id, tag=tag))
    session.flush()
    return world


def _plain(session: Session, now: datetime, where: FeedFilter) -> bytes:
    return build_calendar(public_feed_entries(session, now=now, where=where), HEADER)


def _document(session: Session, now: datetime, where: FeedFilter, cache: FragmentCache) -> bytes:
    return public_document(session, now=now, where=where, header=HEADER, cache=cache)


def test_a_public_feed_from_the_database_is_the_plain_build_cold_and_warm(
    session: Session, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = _publish_world(session, now)
    filters = [
        FeedFilter(),
        FeedFilter(group_id=world.group.id),
        FeedFilter(tag="python"),
        FeedFilter(kind=EventKind.STUDY_SESSION),
    ]
    cache = FragmentCache()
    cold = [_document(session, now, where, cache) for where in filters]
    renders: list[int] = []
    real = feed_documents.render_fragment
    monkeypatch.setattr(
        feed_documents, "render_fragment", lambda *a, **k: renders.append(1) or real(*a, **k)
    )
    warm = [_document(session, now, where, cache) for where in filters]

    assert cold == warm == [_plain(session, now, where) for where in filters]
    assert renders == []  # the warm documents rendered nothing
    calendar = Calendar.from_ical(cold[0])
    titles = [str(event["summary"]) for event in calendar.walk("VEVENT")]
    assert titles.count("夜カフェ") == 4 and "中止の会" in titles and "昔の中止" not in titles
    assert {str(zone["tzid"]) for zone in calendar.walk("VTIMEZONE")} == {
        "Asia/Tokyo",
        "Europe/Berlin",
    }


def _first_cafe(session: Session) -> Event:
    return session.exec(
        select(Event).where(Event.title == "夜カフェ").order_by(col(Event.starts_at))
    ).first()  # type: ignore[return-value]


def _retag(session: Session, world: World, now: datetime) -> None:
    event = _first_cafe(session)
    form = form_values(session, event) | {"tags": "新しいタグ"}
    update_event(
        session, actor=world.actor(session, "organiser"), event_id=event.id or 0, form=form, now=now
    )


def _retitle(session: Session, world: World, now: datetime) -> None:
    event = _first_cafe(session)
    form = form_values(session, event) | {"title": "夜カフェ(改題)"}
    update_event(
        session, actor=world.actor(session, "organiser"), event_id=event.id or 0, form=form, now=now
    )


def _cancel(session: Session, world: World, now: datetime) -> None:
    change_status(
        session,
        actor=world.actor(session, "organiser"),
        event_id=_first_cafe(session).id or 0,
        to=EventStatus.CANCELLED,
        reason="台風のため",
        now=now,
    )


def _rename_group(session: Session, world: World, now: datetime) -> None:
    group = session.get(Group, world.group.id)
    assert group is not None
    update_group(
        session, actor=world.actor(session, "organiser"), group_id=world.group.id or 0,
        name="夜カフェ改め", name_en=group.name_en, description=group.description,
        description_en=group.description_en, timezone=group.timezone,
        join_policy=JoinPolicy(group.join_policy), now=now,
    )  # fmt: skip


@pytest.mark.parametrize(
    "edit",
    [_retag, _retitle, _cancel, _rename_group],
    ids=["tags", "title", "cancel", "group-rename"],
)
def test_an_edit_gives_a_new_fragment_a_new_etag_and_the_plain_build(
    session: Session, now: datetime, edit: Callable[[Session, World, datetime], None]
) -> None:
    world = _publish_world(session, now)
    where = FeedFilter(group_id=world.group.id)
    cache = FragmentCache()
    before = public_validator(session, now=now, where=where, header=HEADER)
    old = _document(session, now, where, cache)
    fragments = len(cache)

    later = now + timedelta(minutes=5)
    edit(session, world, later)
    session.flush()
    after = public_validator(session, now=later, where=where, header=HEADER)
    new = _document(session, later, where, cache)

    assert after.etag != before.etag
    assert new != old and new == _plain(session, later, where)
    assert len(cache) > fragments  # the changed VEVENTs were rendered again


def test_an_unchanged_feed_keeps_its_etag_and_one_leaving_with_time_changes_it(
    session: Session, now: datetime
) -> None:
    world = _publish_world(session, now)
    where = FeedFilter(group_id=world.group.id)
    first = public_validator(session, now=now, where=where, header=HEADER)
    again = public_validator(session, now=now + timedelta(minutes=1), where=where, header=HEADER)
    cafe = _first_cafe(session)
    gone = cafe.ends_at + PAST_KEPT_FOR + timedelta(seconds=1)  # the first café drops out
    dropped = public_validator(session, now=gone, where=where, header=HEADER)
    renamed = public_validator(
        session, now=now, where=where, header=FeedHeader("別の名前", "", SITE)
    )

    assert first == again
    assert first.last_modified is not None
    assert dropped.etag != first.etag and renamed.etag != first.etag
    assert b"Berlin" not in _plain(session, now, where)  # the filter holds
