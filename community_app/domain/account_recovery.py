"""Getting back into an account: a password reset by mail, and moving the account to
another address (confirmed at the new address, announced at the old one).

A reset answers the same whether or not the address has an account, and does the same
work (a token is made and the mail rendered either way; only a member's mail is
stored). Its link lives an hour, works once, is stored hashed, and ends every login of
the member: whoever held one is out, and the member logs in with the new password.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from community_app.domain.account_links import (
    CONFIRM_EMAIL_PATH,
    RESET_PATH,
    masked_address,
    with_token,
)
from community_app.domain.account_tokens import (
    LIFETIMES,
    TokenPurpose,
    end_open_tokens,
    find_token,
    issue_token,
    new_token,
    use_token,
)
from community_app.domain.errors import DomainError
from community_app.domain.mail import (
    MailSite,
    clear_undeliverable,
    current_site,
    enqueue_mail,
    enqueue_mail_to_address,
)
from community_app.domain.mail_kinds import MailKind
from community_app.domain.mail_render import render_mail
from community_app.domain.members import (
    get_member,
    normalise_email,
    set_password_hash,
    validate_email,
    validate_password,
)
from community_app.domain.models import AuditLogEntry, Member
from community_app.domain.passwords import hash_password, verify_password
from community_app.domain.sessions import revoke_all_sessions

RESET_MINUTES = int(LIFETIMES[TokenPurpose.RESET_PASSWORD].total_seconds() // 60)
CHANGE_HOURS = int(LIFETIMES[TokenPurpose.CHANGE_EMAIL].total_seconds() // 3600)


def _audit(session: Session, *, action: str, member_id: int | None, now: datetime) -> None:
    session.add(
        AuditLogEntry(
            actor_id=member_id, action=action, target_type="member", target_id=member_id, at=now
        )
    )


def request_password_reset(
    session: Session, *, email: object, now: datetime, site: MailSite | None = None
) -> None:
    """Mail a reset link if ``email`` belongs to an active member; else do the same work
    and store nothing. Returns nothing: the caller says "if an account uses this address,
    a link is on its way" in every case."""
    try:
        normalised = normalise_email(email)
    except DomainError:
        normalised = ""
    site = site or current_site()
    member = (
        session.exec(select(Member).where(Member.email == normalised)).first()
        if normalised
        else None
    )
    if member is None or member.is_disabled:
        # The same rendering as a real reset, thrown away.
        context = {"reset_path": with_token(RESET_PATH, new_token()), "minutes": RESET_MINUTES}
        footer = {
            "site_url": site.url,
            "recipient_name": "",
            "unsubscribe_url": "",
            "preferences_url": site.url,
        }
        render_mail(
            MailKind.PASSWORD_RESET,
            locale="ja",
            site_name=site.name,
            context=context,
            footer=footer,
        )
        return
    assert member.id is not None
    token = issue_token(
        session,
        member_id=member.id,
        purpose=TokenPurpose.RESET_PASSWORD,
        email=member.email,
        now=now,
    )
    enqueue_mail(
        session,
        member=member,
        kind=MailKind.PASSWORD_RESET,
        context={"reset_path": with_token(RESET_PATH, token), "minutes": RESET_MINUTES},
        now=now,
        site=site,
    )


def check_reset_link(session: Session, *, token: object, now: datetime) -> None:
    """Raise the link's DomainError if it cannot be used (the page shows it at once)."""
    find_token(session, token=token, purpose=TokenPurpose.RESET_PASSWORD, now=now)


def reset_password(
    session: Session, *, token: object, new_password: object, now: datetime
) -> Member:
    """Set a new password through a reset link and end every login of the member.

    The password is checked first, so a too-short one leaves the link usable. Opening
    the link also proves the address, so an unverified member becomes verified.
    """
    validate_password(new_password)
    _row, member = use_token(session, token=token, purpose=TokenPurpose.RESET_PASSWORD, now=now)
    assert member.id is not None
    new_hash = hash_password(cast(str, new_password))  # validated: a string
    set_password_hash(session, member_id=member.id, password_hash=new_hash, now=now)
    if member.email_verified_at is None:
        member.email_verified_at = now
        session.add(member)
    revoke_all_sessions(session, member_id=member.id, now=now)
    end_open_tokens(session, member_id=member.id, purpose=TokenPurpose.RESET_PASSWORD, now=now)
    _audit(session, action="reset_password", member_id=member.id, now=now)
    session.flush()
    return member


def request_email_change(
    session: Session,
    *,
    member_id: int,
    new_email: object,
    current_password: object,
    now: datetime,
    site: MailSite | None = None,
) -> None:
    """Mail a confirmation link to ``new_email``; nothing changes until it is opened.

    The current password is asked for, so a login left open on a shared computer cannot
    move the account to another mailbox (and then reset its password). An address that
    another account uses gets no mail, and the answer is the same.
    """
    member = get_member(session, member_id=member_id)
    if not isinstance(current_password, str) or not verify_password(
        member.password_hash, current_password
    ):
        raise DomainError("wrong_password", "The current password is incorrect.")
    address = validate_email(new_email)
    if address == member.email:
        raise DomainError("email_unchanged", "This is already your address.")
    taken = session.exec(select(Member.id).where(Member.email == address)).first()
    if taken is not None:
        return
    site = site or current_site()
    token = issue_token(
        session, member_id=member_id, purpose=TokenPurpose.CHANGE_EMAIL, email=address, now=now
    )
    enqueue_mail_to_address(
        session,
        address=address,
        name=member.display_name,
        locale=member.locale,
        kind=MailKind.EMAIL_CHANGE_CONFIRM,
        context={
            "confirm_path": with_token(CONFIRM_EMAIL_PATH, token),
            "new_address": address,
            "hours": CHANGE_HOURS,
        },
        now=now,
        member_id=member_id,
        site=site,
    )


def _unavailable() -> DomainError:
    return DomainError("email_unavailable", "Another account uses this address now.")


def confirm_email_change(
    session: Session, *, token: object, now: datetime, site: MailSite | None = None
) -> Member:
    """Open the confirmation link: the account moves to the new address (verified, with
    any "undeliverable" mark cleared), and the old address is told where it went."""
    row, member = use_token(session, token=token, purpose=TokenPurpose.CHANGE_EMAIL, now=now)
    assert member.id is not None
    if session.exec(select(Member.id).where(Member.email == row.email)).first() is not None:
        raise _unavailable()
    old_address = member.email
    member.email = row.email
    member.email_verified_at = now
    member.updated_at = now
    clear_undeliverable(member)
    try:
        with session.begin_nested():
            session.add(member)
    except IntegrityError:  # another account took the address a moment ago
        raise _unavailable() from None
    for purpose in TokenPurpose:  # links sent to the old address prove nothing any more
        end_open_tokens(session, member_id=member.id, purpose=purpose, now=now)
    _audit(session, action="change_email", member_id=member.id, now=now)
    enqueue_mail_to_address(
        session,
        address=old_address,
        name=member.display_name,
        locale=member.locale,
        kind=MailKind.EMAIL_CHANGED,
        context={"new_address": masked_address(row.email)},
        now=now,
        member_id=member.id,
        site=site,
    )
    session.flush()
    return member
