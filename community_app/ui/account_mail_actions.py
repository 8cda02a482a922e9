"""Blocking work of the account mails (sign-up, verification, reset, change of address),
run by handlers through ``asyncio.to_thread``: their transactions and rate limits.
No Reflex here, so the rules stay testable without a browser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from community_app.db import read_session, write_session
from community_app.domain import account_limits, account_recovery, rate_limits, registration
from community_app.domain.errors import DomainError
from community_app.domain.models import Member
from community_app.domain.sessions import resolve_session


@dataclass(frozen=True)
class AddressStatus:
    """What the account page says about the member's own address."""

    email: str
    verified: bool
    undeliverable: bool


def _now() -> datetime:
    return datetime.now(UTC)


def _signed_in_member(session: Session, token: object, now: datetime) -> Member:
    member = resolve_session(session, token=token, now=now)
    if member is None or member.id is None:
        raise DomainError("not_signed_in", "Please log in again.")
    return member


def sign_up(
    *,
    email: object,
    display_name: object,
    password: object,
    ip: str,
    user_agent: str = "",
    locale: object | None = None,
) -> None:
    """Create the account or tell the address's owner; the same silent answer either way
    (``registration.sign_up``). ``user_agent`` is accepted for the form's common call."""
    now = _now()
    with write_session() as session:
        rate_limits.guard_signup(session, ip=ip, now=now)
    with write_session() as session:
        registration.sign_up(
            session,
            email=email,
            display_name=display_name,
            password=password,
            now=now,
            locale=locale,
        )


def verify_email(token: object) -> None:
    with write_session() as session:
        registration.verify_email(session, token=token, now=_now())


def resend_verification(*, token: object) -> None:
    now = _now()
    with write_session() as session:
        member = _signed_in_member(session, token, now)
        assert member.id is not None
        account_limits.guard_member_action(session, kind="resend", member_id=member.id, now=now)
    with write_session() as session:
        assert member.id is not None
        registration.resend_verification(session, member_id=member.id, now=now)


def address_status(*, token: object) -> AddressStatus:
    with read_session() as session:
        member = _signed_in_member(session, token, _now())
        return AddressStatus(
            member.email,
            member.email_verified_at is not None,
            member.email_undeliverable_at is not None,
        )


def request_password_reset(*, email: object, ip: str) -> None:
    """Counted per address and per IP before any work; then the same silent answer
    whether or not the address has an account."""
    now = _now()
    with write_session() as session:
        account_limits.guard_password_reset(session, ip=ip, email=email, now=now)
    with write_session() as session:
        account_recovery.request_password_reset(session, email=email, now=now)


def check_reset_link(token: object) -> None:
    with read_session() as session:
        account_recovery.check_reset_link(session, token=token, now=_now())


def reset_password(*, token: object, new_password: object, ip: str) -> None:
    """Set the new password, end every login, and lift a log-in lock-out of the account
    (the member just proved they read its mail). The member logs in afterwards."""
    now = _now()
    with write_session() as session:
        member = account_recovery.reset_password(
            session, token=token, new_password=new_password, now=now
        )
        account_limits.lift_login_lockout(session, ip=ip, email=member.email)


def request_email_change(
    *, token: object, new_email: object, current_password: object, ip: str
) -> None:
    """The current password is a password guess: it counts against the log-in limits,
    checked before Argon2 runs."""
    now = _now()
    with write_session() as session:
        member = _signed_in_member(session, token, now)
        member_id, email = member.id, member.email
        assert member_id is not None
        rate_limits.guard_login(session, ip=ip, email=email, now=now)
        account_limits.guard_member_action(
            session, kind="email-change", member_id=member_id, now=now
        )
    try:
        with write_session() as session:
            account_recovery.request_email_change(
                session,
                member_id=member_id,
                new_email=new_email,
                current_password=current_password,
                now=now,
            )
    except DomainError as error:
        if error.code == "wrong_password":
            with write_session() as session:
                rate_limits.note_failed_login(session, ip=ip, email=email, now=now)
        raise


def confirm_email_change(token: object) -> None:
    with write_session() as session:
        account_recovery.confirm_email_change(session, token=token, now=_now())
