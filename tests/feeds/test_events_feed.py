"""/feeds/events.ics is a valid calendar of the published events, with ETags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from icalendar import Calendar
from sqlalchemy import Engine
from sqlmodel import Session

from community_app.domain.enums import EventStatus
from tests.factories import make_event, make_group
from tests.feeds.client import get

pytestmark = pytest.mark.integration

SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)


def _publish_fixture_events(engine: Engine) -> None:
    with Session(engine) as session:
        group = make_group(session, name="WLB 夜カフェ")
        common = {"group_id": group.id, "starts_at": SOON, "ends_at": SOON + timedelta(hours=1)}
        make_event(
            session,
            title="土曜夜カフェ",
            slug="土曜夜カフェ",
            join_url="https://meet.example.com/secret",
            **common,
        )
        make_event(session, title="NPO 勉強会", slug="npo-勉強会", **common)
        make_event(
            session,
            title="下書き",
            slug="draft",
            status=EventStatus.DRAFT,
            published_at=None,
            **common,
        )
        make_event(
            session,
            title="審査中",
            slug="pending",
            status=EventStatus.SUBMITTED,
            published_at=None,
            **common,
        )
        make_event(
            session,
            title="中止の会",
            slug="cancelled",
            status=EventStatus.CANCELLED,
            cancelled_at=datetime.now(UTC),
            **common,
        )
        session.commit()


def _events(body: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(body)
    return {str(component["summary"]): component for component in calendar.walk("VEVENT")}


def test_the_feed_lists_published_events_only(app_database: Engine) -> None:
    _publish_fixture_events(app_database)
    response = get("/feeds/events.ics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    events = _events(response.content)
    assert set(events) == {"土曜夜カフェ", "NPO 勉強会", "中止の会"}
    assert str(events["中止の会"]["status"]) == "CANCELLED"
    assert str(events["NPO 勉強会"]["status"]) == "CONFIRMED"


def test_the_feed_gives_times_in_the_event_timezone_with_a_vtimezone(app_database: Engine) -> None:
    _publish_fixture_events(app_database)
    body = get("/feeds/events.ics").content
    calendar = Calendar.from_ical(body)
    event = _events(body)["土曜夜カフェ"]

    start = event["dtstart"].dt  # type: ignore[index]
    assert start == SOON
    assert event["dtstart"].params["TZID"] == "Asia/Tokyo"  # type: ignore[index]
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    url = str(event["url"])  # type: ignore[index]
    assert url == "https://tsudoi.example/events/" + quote("土曜夜カフェ")
    assert calendar["x-wr-calname"] and calendar["refresh-interval"]


def test_the_public_feed_never_carries_join_urls(app_database: Engine) -> None:
    _publish_fixture_events(app_database)
    body = get("/feeds/events.ics").content
    assert b"meet.example.com" not in body


def test_an_unchanged_feed_answers_304_to_its_etag(app_database: Engine) -> None:
    _publish_fixture_events(app_database)
    first = get("/feeds/events.ics")
    again = get("/feeds/events.ics", headers={"If-None-Match": first.headers["etag"]})
    other = get("/feeds/events.ics", headers={"If-None-Match": '"stale"'})

    assert again.status_code == 304 and again.content == b""
    assert other.status_code == 200 and other.content == first.content


def test_health_reports_the_database(app_database: Engine) -> None:
    response = get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
