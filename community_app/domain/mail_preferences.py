"""Which mails a member receives: one switch per optional category, and the signed
one-click unsubscribe links (RFC 8058) that turn a switch off without logging in.

A link names the member and the category and carries an HMAC of both keyed with the
site's secret, so it cannot be forged, nor turned into a link for another member or
category. Using it twice does no harm (the switch is already off).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from community_app.domain.enums import MailCategory
from community_app.domain.errors import DomainError
from community_app.domain.models import MailOptOut, Member
from community_app.domain.validation import as_choice, as_flag, as_id

UNSUBSCRIBE_PATH = "/mail/unsubscribe"
_PURPOSE = b"tsudoi-mail-unsubscribe-v1"


def unsubscribe_signature(*, member_id: int, category: MailCategory, secret: str) -> str:
    message = b"\0".join((_PURPOSE, str(member_id).encode(), category.value.encode()))
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def unsubscribe_url(*, site_url: str, member_id: int, category: MailCategory, secret: str) -> str:
    signature = unsubscribe_signature(member_id=member_id, category=category, secret=secret)
    return f"{site_url}{UNSUBSCRIBE_PATH}/{member_id}/{category.value}/{signature}"


def _invalid_link() -> DomainError:
    return DomainError("invalid_unsubscribe_link", "This unsubscribe link is not valid.")


def check_unsubscribe_link(
    *, member_id: object, category: object, signature: object, secret: str
) -> tuple[int, MailCategory]:
    """The member and category of a genuine link; DomainError for anything else
    (altered, for the account category, or not ours)."""
    try:
        member = as_id(member_id)
        chosen = as_choice(category, MailCategory, code="invalid_unsubscribe_link")
    except DomainError:
        raise _invalid_link() from None
    if chosen is MailCategory.ACCOUNT or not isinstance(signature, str):
        raise _invalid_link()
    expected = unsubscribe_signature(member_id=member, category=chosen, secret=secret)
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        raise _invalid_link()
    return member, chosen


def receives_category(session: Session, *, member_id: int, category: MailCategory) -> bool:
    if category is MailCategory.ACCOUNT:
        return True
    return session.get(MailOptOut, (member_id, category)) is None


def mail_preferences(session: Session, *, member_id: int) -> dict[MailCategory, bool]:
    """Every optional category and whether the member receives it."""
    off = set(
        session.exec(select(MailOptOut.category).where(MailOptOut.member_id == member_id)).all()
    )
    return {category: category not in off for category in MailCategory.optional()}


def set_mail_preference(
    session: Session, *, member_id: object, category: object, enabled: object, now: datetime
) -> None:
    """Turn one optional category on or off for the member (idempotent)."""
    member = as_id(member_id)
    chosen = as_choice(category, MailCategory, code="invalid_mail_category")
    wanted = as_flag(enabled)
    if chosen is MailCategory.ACCOUNT:
        raise DomainError("invalid_mail_category", "Account mails cannot be turned off.")
    if session.get(Member, member) is None:
        raise _invalid_link()
    existing = session.get(MailOptOut, (member, chosen))
    if wanted and existing is not None:
        session.delete(existing)
    elif not wanted and existing is None:
        session.add(MailOptOut(member_id=member, category=chosen, created_at=now))
    session.flush()


@dataclass(frozen=True)
class UnsubscribeTarget:
    """What a genuine link points at: shown on the confirmation page."""

    member_id: int
    category: MailCategory
    locale: str
    is_off: bool  # the category is already turned off


def read_unsubscribe_link(
    session: Session, *, member_id: object, category: object, signature: object, secret: str
) -> UnsubscribeTarget:
    """Check a link without changing anything (the GET page: mail scanners follow links,
    so opening one must not unsubscribe)."""
    member, chosen = check_unsubscribe_link(
        member_id=member_id, category=category, signature=signature, secret=secret
    )
    row = session.get(Member, member)
    if row is None:
        raise _invalid_link()
    is_off = not receives_category(session, member_id=member, category=chosen)
    return UnsubscribeTarget(member, chosen, row.locale, is_off)


def unsubscribe(
    session: Session,
    *,
    member_id: object,
    category: object,
    signature: object,
    secret: str,
    now: datetime,
) -> UnsubscribeTarget:
    """Turn the link's category off for the link's member (RFC 8058 one-click POST, or
    the confirmation page's button). Using a link again changes nothing."""
    target = read_unsubscribe_link(
        session, member_id=member_id, category=category, signature=signature, secret=secret
    )
    set_mail_preference(
        session, member_id=target.member_id, category=target.category, enabled=False, now=now
    )
    return UnsubscribeTarget(target.member_id, target.category, target.locale, True)
