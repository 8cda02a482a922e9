"""Single-use links mailed to a member: verify an address, reset a password, confirm a
new address.

A link carries 256 random bits; the database keeps only their SHA-256 (a leaked table
or backup opens nothing). Each link works once, until its purpose's lifetime runs out,
and only while the address it was sent to is still the one it is about. Opening an
unknown, altered, used or expired link fails with its own code, so the page can say
which it is, in the reader's language.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import Session, col, select

from community_app.domain.errors import DomainError
from community_app.domain.models import AccountToken, Member

MAX_TOKEN_LENGTH = 128


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"
    CHANGE_EMAIL = "change_email"


LIFETIMES: dict[TokenPurpose, timedelta] = {
    TokenPurpose.VERIFY_EMAIL: timedelta(hours=48),
    TokenPurpose.RESET_PASSWORD: timedelta(hours=1),
    TokenPurpose.CHANGE_EMAIL: timedelta(hours=48),
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """32 random bytes, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(32)


def _invalid() -> DomainError:
    return DomainError("link_invalid", "This link is not valid. Check that it was copied whole.")


def _expired() -> DomainError:
    return DomainError("link_expired", "This link has expired. Please ask for a new one.")


def _used() -> DomainError:
    return DomainError("link_used", "This link has already been used.")


def issue_token(
    session: Session,
    *,
    member_id: int,
    purpose: TokenPurpose,
    email: str,
    now: datetime,
    supersede: bool = True,
) -> str:
    """Store the hash of a new link for ``member_id`` and return the raw token (the only
    time it exists). ``supersede`` ends the member's earlier unused links of the same
    purpose, so only the newest mail works."""
    if supersede:
        for earlier in _open_tokens(session, member_id=member_id, purpose=purpose):
            earlier.used_at = now
            session.add(earlier)
    token = new_token()
    session.add(
        AccountToken(
            member_id=member_id,
            purpose=purpose.value,
            token_hash=hash_token(token),
            email=email,
            created_at=now,
            expires_at=now + LIFETIMES[purpose],
        )
    )
    session.flush()
    return token


def _open_tokens(session: Session, *, member_id: int, purpose: TokenPurpose) -> list[AccountToken]:
    return list(
        session.exec(
            select(AccountToken).where(
                AccountToken.member_id == member_id,
                AccountToken.purpose == purpose.value,
                col(AccountToken.used_at).is_(None),
            )
        ).all()
    )


def find_token(
    session: Session, *, token: object, purpose: TokenPurpose, now: datetime
) -> tuple[AccountToken, Member]:
    """The link behind ``token`` and its member, if it may still be used; else
    DomainError ``link_invalid`` / ``link_used`` / ``link_expired``. Reads only."""
    if (
        not isinstance(token, str)
        or not token
        or len(token) > MAX_TOKEN_LENGTH
        or not token.isascii()
    ):
        raise _invalid()
    row = session.exec(
        select(AccountToken).where(AccountToken.token_hash == hash_token(token))
    ).first()
    if row is None or row.purpose != purpose.value:
        raise _invalid()
    member = session.get(Member, row.member_id)
    if member is None or member.is_disabled:
        raise _invalid()
    if row.used_at is not None:
        raise _used()
    if now >= row.expires_at:
        raise _expired()
    # A verification or reset link is about the address it went to: once the member
    # has another address, it no longer proves anything.
    if purpose is not TokenPurpose.CHANGE_EMAIL and row.email != member.email:
        raise _invalid()
    return row, member


def use_token(
    session: Session, *, token: object, purpose: TokenPurpose, now: datetime
) -> tuple[AccountToken, Member]:
    """Like ``find_token``, and mark the link used (in the caller's transaction)."""
    row, member = find_token(session, token=token, purpose=purpose, now=now)
    # One conditional UPDATE: of two requests racing with the same link (PostgreSQL
    # lets both read it unused), only one changes the row.
    result = session.exec(
        update(AccountToken)
        .where(col(AccountToken.id) == row.id, col(AccountToken.used_at).is_(None))
        .values(used_at=now)
    )
    if result.rowcount != 1:
        raise _used()
    session.refresh(row)
    return row, member


def end_open_tokens(
    session: Session, *, member_id: int, purpose: TokenPurpose, now: datetime
) -> None:
    for row in _open_tokens(session, member_id=member_id, purpose=purpose):
        row.used_at = now
        session.add(row)
    session.flush()
