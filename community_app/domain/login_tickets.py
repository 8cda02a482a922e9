"""Handing a new login over to the browser's HttpOnly cookie with a one-time ticket.

A password is checked by a websocket handler, which cannot set an HttpOnly cookie, and
the raw login token must never enter a page state (Reflex stores page states on disk or
in Redis for an hour). So the handler turns the login into a ticket: 256 random bits,
stored hashed, good for ``TICKET_LIFETIME`` and for one redemption. The browser posts
the ticket to ``POST /auth/session``; redeeming it gives the login a new token (the one
the handler saw dies with it) that only the ``Set-Cookie`` header ever carries.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from community_app.domain.models import AuthSession, LoginTicket
from community_app.domain.sessions import MAX_TOKEN_LENGTH, hash_token, is_active, new_token

TICKET_LIFETIME = timedelta(seconds=60)


def _hash_or_none(value: object) -> str | None:
    if not isinstance(value, str) or not value or len(value) > MAX_TOKEN_LENGTH:
        return None
    if not value.isascii():
        return None
    return hash_token(value)


def issue_ticket(session: Session, *, session_token: object, now: datetime) -> str:
    """A ticket for the active login behind ``session_token`` (ValueError for none)."""
    token_hash = _hash_or_none(session_token)
    auth_session = (
        session.exec(select(AuthSession).where(AuthSession.token_hash == token_hash)).first()
        if token_hash
        else None
    )
    if auth_session is None or auth_session.id is None or not is_active(auth_session, now=now):
        raise ValueError("no active login to hand over")
    # Forget the tickets nobody redeemed, so the table stays as small as the logins.
    session.exec(delete(LoginTicket).where(col(LoginTicket.expires_at) < now))
    ticket = new_token()
    session.add(
        LoginTicket(
            ticket_hash=hash_token(ticket),
            session_id=auth_session.id,
            expires_at=now + TICKET_LIFETIME,
        )
    )
    session.flush()
    return ticket


def redeem_ticket(session: Session, *, ticket: object, now: datetime) -> str | None:
    """The login's new raw token, or None for an unknown, used or expired ticket.

    A ticket is deleted by its first redemption, whatever the outcome; the row lock
    makes a second, concurrent redemption find nothing (PostgreSQL), as BEGIN
    IMMEDIATE does on SQLite.
    """
    ticket_hash = _hash_or_none(ticket)
    if ticket_hash is None:
        return None
    row = session.exec(
        select(LoginTicket).where(LoginTicket.ticket_hash == ticket_hash).with_for_update()
    ).first()
    if row is None:
        return None
    session.delete(row)
    session.flush()
    auth_session = session.get(AuthSession, row.session_id)
    if now >= row.expires_at or auth_session is None or not is_active(auth_session, now=now):
        return None
    token = new_token()
    auth_session.token_hash = hash_token(token)
    session.add(auth_session)
    session.flush()
    return token
