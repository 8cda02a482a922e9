"""Rate limits on log-in and sign-up, per client IP and per account.

Attempts are rows in ``login_attempts`` (key, time), so every worker of a
multi-process deployment shares the counts, on SQLite and PostgreSQL alike. A key
is refused once it has ``limit`` attempts in the sliding ``WINDOW``.

How the UI uses it (each step in its own ``write_session()``: a DomainError raised
inside a write_session rolls it back, and a failure must still be counted)::

    guard_login(...)                        # raises "rate_limited"
    log_in(...)                             # from sessions, via asyncio.to_thread
    on "invalid_credentials": note_failed_login(...)
    on success: note_successful_login(...)

    guard_signup(...)                       # checks and counts the attempt
    sign_up(...)
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from community_app.domain.errors import DomainError
from community_app.domain.members import normalise_email
from community_app.domain.models import LoginAttempt

LOGIN_LIMIT_PER_ACCOUNT = 10
LOGIN_LIMIT_PER_IP = 30
SIGNUP_LIMIT_PER_IP = 10
WINDOW = timedelta(minutes=15)


def _client_part(ip: object) -> str:
    """The IP as a key part. An IPv6 client usually owns a whole /64, so that is the unit;
    anything unparsable shares one "unknown" bucket.
    """
    if not isinstance(ip, str) or len(ip) > 64:
        return "unknown"
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is that IPv4 client
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def client_bucket(ip: object) -> str:
    """The unit a client address is counted in (an IPv4 address, an IPv6 /64)."""
    return _client_part(ip)


def _account_part(email: object) -> str:
    """SHA-256 of the normalised e-mail: the table never holds an address."""
    try:
        normalised = normalise_email(email)
    except DomainError:
        normalised = ""
    return hashlib.sha256(normalised.encode("utf-8", "surrogatepass")).hexdigest()


def login_keys(*, ip: object, email: object) -> list[str]:
    return [f"login:ip:{_client_part(ip)}", f"login:account:{_account_part(email)}"]


def signup_keys(*, ip: object) -> list[str]:
    return [f"signup:ip:{_client_part(ip)}"]


def _rate_limited() -> DomainError:
    return DomainError(
        "rate_limited", "Too many attempts. Please wait a few minutes and try again."
    )


def check_allowed(
    session: Session, *, keys_and_limits: Sequence[tuple[str, int]], now: datetime
) -> None:
    """Raise DomainError("rate_limited") if any key has ``limit`` or more attempts in WINDOW."""
    limits = dict(keys_and_limits)
    if not limits:
        return
    counts = session.exec(
        select(LoginAttempt.key, func.count())
        .where(col(LoginAttempt.key).in_(limits), LoginAttempt.attempted_at > now - WINDOW)
        .group_by(col(LoginAttempt.key))
    ).all()
    if any(count >= limits[key] for key, count in counts):
        raise _rate_limited()


def record_attempt(session: Session, *, keys: Sequence[str], now: datetime) -> None:
    """Count one attempt against each key, and forget these keys' attempts older than WINDOW."""
    session.exec(
        delete(LoginAttempt).where(
            col(LoginAttempt.key).in_(keys), col(LoginAttempt.attempted_at) <= now - WINDOW
        )
    )
    session.add_all(LoginAttempt(key=key, attempted_at=now) for key in keys)
    session.flush()


def clear_attempts(session: Session, *, keys: Sequence[str]) -> None:
    session.exec(delete(LoginAttempt).where(col(LoginAttempt.key).in_(keys)))
    session.flush()


def prune(session: Session, *, now: datetime) -> int:
    """Delete every attempt that no longer counts; returns how many rows went."""
    result = session.exec(
        delete(LoginAttempt).where(col(LoginAttempt.attempted_at) <= now - WINDOW)
    )
    session.flush()
    return int(result.rowcount)


def guard_login(session: Session, *, ip: object, email: object, now: datetime) -> None:
    """Refuse a log-in attempt from a busy IP or against a busy account."""
    ip_key, account_key = login_keys(ip=ip, email=email)
    check_allowed(
        session,
        keys_and_limits=[(ip_key, LOGIN_LIMIT_PER_IP), (account_key, LOGIN_LIMIT_PER_ACCOUNT)],
        now=now,
    )


def note_failed_login(session: Session, *, ip: object, email: object, now: datetime) -> None:
    """Count a failed log-in against the IP and the account (known or not: same thing)."""
    record_attempt(session, keys=login_keys(ip=ip, email=email), now=now)


def note_successful_login(session: Session, *, ip: object, email: object) -> None:
    """Forget the account's failures, so its owner is not locked out by earlier typos.

    The IP's count stays: otherwise an attacker could reset it by logging in to an
    account of their own between guesses at other people's passwords.
    """
    _ip_key, account_key = login_keys(ip=ip, email=email)
    clear_attempts(session, keys=[account_key])


def guard_signup(session: Session, *, ip: object, now: datetime) -> None:
    """Refuse a busy IP, else count this sign-up attempt (successful or not) against it."""
    keys = signup_keys(ip=ip)
    check_allowed(session, keys_and_limits=[(key, SIGNUP_LIMIT_PER_IP) for key in keys], now=now)
    record_attempt(session, keys=keys, now=now)
