"""Taking-part mails arrive at a real SMTP server on 127.0.0.1 (aiosmtpd): every kind in
Japanese and English with both parts and one-click unsubscribe, and an RSVP's
confirmation with its calendar invitation, read back with ``email`` and icalendar."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime

import pytest
from icalendar import Calendar
from sqlalchemy import Engine
from sqlmodel import Session

from community_app.domain.enums import EventStatus
from community_app.domain.mail import enqueue_mail
from community_app.domain.mail_kinds import CATEGORIES
from community_app.domain.models import Member, ParticipationTier
from community_app.domain.permissions import load_actor
from community_app.domain.rsvps import rsvp
from community_app.mail_delivery import deliver_due
from community_app.settings import get_settings
from tests.domain.group_world import build_world
from tests.domain.mail_world import SITE
from tests.domain.participation_mail_samples import PARTICIPATION_SAMPLES
from tests.domain.proposal_world import make_proposal
from tests.factories import make_member
from tests.mail_server import MailServer

pytestmark = pytest.mark.integration
KINDS = sorted(PARTICIPATION_SAMPLES)


@pytest.fixture(autouse=True)
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SITE_URL", "https://tsudoi.example")
    monkeypatch.setenv("MAIL_FROM", "Tsudoi <noreply@tsudoi.example>")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _deliver(engine: Engine, now: datetime, server: MailServer) -> None:
    report = asyncio.run(deliver_due(now=now, sender=server.sender(), engine=engine, limit=100))
    assert report.sent == report.claimed > 0


def test_every_taking_part_kind_arrives_in_both_languages(
    engine: Engine, now: datetime, mail_server: MailServer
) -> None:
    with Session(engine) as session:
        for locale in ("ja", "en"):
            member = make_member(session, locale=locale, email=f"{locale}@example.org")
            for kind in KINDS:
                context = PARTICIPATION_SAMPLES[kind]
                enqueue_mail(session, member=member, kind=kind, context=context, now=now, site=SITE)
        session.commit()

    _deliver(engine, now, mail_server)

    arrived = {(m.recipients[0], m.message["Subject"]) for m in mail_server.messages}
    assert len(mail_server.messages) == len(arrived) == 2 * len(KINDS)
    for received in mail_server.messages:
        message, locale = received.message, received.recipients[0].split("@")[0]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["Auto-Submitted"] == "auto-generated"
        assert "\n" not in message["Subject"] and message["Bcc"] is None
        assert f'<html lang="{locale}">' in received.part("text/html")
        assert ("さん" in received.part("text/plain")) == (locale == "ja")
        assert "&lt;script&gt;" in received.part("text/html")
    categories = {str(m.message["List-Unsubscribe"]).split("/")[-2] for m in mail_server.messages}
    assert categories == {CATEGORIES[kind].value for kind in KINDS}


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_an_rsvp_confirmation_arrives_with_its_calendar_invitation(
    engine: Engine, now: datetime, mail_server: MailServer, locale: str
) -> None:
    with Session(engine, expire_on_commit=False) as session:
        world = build_world(session)
        event = make_proposal(
            session, group_id=world.group.id, proposer=world.organiser,
            status=EventStatus.APPROVED, title="Python 勉強会",
        )  # fmt: skip
        tier = ParticipationTier(event_id=event.id, name="会場", name_en="In person")
        session.add(tier)
        member = make_member(session, locale=locale, display_name="山田 花子")
        session.flush()
        rsvp(
            session,
            actor=load_actor(session, member_id=member.id),
            event_id=event.id,
            tier_id=tier.id,
            now=now,
        )
        session.commit()
        address, uid = session.get(Member, member.id).email, event.uid

    _deliver(engine, now, mail_server)

    (received,) = mail_server.messages
    subject = received.message["Subject"]
    assert subject == (
        "[Tsudoi] 「Python 勉強会」への参加が確定しました"
        if locale == "ja"
        else "[Tsudoi] You're going to “Python 勉強会”"
    )
    (part,) = [p for p in received.message.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    calendar = Calendar.from_ical(part.get_content())
    (vevent,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST" and str(vevent["UID"]) == uid
    assert str(vevent["ATTENDEE"]) == f"mailto:{address}"
    assert str(vevent["ORGANIZER"]) == "mailto:noreply@tsudoi.example"
    assert "https://meet.example.com/secret-room" in received.part("text/plain")
