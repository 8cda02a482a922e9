"""Blocking account work, run by handlers through ``asyncio.to_thread``.

Each function is one use case: its own transactions, the rate limits around it, and
a plain result. No Reflex here, so the rules stay testable without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from community_app.db import read_session, write_session
from community_app.domain import notifications, rate_limits, sessions
from community_app.domain.errors import DomainError
from community_app.domain.members import set_locale, update_profile
from community_app.domain.models import Member
from community_app.domain.permissions import load_actor


@dataclass(frozen=True)
class SignedIn:
    """What the browser may know about its own member."""

    member_id: int
    display_name: str
    locale: str
    timezone: str
    is_admin: bool
    is_organiser: bool = False  # organises a group: the header shows the review queue
    unread: int = 0  # unread notifications: the bell's badge
    verified: bool = True  # the address is confirmed (else a banner offers the link again)


def _signed_in(member: Member) -> SignedIn:
    assert member.id is not None
    return SignedIn(
        member.id,
        member.display_name,
        member.locale,
        member.timezone,
        member.is_admin,
        verified=member.email_verified_at is not None,
    )


def _now() -> datetime:
    return datetime.now(UTC)


def resolve(token: object) -> SignedIn | None:
    with write_session() as session:
        member = sessions.resolve_session(session, token=token, now=_now())
        if member is None:
            return None
        actor = load_actor(session, member_id=member.id)
        return replace(
            _signed_in(member),
            is_organiser=bool(actor.organiser_of),
            unread=notifications.count_unread(session, actor=actor),
        )


def log_in(*, email: object, password: object, ip: str, user_agent: str) -> tuple[SignedIn, str]:
    """Check the limits, then the password (off the write lock), then start a login."""
    now = _now()
    with write_session() as session:
        rate_limits.guard_login(session, ip=ip, email=email, now=now)
    try:
        with read_session() as session:
            member = sessions.authenticate(session, email=email, password=password, now=now)
    except DomainError:
        with write_session() as session:
            rate_limits.note_failed_login(session, ip=ip, email=email, now=now)
        raise
    assert member.id is not None
    with write_session() as session:
        rate_limits.note_successful_login(session, ip=ip, email=email)
        token = sessions.start_session(session, member_id=member.id, now=now, user_agent=user_agent)
    return _signed_in(member), token


def log_out(token: object) -> None:
    with write_session() as session:
        sessions.end_session(session, token=token, now=_now())


def change_password(
    *, token: object, current_password: object, new_password: object, ip: str, user_agent: str
) -> str:
    """Returns the new token: every other login of the member has been revoked.

    A wrong current password is a password guess, so it counts against the same
    limits as a failed log-in (the member's account and the caller's network), and
    the limits are checked before Argon2 runs: a signed-in tab cannot guess, nor burn
    CPU, faster than the login form allows.
    """
    now = _now()
    with write_session() as session:
        member = sessions.resolve_session(session, token=token, now=now)
        if member is None or member.id is None:
            raise DomainError("not_signed_in", "Please log in again.")
        member_id, email = member.id, member.email
        rate_limits.guard_login(session, ip=ip, email=email, now=now)
    try:
        with write_session() as session:
            new_token = sessions.change_password(
                session,
                member_id=member_id,
                current_password=current_password,
                new_password=new_password,
                now=now,
                user_agent=user_agent,
            )
    except DomainError as error:
        if error.code == "wrong_password":
            with write_session() as session:
                rate_limits.note_failed_login(session, ip=ip, email=email, now=now)
        raise
    with write_session() as session:
        rate_limits.note_successful_login(session, ip=ip, email=email)
    return new_token


def save_locale(*, token: object, locale: object) -> None:
    """Remember the language a signed-in member switched to; visitors keep it in the browser."""
    now = _now()
    with write_session() as session:
        member = sessions.resolve_session(session, token=token, now=now)
        if member is not None and member.id is not None:
            set_locale(session, member_id=member.id, locale=locale)


def save_profile(
    *, token: object, display_name: object, locale: object, timezone: object
) -> SignedIn:
    now = _now()
    with write_session() as session:
        member = sessions.resolve_session(session, token=token, now=now)
        if member is None or member.id is None:
            raise DomainError("not_signed_in", "Please log in again.")
        updated = update_profile(
            session,
            member_id=member.id,
            display_name=display_name,
            locale=locale,
            timezone=timezone,
            now=now,
        )
        return _signed_in(updated)
