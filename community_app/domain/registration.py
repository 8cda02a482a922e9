"""Sign-up and the verification of a member's address.

Signing up never says whether an address already has an account (issue 21 item 11):
a new address gets an unverified account and a verification link; an address that
already has an account gets nothing new, and its owner a mail saying someone tried to
sign up with it (with links to log in and to reset the password). The visitor sees the
same "check your mailbox" either way, and both paths hash the password and write one
mail, so neither answer nor work tells them apart.

An unverified member can log in and use the site; they get account mails only
(``mail.may_receive``) until they open the link (48 hours, single use, hashed).
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlmodel import Session, select

from community_app.domain.account_links import FORGOT_PATH, LOGIN_PATH, VERIFY_PATH, with_token
from community_app.domain.account_tokens import LIFETIMES, TokenPurpose, issue_token, use_token
from community_app.domain.errors import DomainError
from community_app.domain.mail import MailSite, current_site, enqueue_mail
from community_app.domain.mail_kinds import MailKind
from community_app.domain.members import (
    create_member,
    get_member,
    validate_locale,
    validate_new_account,
)
from community_app.domain.models import AuditLogEntry, Member
from community_app.domain.passwords import hash_password

VERIFY_HOURS = int(LIFETIMES[TokenPurpose.VERIFY_EMAIL].total_seconds() // 3600)


def sign_up(
    session: Session,
    *,
    email: object,
    display_name: object,
    password: object,
    now: datetime,
    locale: object | None = None,
    site: MailSite | None = None,
) -> None:
    """Create an unverified account and mail its verification link, or, when the address
    has an account already, mail its owner instead. Returns nothing on purpose: the
    caller answers "check your mailbox" in both cases. Refuses only malformed input.

    ``locale`` is the language the visitor was using (kept for the account and its
    mails); None keeps the site default. Slow (Argon2): call through a thread.
    """
    normalised = validate_new_account(email=email, display_name=display_name, password=password)
    chosen_locale = None if locale is None else validate_locale(locale)
    site = site or current_site()
    # Hashed in both cases, so a taken address costs the same time as a free one.
    password_hash = hash_password(cast(str, password))
    existing = session.exec(select(Member).where(Member.email == normalised)).first()
    if existing is None:
        try:
            member = create_member(
                session,
                email=normalised,
                display_name=cast(str, display_name),
                password_hash=password_hash,
                verified=False,
                now=now,
            )
        except DomainError as error:  # lost a race for the address to another sign-up
            if error.code != "email_taken":
                raise
            existing = session.exec(select(Member).where(Member.email == normalised)).one()
        else:
            if chosen_locale is not None:
                member.locale = chosen_locale
            send_verification(session, member=member, now=now, site=site)
            return
    _tell_the_owner(session, member=existing, now=now, site=site)


def _tell_the_owner(session: Session, *, member: Member, now: datetime, site: MailSite) -> None:
    enqueue_mail(
        session,
        member=member,
        kind=MailKind.SIGNUP_EXISTING,
        context={"login_path": LOGIN_PATH, "reset_path": FORGOT_PATH},
        now=now,
        site=site,
    )


def send_verification(
    session: Session, *, member: Member, now: datetime, site: MailSite | None = None
) -> None:
    """Mail a verification link for the member's current address. Earlier links stay
    valid until they expire (they prove the same address)."""
    assert member.id is not None
    site = site or current_site()
    token = issue_token(
        session,
        member_id=member.id,
        purpose=TokenPurpose.VERIFY_EMAIL,
        email=member.email,
        now=now,
        supersede=False,
    )
    enqueue_mail(
        session,
        member=member,
        kind=MailKind.VERIFY_EMAIL,
        context={"verify_path": with_token(VERIFY_PATH, token), "hours": VERIFY_HOURS},
        now=now,
        site=site,
    )


def resend_verification(
    session: Session, *, member_id: int, now: datetime, site: MailSite | None = None
) -> None:
    """Another verification link, for a member whose address is not verified yet."""
    member = get_member(session, member_id=member_id)
    if member.email_verified_at is not None:
        raise DomainError("already_verified", "Your address is already confirmed.")
    if member.email_undeliverable_at is not None:
        raise DomainError(
            "email_undeliverable", "Mail to this address is refused. Change your address."
        )
    send_verification(session, member=member, now=now, site=site)


def verify_email(session: Session, *, token: object, now: datetime) -> Member:
    """Open a verification link: the member's address counts as theirs from now on."""
    _row, member = use_token(session, token=token, purpose=TokenPurpose.VERIFY_EMAIL, now=now)
    if member.email_verified_at is None:
        member.email_verified_at = now
        session.add(member)
        session.add(
            AuditLogEntry(
                actor_id=member.id,
                action="verify_email",
                target_type="member",
                target_id=member.id,
                at=now,
            )
        )
    session.flush()
    return member
