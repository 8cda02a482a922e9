"""Sending the mail outbox to a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from community_app.domain.enums import MailStatus
from community_app.domain.mail import CalendarPart, enqueue_mail
from community_app.domain.mail_kinds import MailKind
from community_app.domain.models import MailMessage, Member
from community_app.mail_delivery import (
    MAX_ATTEMPTS,
    MailReport,
    Sender,
    claim_due,
    deliver_due,
    record_outcomes,
    retry_delay,
    send_all,
)
from tests.domain.mail_world import SITE
from tests.factories import make_member
from tests.mail_server import MAIL_FROM, MailServer, running_mail_server

pytestmark = pytest.mark.integration

DECIDED = {"group_name": "子育て", "approved": True, "group_path": "/groups/k"}
ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tsudoi//EN\r\nMETHOD:REQUEST\r\n"
    b"BEGIN:VEVENT\r\nUID:event-1@tsudoi.example\r\nSEQUENCE:2\r\n"
    b"DTSTAMP:20261122T030000Z\r\nDTSTART:20261128T120000Z\r\nSUMMARY:Study\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def _queue(
    engine: Engine,
    now: datetime,
    *,
    count: int = 1,
    kind: MailKind = MailKind.MEMBERSHIP_DECIDED,
    calendar: CalendarPart | None = None,
    **member_fields: object,
) -> list[int]:
    """Members with one queued mail each; returns the member ids."""
    ids = []
    with Session(engine) as session:
        for _ in range(count):
            member = make_member(session, **member_fields)
            context = DECIDED if kind is MailKind.MEMBERSHIP_DECIDED else {"requested_by": "a"}
            row = enqueue_mail(
                session,
                member=member,
                kind=kind,
                context=context,
                now=now,
                calendar=calendar,
                site=SITE,
            )
            assert row is not None
            ids.append(member.id)
        session.commit()
    return [member_id for member_id in ids if member_id is not None]


def _deliver(engine: Engine, now: datetime, sender: Sender | None) -> MailReport:
    return asyncio.run(deliver_due(now=now, sender=sender, engine=engine))


def _rows(engine: Engine) -> list[MailMessage]:
    with Session(engine) as session:
        return list(session.exec(select(MailMessage).order_by(col(MailMessage.id))).all())


def test_a_mail_arrives_with_its_headers_both_parts_and_unsubscribe(
    engine: Engine, now: datetime, mail_server: MailServer
) -> None:
    (member_id,) = _queue(engine, now, locale="en", display_name="山田 花子")

    report = _deliver(engine, now, mail_server.sender())

    assert report == MailReport(claimed=1, sent=1), _rows(engine)[0].last_error
    (received,) = mail_server.messages
    message, row = received.message, _rows(engine)[0]
    assert received.envelope_from == "noreply@tsudoi.example"
    assert message["From"] == MAIL_FROM
    assert message["To"].addresses[0].display_name == "山田 花子"
    assert message["Subject"] == "[Tsudoi] Your request to join “子育て” was approved"
    assert message["Message-ID"] == row.message_id and message["Date"]
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe"] == f"<{row.list_unsubscribe_url}>"
    assert f"/mail/unsubscribe/{member_id}/participation/" in message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    assert "Hello 山田 花子," in received.part("text/plain")
    assert '<html lang="en">' in received.part("text/html")
    assert (row.status, row.attempts, row.sent_at) == (MailStatus.SENT, 1, now)


def test_account_mails_carry_no_unsubscribe_headers(
    engine: Engine, now: datetime, mail_server: MailServer
) -> None:
    _queue(engine, now, kind=MailKind.TEST)

    _deliver(engine, now, mail_server.sender())

    message = mail_server.messages[0].message
    assert message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None
    assert message["Subject"] == "[Tsudoi] テストメール"


def test_a_calendar_part_goes_out_with_its_method(
    engine: Engine, now: datetime, mail_server: MailServer
) -> None:
    _queue(engine, now, calendar=CalendarPart(method="REQUEST", ics=ICS))

    _deliver(engine, now, mail_server.sender())

    message = mail_server.messages[0].message
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(part.get_content())
    assert calendar.walk("VEVENT")[0]["UID"] == "event-1@tsudoi.example"


def test_carrier_addresses_with_odd_dots_are_sent_to(
    engine: Engine, now: datetime, mail_server: MailServer
) -> None:
    _queue(engine, now, email="a..b@docomo.ne.jp")
    _queue(engine, now, email="ab.@ezweb.ne.jp")

    report = _deliver(engine, now, mail_server.sender())

    assert report.sent == 2
    assert sorted(r for m in mail_server.messages for r in m.recipients) == [
        "a..b@docomo.ne.jp",
        "ab.@ezweb.ne.jp",
    ]


def test_while_the_server_is_down_mail_waits_and_goes_out_when_it_is_back(
    engine: Engine, now: datetime
) -> None:
    with running_mail_server() as server:
        _queue(engine, now)
        server.stop()

        down = _deliver(engine, now, server.sender())
        row = _rows(engine)[0]
        assert down == MailReport(claimed=1, retrying=1)
        assert row.status is MailStatus.QUEUED and row.next_attempt_at == now + retry_delay(1)
        assert "ConnectionRefusedError" in row.last_error

        server.start()
        assert _deliver(engine, now + timedelta(seconds=30), server.sender()) == MailReport()
        back = _deliver(engine, now + retry_delay(1), server.sender())

        assert back == MailReport(claimed=1, sent=1)
        assert len(server.messages) == 1


def test_a_permanent_refusal_gives_up_and_marks_the_address(
    engine: Engine, now: datetime, mail_server: MailServer
) -> None:
    (member_id,) = _queue(engine, now, email="gone@example.org")
    mail_server.refuse("gone@example.org", "550 5.1.1 No such user")

    report = _deliver(engine, now, mail_server.sender())

    assert report == MailReport(claimed=1, failed=1)
    row = _rows(engine)[0]
    assert row.status is MailStatus.FAILED and "550" in row.last_error
    with Session(engine) as session:
        member = session.get(Member, member_id)
        assert member is not None and member.email_undeliverable_at == now
        assert "No such user" in member.email_undeliverable_reason
        again = enqueue_mail(
            session, member=member, kind=MailKind.TEST, context={"requested_by": "a"}, now=now
        )
        assert again is None


def test_a_temporary_refusal_is_retried_then_given_up(
    engine: Engine, now: datetime, mail_server: MailServer
) -> None:
    (member_id,) = _queue(engine, now, email="busy@example.org")
    mail_server.refuse("busy@example.org", "451 4.3.0 Try again later")

    moment = now
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = _deliver(engine, moment, mail_server.sender())
        expected = MailReport(claimed=1, failed=1) if attempt == MAX_ATTEMPTS else None
        assert report == (expected or MailReport(claimed=1, retrying=1))
        moment += retry_delay(attempt)

    assert _rows(engine)[0].status is MailStatus.FAILED
    with Session(engine) as session:
        member = session.get(Member, member_id)
        assert member is not None and member.email_undeliverable_at is None


def test_without_smtp_every_mail_is_held_for_the_admin_mailbox(
    engine: Engine, now: datetime
) -> None:
    _queue(engine, now, count=2)

    assert _deliver(engine, now, None) == MailReport(held=2)
    assert {row.status for row in _rows(engine)} == {MailStatus.HELD}


def test_login_is_used_when_the_url_has_credentials(engine: Engine, now: datetime) -> None:
    with running_mail_server(credentials=("tsudoi", "s3cret")) as server:
        _queue(engine, now)

        refused = _deliver(engine, now, server.sender(username="tsudoi", password="wrong"))
        assert refused.retrying == 1 and "login refused" in _rows(engine)[0].last_error
        assert "wrong" not in _rows(engine)[0].last_error

        sent = _deliver(
            engine, now + retry_delay(1), server.sender(username="tsudoi", password="s3cret")
        )
        assert sent.sent == 1 and len(server.messages) == 1


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_two_workers_send_each_message_once(
    engine: Engine, now: datetime, mail_server: MailServer
) -> None:
    _queue(engine, now, count=30)
    sender = mail_server.sender()

    async def two_workers() -> list[MailReport]:
        reports: list[MailReport] = []
        while True:
            round_reports = await asyncio.gather(
                deliver_due(now=now, sender=sender, engine=engine, limit=4),
                deliver_due(now=now, sender=sender, engine=engine, limit=4),
            )
            reports.extend(round_reports)
            if not any(report.claimed for report in round_reports):
                return reports

    reports = asyncio.run(two_workers())

    recipients = [r for message in mail_server.messages for r in message.recipients]
    assert len(recipients) == 30 == len(set(recipients))
    assert sum(report.sent for report in reports) == 30
    assert {row.status for row in _rows(engine)} == {MailStatus.SENT}


def test_a_round_that_runs_out_of_time_releases_what_it_did_not_try(
    engine: Engine, now: datetime, mail_server: MailServer
) -> None:
    _queue(engine, now, count=2)
    mails = claim_due(now=now, limit=10, engine=engine)

    outcomes = send_all(mails, mail_server.sender(), budget=-1)
    report = record_outcomes(outcomes, now=now, engine=engine)

    assert mail_server.messages == [] and report == MailReport(claimed=2)
    assert {(row.status, row.attempts, row.next_attempt_at) for row in _rows(engine)} == {
        (MailStatus.QUEUED, 0, now)
    }
