"""Fetching partner calendars over real HTTP on 127.0.0.1: import, conditional
requests, and failures recorded on the source without touching what was imported."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from community_app.calendar_import import REFRESH_EVERY, refresh, refresh_due
from community_app.db import write_session
from community_app.domain import external_calendars
from community_app.domain.external_calendars import claim_due_targets, import_calendar
from community_app.domain.models import Event, ExternalCalendar
from community_app.fetch_guard import guarded_client
from tests.factories import make_group
from tests.http_receiver import Answer, Receiver, running_receiver

pytestmark = pytest.mark.integration


def ics(*events: str) -> bytes:
    body = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//partner//EN\r\n"
    return (body + "".join(events) + "END:VCALENDAR\r\n").encode()


def vevent(uid: str, summary: str, start: str = "20261205T100000Z") -> str:
    return (
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:{start}\r\n"
        f"DTEND:20261205T120000Z\r\nSUMMARY:{summary}\r\nLOCATION:公民館\r\nEND:VEVENT\r\n"
    )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        yield receiver


def _calendar(engine: Engine, url: str) -> int:
    with Session(engine) as session:
        group = make_group(session)
        row = ExternalCalendar(group_id=group.id, name="まちの NPO", url=url)
        session.add(row)
        session.commit()
        assert row.id is not None
        return row.id


def _run(engine: Engine, now: datetime, calendar_id: int | None = None) -> None:
    async def go() -> None:
        async with guarded_client(allow_loopback=True) as client:
            await refresh_due(client=client, now=now, engine=engine)

    asyncio.run(go())


def _state(engine: Engine) -> tuple[list[str], ExternalCalendar]:
    with Session(engine) as session:
        titles = [e.title for e in session.exec(select(Event).order_by(Event.starts_at))]
        return titles, session.exec(select(ExternalCalendar)).one()


def test_a_partner_calendar_is_imported_then_asked_conditionally(
    engine: Engine, now: datetime, receiver: Receiver
) -> None:
    receiver.answers["/cal.ics"] = Answer(
        body=ics(vevent("a@partner", "子ども食堂")),
        headers={"ETag": '"v1"', "Last-Modified": "Sun, 01 Nov 2026 00:00:00 GMT"},
    )
    _calendar(engine, receiver.url("/cal.ics"))
    _run(engine, now)
    receiver.answers["/cal.ics"] = Answer(status=304, body=b"")
    _run(engine, now + timedelta(hours=2))

    titles, source = _state(engine)
    assert titles == ["子ども食堂"] and source.last_error == ""
    second = receiver.requests[1].headers
    assert second["If-None-Match"] == '"v1"'
    assert second["If-Modified-Since"] == "Sun, 01 Nov 2026 00:00:00 GMT"


def test_a_broken_feed_records_an_error_and_keeps_the_imported_events(
    engine: Engine, now: datetime, receiver: Receiver
) -> None:
    receiver.answers["/cal.ics"] = Answer(body=ics(vevent("a@partner", "子ども食堂")))
    _calendar(engine, receiver.url("/cal.ics"))
    _run(engine, now)
    receiver.answers["/cal.ics"] = Answer(body=b"<html>not a calendar</html>")
    _run(engine, now + timedelta(hours=2))
    titles, source = _state(engine)
    assert titles == ["子ども食堂"] and "iCalendar" in source.last_error

    receiver.answers["/cal.ics"] = Answer(status=500)
    _run(engine, now + timedelta(hours=4))
    assert _state(engine)[1].last_error == "HTTP 500"


def test_redirects_are_not_followed(engine: Engine, now: datetime, receiver: Receiver) -> None:
    receiver.answers["/cal.ics"] = Answer(status=302, headers={"Location": "/elsewhere"})
    _calendar(engine, receiver.url("/cal.ics"))
    _run(engine, now)
    assert receiver.paths() == ["/cal.ics"] and _state(engine)[1].last_error == "HTTP 302"


def test_private_addresses_are_refused_without_loopback_permission(
    engine: Engine, now: datetime, receiver: Receiver
) -> None:
    calendar_id = _calendar(engine, receiver.url("/cal.ics"))
    with Session(engine) as session:
        target = session.get(ExternalCalendar, calendar_id)
        assert target is not None
        from community_app.domain.external_calendars import FetchTarget

        job = FetchTarget(calendar_id, target.url, "", "")

    async def go() -> str:
        async with guarded_client() as client:
            return await refresh(job, client=client, now=now, engine=engine)

    error = asyncio.run(go())
    assert error.startswith("refused") and receiver.requests == []
    assert _state(engine)[1].last_error == error


def test_a_calendar_claimed_by_one_worker_is_not_due_for_another(
    engine: Engine, now: datetime
) -> None:
    # Every backend worker runs the import loop; a partner's server is asked once a round.
    _calendar(engine, "https://partner.example.org/cal.ics")

    with write_session(engine) as session:
        first = claim_due_targets(session, now=now, every=REFRESH_EVERY)
    with write_session(engine) as session:
        second = claim_due_targets(session, now=now, every=REFRESH_EVERY)
    with write_session(engine) as session:
        next_round = claim_due_targets(session, now=now + REFRESH_EVERY, every=REFRESH_EVERY)

    assert [t.url for t in first] == ["https://partner.example.org/cal.ics"]
    assert second == []
    assert [t.calendar_id for t in next_round] == [t.calendar_id for t in first]


def test_a_calendar_is_parsed_before_the_write_lock_is_taken(
    engine: Engine, now: datetime, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Parsing a partner's 13 509 events took 2.5 s inside BEGIN IMMEDIATE, blocking every
    # writer. The spy wraps the real parser and notes the connections held meanwhile.
    held: list[int] = []
    real_parser = external_calendars.parse_calendar

    def parse_and_note(body: bytes, *, timezone: str) -> list[external_calendars.ParsedEvent]:
        held.append(engine.pool.checkedout())  # type: ignore[attr-defined]
        return real_parser(body, timezone=timezone)

    monkeypatch.setattr(external_calendars, "parse_calendar", parse_and_note)
    body = ics(*(vevent(f"{number}@partner", f"催し {number}") for number in range(200)))
    receiver.answers["/cal.ics"] = Answer(body=body)
    calendar_id = _calendar(engine, receiver.url("/cal.ics"))

    _run(engine, now)

    assert held == [0] and len(_state(engine)[0]) == 200
    # Control: parsing inside the one write transaction (the way it was) holds it.
    with write_session(engine) as session:
        import_calendar(
            session, calendar_id=calendar_id, body=body, etag="", last_modified="", now=now
        )
    assert held == [0, 1]
