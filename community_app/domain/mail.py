"""The mail outbox: verbs add a rendered ``MailMessage`` inside their own transaction
(``enqueue_mail``), and ``community_app.mail_delivery`` sends it later. Enqueueing does
no I/O beyond reading the templates, and never fails because of the mail server.

Whether a member gets a mail at all is decided here, once: a disabled account or an
address an SMTP server refused for good gets nothing; an optional category the member
turned off gets nothing (the in-app notification, written by the caller, still is).
"""

from __future__ import annotations

import secrets
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from typing import Any, Literal
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from community_app.domain.enums import MailCategory, MailStatus
from community_app.domain.mail_kinds import MailKind, category_of
from community_app.domain.mail_preferences import receives_category, unsubscribe_url
from community_app.domain.mail_render import RenderedMail, one_line, render_mail
from community_app.domain.models import MailMessage, MailOptOut, Member

LOCALES = ("ja", "en")
PREFERENCES_PATH = "/account"
MAX_ERROR_LENGTH = 500


@dataclass(frozen=True)
class MailSite:
    """What every mail needs to know about the site: its name (subject prefix), its URL
    (links), the secret that signs unsubscribe links and the domain of Message-IDs."""

    name: str
    url: str
    secret: str
    mail_domain: str
    from_address: str = ""  # MAIL_FROM's address: the ORGANIZER of calendar invitations


@dataclass(frozen=True)
class CalendarPart:
    """An iMIP part (RFC 6047): ``ics`` is the whole VCALENDAR with the same METHOD."""

    method: Literal["REQUEST", "CANCEL"]
    ics: bytes


def current_site() -> MailSite:
    """The site of this deployment, from the settings (tests pass their own ``site``)."""
    from community_app.settings import get_settings

    settings = get_settings()
    address = parseaddr(settings.mail_from)[1]
    domain = address.rpartition("@")[2] or urlsplit(settings.site_url).hostname or "localhost"
    return MailSite(settings.site_name, settings.site_url, settings.secret_key, domain, address)


def may_receive(
    session: Session,
    member: Member,
    category: MailCategory,
    *,
    opted_out: Collection[int] | None = None,
) -> bool:
    """Whether ``member`` gets a mail of ``category`` now. ``opted_out`` (the members who
    turned ``category`` off, from ``load_recipients``) saves a query per member when one
    change mails many people. An address nobody has proven yet (a sign-up whose link is
    not opened) gets account mails only."""
    if member.is_disabled or member.email_undeliverable_at is not None:
        return False
    if member.email_verified_at is None and category is not MailCategory.ACCOUNT:
        return False
    assert member.id is not None
    if opted_out is not None and category is not MailCategory.ACCOUNT:
        return member.id not in opted_out
    return receives_category(session, member_id=member.id, category=category)


def load_recipients(
    session: Session, *, member_ids: Collection[int], kind: MailKind
) -> tuple[dict[int, Member], set[int]]:
    """The members of ``member_ids``, and which of them turned off the category of
    ``kind`` (pass it to ``enqueue_mail(opted_out=…)``), in one query."""
    if not member_ids:
        return {}, set()
    category = category_of(kind)
    off = (col(MailOptOut.member_id) == col(Member.id)) & (col(MailOptOut.category) == category)
    rows = session.exec(
        select(Member, MailOptOut.member_id)
        .outerjoin(MailOptOut, off)
        .where(col(Member.id).in_(sorted(set(member_ids))))
    ).all()
    members = {member.id: member for member, _ in rows if member.id is not None}
    opted_out = {member_id for _, member_id in rows if member_id is not None}
    return members, set() if category is MailCategory.ACCOUNT else opted_out


def _locale(value: str) -> str:
    return value if value in LOCALES else "ja"


