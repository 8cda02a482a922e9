"""Partner calendars in the domain: who may add them, which URLs, and how a document
becomes read-only imported events (updated, cancelled and removed with the source)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, select

from community_app.domain.calendar import public_feed_entries
from community_app.domain.enums import EventStatus
from community_app.domain.errors import DomainError, PermissionDenied
from community_app.domain.external_calendars import (
    FETCH_NOW_INTERVAL,
    add_external_calendar,
    calendar_sources,
    fetch_target,
    import_calendar,
    imported_events,
    remove_external_calendar,
)
from community_app.domain.models import Event
from community_app.domain.permissions import load_actor
from community_app.domain.proposals import change_status
from tests.domain.group_world import make_organiser
from tests.factories import make_group, make_member
from tests.test_calendar_import import ics, vevent

pytestmark = pytest.mark.integration

URL = "https://partner.example.org/calendar.ics"


def test_only_the_groups_organisers_add_calendars_and_only_public_urls(
    session: Session, now: datetime
) -> None:
    group = make_group(session)
    organiser = load_actor(session, member_id=make_organiser(session, group).id)
    member = load_actor(session, member_id=make_member(session).id)

    with pytest.raises(PermissionDenied):
        add_external_calendar(session, actor=member, group_id=group.id, name="x", url=URL, now=now)
    for url, code in (
        ("http://127.0.0.1/cal.ics", "calendar_url_not_public"),
        ("ftp://example.org/c.ics", "invalid_calendar_url"),
        ("https://user:pw@example.org/c.ics", "calendar_url_credentials"),
    ):
        with pytest.raises(DomainError) as raised:
            add_external_calendar(
                session, actor=organiser, group_id=group.id, name="x", url=url, now=now
            )
        assert raised.value.code == code
    view = add_external_calendar(
        session,
        actor=organiser,
        group_id=group.id,
        name="NPO",
        url="webcal://partner.example.org/c.ics",
        now=now,
    )
    assert view.host == "partner.example.org"
    assert [s.name for s in calendar_sources(session, group_id=group.id)] == ["NPO"]


def test_imports_update_cancel_and_drop_events_and_stay_out_of_public_feeds(
    session: Session, now: datetime
) -> None:
    group = make_group(session)
    organiser = load_actor(session, member_id=make_organiser(session, group).id)
    view = add_external_calendar(
        session, actor=organiser, group_id=group.id, name="NPO", url=URL, now=now
    )
    first = ics(vevent("a@p", "子ども食堂"), vevent("b@p", "清掃活動", "20261206T010000Z"))
    import_calendar(
        session, calendar_id=view.calendar_id, body=first, etag="", last_modified="", now=now
    )
    cancelled_a = vevent("a@p", "子ども食堂 (改)").replace(
        "END:VEVENT", "STATUS:CANCELLED\r\nEND:VEVENT"
    )
    report = import_calendar(
        session,
        calendar_id=view.calendar_id,
        body=ics(cancelled_a),
        etag="",
        last_modified="",
        now=now,
    )

    shown = imported_events(session, group_id=group.id, now=now)
    assert (report.added, report.updated, report.removed) == (0, 1, 1)
    assert [(e.title, e.cancelled, e.source) for e in shown] == [("子ども食堂 (改)", True, "NPO")]
    assert public_feed_entries(session, now=now) == []
    imported = session.exec(select(Event)).one()
    with pytest.raises(DomainError):  # read-only: the workflow never touches it
        change_status(
            session,
            actor=organiser,
            event_id=imported.id,
            to=EventStatus.CANCELLED,
            reason="x",
            now=now,
        )

    remove_external_calendar(session, actor=organiser, calendar_id=view.calendar_id, now=now)
    assert session.exec(select(Event)).all() == []


def test_a_document_that_is_not_icalendar_changes_nothing(session: Session, now: datetime) -> None:
    group = make_group(session)
    organiser = load_actor(session, member_id=make_organiser(session, group).id)
    view = add_external_calendar(
        session, actor=organiser, group_id=group.id, name="NPO", url=URL, now=now
    )
    with pytest.raises(ValueError):
        import_calendar(
            session,
            calendar_id=view.calendar_id,
            body=b"<html>",
            etag="",
            last_modified="",
            now=now,
        )


def test_fetch_now_is_refused_within_a_minute_of_the_last_fetch(
    session: Session, now: datetime
) -> None:
    group = make_group(session)
    organiser = load_actor(session, member_id=make_organiser(session, group).id)
    view = add_external_calendar(
        session, actor=organiser, group_id=group.id, name="NPO", url=URL, now=now
    )

    assert fetch_target(session, actor=organiser, calendar_id=view.calendar_id, now=now).url == URL
    for moment in (now, now + FETCH_NOW_INTERVAL - timedelta(seconds=1)):
        with pytest.raises(DomainError) as raised:
            fetch_target(session, actor=organiser, calendar_id=view.calendar_id, now=moment)
        assert raised.value.code == "fetched_recently"
    later = now + FETCH_NOW_INTERVAL
    assert (
        fetch_target(session, actor=organiser, calendar_id=view.calendar_id, now=later).url == URL
    )
