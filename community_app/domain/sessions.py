"""Logins: server-issued random tokens stored hashed, log-in and password change.

Signing up lives in ``registration`` (it logs nobody in: see there why).

The Reflex client token is not a session (DESIGN §4). A login is a random token of
256 bits that only the browser holds; the database keeps its SHA-256, so a leaked
table or backup cannot be replayed. A token resolves to its member until it is
revoked, idle for longer than ``SESSION_IDLE_TIMEOUT`` or older than
``SESSION_ABSOLUTE_LIFETIME``, or until the member is disabled.

``authenticate``, ``log_in`` and ``change_password`` run Argon2
(~0.1-0.3 s of CPU): the UI calls them through ``asyncio.to_thread`` so the event
loop keeps serving other clients. Rate limits live in ``rate_limits``.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import cast

from sqlmodel import Session, col, select

from community_app.domain.errors import DomainError
from community_app.domain.members import (
    MAX_PASSWORD_LENGTH,
    get_member,
    normalise_email,
    set_password_hash,
    validate_password,
)
from community_app.domain.models import AuditLogEntry, AuthSession, Member
from community_app.domain.passwords import hash_password, verify_password

SESSION_IDLE_TIMEOUT = timedelta(days=14)
SESSION_ABSOLUTE_LIFETIME = timedelta(days=60)
# Writing last_seen_at on every request would turn every read into a write.
LAST_SEEN_RESOLUTION = timedelta(minutes=1)
MAX_TOKEN_LENGTH = 512
MAX_USER_AGENT_LENGTH = 255

# Verified against when the e-mail is unknown, so that "no such account" costs the
# same Argon2 time as "wrong password" and timing does not reveal who has an account.
_DUMMY_PASSWORD_HASH = hash_password(secrets.token_urlsafe(16))


def _invalid_credentials() -> DomainError:
    # One message for unknown e-mail, wrong password and disabled account.
    return DomainError("invalid_credentials", "The e-mail address or password is incorrect.")


def new_token() -> str:
    """A fresh login token: 32 random bytes (256 bits), URL-safe base64."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What the database stores instead of the token: its SHA-256, in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _token_hash_or_none(token: object) -> str | None:
    """The hash of a plausible token, or None for junk (which is never hashed)."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    if not token.isascii():  # our tokens are URL-safe base64
        return None
    return hash_token(token)


def _clean_user_agent(user_agent: object) -> str:
    if not isinstance(user_agent, str):
        return ""
    return "".join(char for char in user_agent if char.isprintable())[:MAX_USER_AGENT_LENGTH]


def _find(session: Session, token: object) -> AuthSession | None:
    token_hash = _token_hash_or_none(token)
    if token_hash is None:
        return None
    return session.exec(select(AuthSession).where(AuthSession.token_hash == token_hash)).first()


def _audit(session: Session, *, action: str, member_id: int | None, now: datetime) -> None:
    session.add(
        AuditLogEntry(
            actor_id=member_id, action=action, target_type="member", target_id=member_id, at=now
        )
    )


def start_session(
    session: Session, *, member_id: int, now: datetime, user_agent: object = ""
) -> str:
    """Create a login for the member and return the raw token (the only time it exists)."""
    token = new_token()
    session.add(
        AuthSession(
            member_id=member_id,
            token_hash=hash_token(token),
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_ABSOLUTE_LIFETIME,
            user_agent=_clean_user_agent(user_agent),
        )
    )
    session.flush()
    return token


def is_active(auth_session: AuthSession, *, now: datetime) -> bool:
    """Not revoked, not past its absolute lifetime, not idle for too long."""
    return (
        auth_session.revoked_at is None
        and now < auth_session.expires_at
        and now - auth_session.last_seen_at <= SESSION_IDLE_TIMEOUT
    )


def resolve_session(
    session: Session, *, token: object, now: datetime, touch: bool = True
) -> Member | None:
    """The member behind a token, or None; safe for any input a client may send.

    Refreshes ``last_seen_at`` (at most once a minute), which keeps an active login
    alive past the idle timeout: call it in ``write_session()`` so the refresh is
    committed. ``touch=False`` only reads (for reads in ``read_session()`` that follow
    a page load, which has refreshed it).
    """
    auth_session = _find(session, token)
    if auth_session is None or not is_active(auth_session, now=now):
        return None
    member = session.get(Member, auth_session.member_id)
    if member is None or member.is_disabled:
        return None
    if touch and now - auth_session.last_seen_at >= LAST_SEEN_RESOLUTION:
        auth_session.last_seen_at = now
        session.add(auth_session)
        session.flush()
    return member


def end_session(session: Session, *, token: object, now: datetime) -> None:
    """Log out this one login; an unknown or already revoked token is a no-op."""
    auth_session = _find(session, token)
    if auth_session is None or auth_session.revoked_at is not None:
        return
    auth_session.revoked_at = now
    session.add(auth_session)
    session.flush()


def revoke_all_sessions(session: Session, *, member_id: int, now: datetime) -> int:
    """Log the member out everywhere; returns how many logins were still open."""
    open_sessions = session.exec(
        select(AuthSession).where(
            AuthSession.member_id == member_id, col(AuthSession.revoked_at).is_(None)
        )
    ).all()
    for auth_session in open_sessions:
        auth_session.revoked_at = now
        session.add(auth_session)
    session.flush()
    return len(open_sessions)


def _password_or_empty(password: object) -> str:
    """A password worth verifying, or "" (which matches no hash) for junk input."""
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
        return ""
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        return ""
    return password


def authenticate(session: Session, *, email: object, password: object, now: datetime) -> Member:
    """The member with this e-mail and password, or DomainError("invalid_credentials").

    Unknown e-mail, wrong password and disabled account fail alike, and every call
    runs exactly one Argon2 verification (against a dummy hash when the e-mail is
    unknown) so neither message nor timing tells whether an account exists. Slow:
    call through ``asyncio.to_thread``. ``now`` is accepted for symmetry with the
    other verbs.
    """
    try:
        normalised = normalise_email(email)
    except DomainError:
        normalised = ""
    member = (
        session.exec(select(Member).where(Member.email == normalised)).first()
        if normalised
        else None
    )
    stored_hash = member.password_hash if member is not None else _DUMMY_PASSWORD_HASH
    password_matches = verify_password(stored_hash, _password_or_empty(password))
    if member is None or not password_matches or member.is_disabled:
        raise _invalid_credentials()
    return member


def log_in(
    session: Session, *, email: object, password: object, now: datetime, user_agent: object = ""
) -> tuple[Member, str]:
    """Authenticate and start a new login; every login gets a new token (rotation).

    On SQLite the write lock of ``write_session()`` is held from the first query, so
    here during the Argon2 check as well; fine for a community's login rate.
    """
    member = authenticate(session, email=email, password=password, now=now)
    assert member.id is not None
    return member, start_session(session, member_id=member.id, now=now, user_agent=user_agent)


def change_password(
    session: Session,
    *,
    member_id: int,
    current_password: object,
    new_password: object,
    now: datetime,
    user_agent: object = "",
) -> str:
    """Replace the password after checking the current one, and log out everywhere.

    Every existing login (including the one making the change, and any a thief may
    hold) is revoked; the caller gets a fresh token for the browser in use.
    """
    member = get_member(session, member_id=member_id)
    if not verify_password(member.password_hash, _password_or_empty(current_password)):
        raise DomainError("wrong_password", "The current password is incorrect.")
    validate_password(new_password)
    new_hash = hash_password(cast(str, new_password))  # validated: a string
    set_password_hash(session, member_id=member_id, password_hash=new_hash, now=now)
    revoke_all_sessions(session, member_id=member_id, now=now)
    _audit(session, action="change_password", member_id=member_id, now=now)
    return start_session(session, member_id=member_id, now=now, user_agent=user_agent)
