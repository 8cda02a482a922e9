"""The account page's mail settings, as the handlers get them: switches, and the notice
that an address was refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from community_app.domain.enums import MailCategory
from community_app.domain.errors import DomainError
from community_app.domain.mail import mark_undeliverable
from community_app.domain.models import Member
from community_app.domain.sessions import start_session
from community_app.ui.mail_actions import load_mail_settings, save_mail_switch
from tests.factories import make_member

pytestmark = pytest.mark.integration


def _signed_in(engine: Engine, *, refused: bool = False) -> str:
    now = datetime.now(UTC)
    with Session(engine) as session:
        member = make_member(session)
        if refused:
            mark_undeliverable(member, reason="550 5.1.1 <x@example.org>: no such user", now=now)
            session.add(member)
        token = start_session(session, member_id=member.id, now=now)
        session.commit()
        return token


def test_a_refused_address_is_shown_with_the_servers_answer(app_database: Engine) -> None:
    token = _signed_in(app_database, refused=True)

    settings = load_mail_settings(token=token)

    assert settings is not None
    assert settings.undeliverable_reason == "550 5.1.1 <x@example.org>: no such user"


def test_a_working_address_shows_no_notice_and_switches_save(app_database: Engine) -> None:
    token = _signed_in(app_database)

    before = load_mail_settings(token=token)
    after = save_mail_switch(token=token, category="proposals", enabled=False)

    assert before is not None and before.undeliverable_reason is None
    assert after is not None and after.switches[MailCategory.PROPOSALS] is False
    assert all(on for category, on in after.switches.items() if category != "proposals")


def test_visitors_and_bad_switches_change_nothing(app_database: Engine) -> None:
    token = _signed_in(app_database)

    assert load_mail_settings(token="not-a-session") is None
    assert save_mail_switch(token="not-a-session", category="ideas", enabled=False) is None
    with pytest.raises(DomainError):
        save_mail_switch(token=token, category="account", enabled=False)
    with Session(app_database) as session:
        members = session.exec(select(Member)).all()
        assert all(member.email_undeliverable_at is None for member in members)
