"""A new login reaches the browser as a one-time, short-lived ticket, never as a token
that a page state could hold."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, select

from community_app.domain.login_tickets import TICKET_LIFETIME, issue_ticket, redeem_ticket
from community_app.domain.models import LoginTicket
from community_app.domain.sessions import end_session, hash_token, resolve_session, start_session
from tests.factories import make_member

pytestmark = pytest.mark.unit


def _login(session: Session, now: datetime) -> tuple[int, str]:
    member = make_member(session)
    assert member.id is not None
    return member.id, start_session(session, member_id=member.id, now=now)


def test_a_ticket_is_redeemed_once_for_a_new_token_of_the_same_login(
    session: Session, now: datetime
) -> None:
    member_id, handler_token = _login(session, now)
    ticket = issue_ticket(session, session_token=handler_token, now=now)

    cookie_token = redeem_ticket(session, ticket=ticket, now=now + timedelta(seconds=5))

    assert cookie_token is not None and cookie_token != handler_token
    signed_in = resolve_session(session, token=cookie_token, now=now)
    assert signed_in is not None and signed_in.id == member_id
    # The token the websocket handler saw died with the hand-over ...
    assert resolve_session(session, token=handler_token, now=now) is None
    # ... and the ticket works once.
    assert redeem_ticket(session, ticket=ticket, now=now) is None


def test_only_the_ticket_hash_is_stored(session: Session, now: datetime) -> None:
    _member_id, token = _login(session, now)
    ticket = issue_ticket(session, session_token=token, now=now)

    stored = session.exec(select(LoginTicket.ticket_hash)).all()

    assert stored == [hash_token(ticket)]


def test_an_expired_ticket_is_refused_and_forgotten(session: Session, now: datetime) -> None:
    _member_id, token = _login(session, now)
    ticket = issue_ticket(session, session_token=token, now=now)

    assert redeem_ticket(session, ticket=ticket, now=now + TICKET_LIFETIME) is None
    assert session.exec(select(LoginTicket)).all() == []


def test_a_ticket_of_a_login_ended_meanwhile_is_refused(session: Session, now: datetime) -> None:
    _member_id, token = _login(session, now)
    ticket = issue_ticket(session, session_token=token, now=now)
    end_session(session, token=token, now=now)

    assert redeem_ticket(session, ticket=ticket, now=now) is None


@pytest.mark.parametrize("junk", ["", "nope", "é" * 10, "x" * 600, None, 42, ["a"], {"a": 1}])
def test_junk_tickets_are_refused(session: Session, now: datetime, junk: object) -> None:
    assert redeem_ticket(session, ticket=junk, now=now) is None


def test_no_ticket_without_an_active_login(session: Session, now: datetime) -> None:
    _member_id, token = _login(session, now)
    end_session(session, token=token, now=now)

    with pytest.raises(ValueError):
        issue_ticket(session, session_token=token, now=now)
    with pytest.raises(ValueError):
        issue_ticket(session, session_token="", now=now)


def test_issuing_forgets_the_tickets_nobody_redeemed(session: Session, now: datetime) -> None:
    _member_id, token = _login(session, now)
    issue_ticket(session, session_token=token, now=now)

    fresh = issue_ticket(session, session_token=token, now=now + 2 * TICKET_LIFETIME)

    assert session.exec(select(LoginTicket.ticket_hash)).all() == [hash_token(fresh)]
