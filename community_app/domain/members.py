"""Member accounts: validation of what people type, creation and profile changes.

The validators take ``object`` on purpose: the UI hands over whatever a websocket
client sent, so a ``None``, a number or a list must end in a DomainError, never in a
crash or a stored row.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from functools import cache
from zoneinfo import available_timezones

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app.domain.errors import DomainError, NotFound
from community_app.domain.models import AuditLogEntry, Member

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1000
MAX_DISPLAY_NAME_LENGTH = 80
MAX_EMAIL_LENGTH = 254
LOCALES = ("ja", "en")
# Longer raw input is refused before NFKC, which may expand a string many times over.
_MAX_RAW_EMAIL_LENGTH = 1024
_EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# Bidirectional overrides and isolates make a name display as something else.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _invalid_email() -> DomainError:
    return DomainError("invalid_email", "Enter a valid e-mail address.")


def _has_forbidden_characters(text: str) -> bool:
    """Control characters, lone surrogates (not storable as UTF-8) and bidi overrides.

    Other format characters stay allowed: the zero-width joiner builds emoji.
    """
    return any(
        unicodedata.category(char) in ("Cc", "Cs") or char in _BIDI_CONTROLS for char in text
    )


def normalise_email(raw: object) -> str:
    """NFKC (full-width ＠ and letters become ASCII), trimmed, lower-cased.

    Raises DomainError("invalid_email") for non-strings and absurdly long input.
    """
    if not isinstance(raw, str) or len(raw) > _MAX_RAW_EMAIL_LENGTH:
        raise _invalid_email()
    return unicodedata.normalize("NFKC", raw).strip().lower()


def validate_email(raw: object) -> str:
    """Return the normalised e-mail: at most 254 characters, one @, a dot in the domain."""
    email = normalise_email(raw)
    if (
        len(email) > MAX_EMAIL_LENGTH
        or not _EMAIL_PATTERN.fullmatch(email)
        or _has_forbidden_characters(email)
    ):
        raise _invalid_email()
    return email


def validate_display_name(raw: object) -> str:
    """Return the stripped name: 1 to 80 characters, no control characters."""
    if not isinstance(raw, str):
        raise _invalid_display_name()
    name = raw.strip()
    if not name or len(name) > MAX_DISPLAY_NAME_LENGTH or _has_forbidden_characters(name):
        raise _invalid_display_name()
    return name


def _invalid_display_name() -> DomainError:
    return DomainError(
        "invalid_display_name",
        f"Enter a display name of 1 to {MAX_DISPLAY_NAME_LENGTH} characters.",
    )


def validate_password(password: object) -> None:
    """8 to 1000 characters, checked before any hashing (Argon2 of a huge input is a DoS)."""
    if not isinstance(password, str):
        raise DomainError("invalid_password", "Enter a password.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError("password_too_short", f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError("password_too_long", f"Use at most {MAX_PASSWORD_LENGTH} characters.")
    if any(unicodedata.category(char) == "Cs" for char in password):
        # A lone surrogate cannot be encoded as UTF-8, so it could never be hashed.
        raise DomainError("invalid_password", "The password contains invalid characters.")


def validate_new_account(*, email: object, display_name: object, password: object) -> str:
    """Return the normalised e-mail, or raise DomainError naming the first problem."""
    normalised = validate_email(email)
    validate_display_name(display_name)
    validate_password(password)
    return normalised


def validate_locale(locale: object) -> str:
    if not isinstance(locale, str) or locale not in LOCALES:
        raise DomainError("invalid_locale", "Choose Japanese or English.")
    return locale


@cache
def _time_zones() -> frozenset[str]:
    # Scanning the zone database takes a moment: do it once, on first use.
    return frozenset(available_timezones())


def validate_timezone(timezone: object) -> str:
    """An IANA zone name such as ``Asia/Tokyo``, exactly as the zone database spells it."""
    if not isinstance(timezone, str) or timezone not in _time_zones():
        raise DomainError("invalid_timezone", "Choose a time zone from the list.")
    return timezone


def _email_taken() -> DomainError:
    # Deliberately vague: it must not confirm that somebody has an account.
    return DomainError("email_taken", "This e-mail address cannot be used.")


def create_member(
    session: Session,
    *,
    email: str,
    display_name: str,
    password_hash: str,
    is_admin: bool = False,
    actor_id: int | None = None,
    verified: bool = True,
    now: datetime,
) -> Member:
    """Add a member with an already-hashed password; e-mails are unique after normalisation.

    Two sign-ups racing for one address both pass the look-up; the loser hits the
    unique index inside a savepoint and gets the same ``email_taken`` error.
    ``verified=False`` (self-service sign-up) leaves the address to be proven by the
    mailed link; an admin's or the CLI's account counts as verified.
    """
    normalised = validate_email(email)
    name = validate_display_name(display_name)
    if session.exec(select(Member.id).where(Member.email == normalised)).first() is not None:
        raise _email_taken()
    member = Member(
        email=normalised,
        display_name=name,
        password_hash=password_hash,
        is_admin=is_admin,
        email_verified_at=now if verified else None,
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(member)
    except IntegrityError:
        raise _email_taken() from None
    session.add(
        AuditLogEntry(
            actor_id=actor_id,
            action="create_admin" if is_admin else "create_member",
            target_type="member",
            target_id=member.id,
            at=now,
        )
    )
    session.flush()
    return member


def get_member(session: Session, *, member_id: int) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound("member_not_found", "This member does not exist.")
    return member


def update_profile(
    session: Session,
    *,
    member_id: int,
    display_name: object,
    locale: object,
    timezone: object,
    now: datetime,
) -> Member:
    """Change what a member may edit about themselves; everything is checked first."""
    name = validate_display_name(display_name)
    valid_locale = validate_locale(locale)
    valid_timezone = validate_timezone(timezone)
    member = get_member(session, member_id=member_id)
    member.display_name = name
    member.locale = valid_locale
    member.timezone = valid_timezone
    member.updated_at = now
    session.add(member)
    session.flush()
    return member


def set_locale(session: Session, *, member_id: int, locale: object) -> Member:
    """The member's interface language, as last chosen with the header's switch.

    A display preference, not a profile edit: ``updated_at`` stays as it is.
    """
    valid_locale = validate_locale(locale)
    member = get_member(session, member_id=member_id)
    if member.locale != valid_locale:
        member.locale = valid_locale
        session.add(member)
        session.flush()
    return member


def set_password_hash(
    session: Session, *, member_id: int, password_hash: str, now: datetime
) -> None:
    """Store a new Argon2 hash. Existing logins stay valid: to end them as well (what a
    password change should do) use ``sessions.change_password`` or call
    ``sessions.revoke_all_sessions``.
    """
    member = get_member(session, member_id=member_id)
    member.password_hash = password_hash
    member.updated_at = now
    session.add(member)
    session.flush()
