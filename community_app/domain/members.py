"""Member accounts: e-mail normalisation and creation."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from sqlmodel import Session, select

from community_app.domain.errors import DomainError
from community_app.domain.models import AuditLogEntry, Member

MIN_PASSWORD_LENGTH = 10
MAX_DISPLAY_NAME_LENGTH = 80
_EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(raw: str) -> str:
    """NFKC (full-width ＠ and letters become ASCII), trimmed, lower-cased."""
    return unicodedata.normalize("NFKC", raw).strip().lower()


def validate_new_account(*, email: str, display_name: str, password: str) -> str:
    """Return the normalised e-mail, or raise DomainError naming the first problem."""
    normalised = normalise_email(email)
    if len(normalised) > 254 or not _EMAIL_PATTERN.match(normalised):
        raise DomainError("invalid_email", "Enter a valid e-mail address.")
    if not display_name.strip() or len(display_name.strip()) > MAX_DISPLAY_NAME_LENGTH:
        raise DomainError("invalid_display_name", "Enter a display name of 1 to 80 characters.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError("password_too_short", f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    return normalised


def create_member(
    session: Session,
    *,
    email: str,
    display_name: str,
    password_hash: str,
    is_admin: bool = False,
    actor_id: int | None = None,
    now: datetime,
) -> Member:
    """Add a member with an already-hashed password; e-mails are unique after normalisation."""
    normalised = normalise_email(email)
    if session.exec(select(Member).where(Member.email == normalised)).first() is not None:
        raise DomainError("email_taken", "This e-mail address cannot be used.")
    member = Member(
        email=normalised,
        display_name=display_name.strip(),
        password_hash=password_hash,
        is_admin=is_admin,
        created_at=now,
        updated_at=now,
    )
    session.add(member)
    session.flush()
    session.add(
        AuditLogEntry(
            actor_id=actor_id,
            action="create_admin" if is_admin else "create_member",
            target_type="member",
            target_id=member.id,
            at=now,
        )
    )
    return member