def _row(
    *,
    kind: MailKind,
    address: str,
    name: str,
    locale: str,
    rendered: RenderedMail,
    site: MailSite,
    now: datetime,
    member_id: int | None,
    unsubscribe: str,
    calendar: CalendarPart | None,
) -> MailMessage:
    return MailMessage(
        member_id=member_id,
        to_address=one_line(address)[:254],
        to_name=one_line(name)[:80],
        locale=locale,
        kind=kind.value,
        category=category_of(kind),
        message_id=f"<{secrets.token_hex(16)}@{site.mail_domain}>",
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        calendar_method=calendar.method if calendar else "",
        calendar_ics=calendar.ics.decode("utf-8") if calendar else "",
        list_unsubscribe_url=unsubscribe,
        status=MailStatus.QUEUED,
        next_attempt_at=now,
        created_at=now,
    )


def enqueue_mail(
    session: Session,
    *,
    member: Member,
    kind: MailKind,
    context: Mapping[str, Any],
    now: datetime,
    calendar: CalendarPart | None = None,
    site: MailSite | None = None,
    opted_out: Collection[int] | None = None,
) -> MailMessage | None:
    """Render ``kind`` in the member's language and add it to the outbox, in the
    caller's transaction. Returns the row, or None when the member does not get this
    mail (see the module docstring). Mails of optional categories carry a signed
    one-click unsubscribe link for this member and category. A caller mailing many
    members passes ``opted_out`` (``load_recipients``) so preferences cost one query."""
    category = category_of(kind)
    if not may_receive(session, member, category, opted_out=opted_out):
        return None
    assert member.id is not None
    site = site or current_site()
    unsubscribe = (
        ""
        if category is MailCategory.ACCOUNT
        else unsubscribe_url(
            site_url=site.url, member_id=member.id, category=category, secret=site.secret
        )
    )
    locale = _locale(member.locale)
    rendered = _render(kind, locale, site, context, member.display_name, unsubscribe)
    row = _row(
        kind=kind,
        address=member.email,
        name=member.display_name,
        locale=locale,
        rendered=rendered,
        site=site,
        now=now,
        member_id=member.id,
        unsubscribe=unsubscribe,
        calendar=calendar,
    )
    session.add(row)
    return row


def enqueue_mail_to_address(
    session: Session,
    *,
    address: str,
    name: str,
    locale: str,
    kind: MailKind,
    context: Mapping[str, Any],
    now: datetime,
    member_id: int | None = None,
    site: MailSite | None = None,
) -> MailMessage:
    """Add an account mail for an address that is not (yet) a member's address, such as
    the confirmation of a new address or an admin's test mail. Only account kinds: they
    carry no unsubscribe link and ignore preferences."""
    if category_of(kind) is not MailCategory.ACCOUNT:
        raise ValueError(f"{kind} is not an account mail: use enqueue_mail")
    site = site or current_site()
    locale = _locale(locale)
    rendered = _render(kind, locale, site, context, name or address, "")
    row = _row(
        kind=kind,
        address=address,
        name=name,
        locale=locale,
        rendered=rendered,
        site=site,
        now=now,
        member_id=member_id,
        unsubscribe="",
        calendar=None,
    )
    session.add(row)
    return row


def _render(
    kind: MailKind,
    locale: str,
    site: MailSite,
    context: Mapping[str, Any],
    recipient_name: str,
    unsubscribe: str,
) -> RenderedMail:
    footer = {
        "site_url": site.url,
        "recipient_name": recipient_name,
        "unsubscribe_url": unsubscribe,
        "preferences_url": f"{site.url}{PREFERENCES_PATH}",
    }
    return render_mail(kind, locale=locale, site_name=site.name, context=context, footer=footer)


def mark_undeliverable(member: Member, *, reason: str, now: datetime) -> None:
    """An SMTP server refused the member's address for good: send nothing more to it."""
    member.email_undeliverable_at = now
    member.email_undeliverable_reason = one_line(reason)[:300]


def clear_undeliverable(member: Member) -> None:
    """The member has a new address (call this wherever the address changes)."""
    member.email_undeliverable_at = None
    member.email_undeliverable_reason = ""
