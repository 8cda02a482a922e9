"""The admin mailbox: every mail the site wrote, newest first, with its status and
errors (sent, waiting, failed, or kept here because no SMTP server is configured), and
the admin's test mail. Mails hold links meant for one member: only admins read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from community_app.domain.audit import record_audit
from community_app.domain.enums import MailCategory, MailStatus
from community_app.domain.errors import NotFound
from community_app.domain.mail import MailSite, enqueue_mail_to_address
from community_app.domain.mail_kinds import MailKind
from community_app.domain.members import validate_email
from community_app.domain.models import MailMessage, Member
from community_app.domain.permissions import Actor, can_read_mailbox, require
from community_app.domain.validation import as_id, as_whole_number

PAGE_SIZE = 50
MAX_PAGE = 100_000


@dataclass(frozen=True)
class MailSummary:
    mail_id: int
    to_address: str
    subject: str
    kind: str
    category: MailCategory
    status: MailStatus
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    last_error: str


@dataclass(frozen=True)
class MailDetail:
    summary: MailSummary
    to_name: str
    locale: str
    message_id: str
    text_body: str
    html_body: str
    calendar_method: str
    calendar_ics: str
    list_unsubscribe_url: str
    next_attempt_at: datetime


@dataclass(frozen=True)
class MailPage:
    mails: tuple[MailSummary, ...]
    page: int
    total: int
    page_size: int = PAGE_SIZE

    @property
    def has_next(self) -> bool:
        return self.page * self.page_size < self.total


def _summary(row: MailMessage) -> MailSummary:
    assert row.id is not None
    return MailSummary(
        mail_id=row.id,
        to_address=row.to_address,
        subject=row.subject,
        kind=row.kind,
        category=row.category,
        status=row.status,
        attempts=row.attempts,
        created_at=row.created_at,
        sent_at=row.sent_at,
        last_error=row.last_error,
    )


def list_mail(session: Session, *, actor: Actor, page: object = 1) -> MailPage:
    """One page of the outbox, newest first."""
    require(can_read_mailbox(actor))
    number = as_whole_number(page, code="invalid_page", minimum=1, maximum=MAX_PAGE)
    total = session.exec(select(func.count()).select_from(MailMessage)).one()
    rows = session.exec(
        select(MailMessage)
        .order_by(col(MailMessage.created_at).desc(), col(MailMessage.id).desc())
        .offset((number - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return MailPage(tuple(_summary(row) for row in rows), number, int(total))


def mail_detail(session: Session, *, actor: Actor, mail_id: object) -> MailDetail:
    require(can_read_mailbox(actor))
    row = session.get(MailMessage, as_id(mail_id))
    if row is None:
        raise NotFound("mail_not_found", "This mail does not exist.")
    return MailDetail(
        summary=_summary(row),
        to_name=row.to_name,
        locale=row.locale,
        message_id=row.message_id,
        text_body=row.text_body,
        html_body=row.html_body,
        calendar_method=row.calendar_method,
        calendar_ics=row.calendar_ics,
        list_unsubscribe_url=row.list_unsubscribe_url,
        next_attempt_at=row.next_attempt_at,
    )


def queue_test_mail(
    session: Session,
    *,
    to: object,
    requested_by: str,
    locale: str,
    now: datetime,
    site: MailSite | None = None,
) -> MailMessage:
    """A test mail to any valid address (the operator's command line; admins go through
    ``send_test_mail``). Raises DomainError("invalid_email") for a bad address."""
    address = validate_email(to)
    return enqueue_mail_to_address(
        session,
        address=address,
        name="",
        locale=locale,
        kind=MailKind.TEST,
        context={"requested_by": requested_by},
        now=now,
        site=site,
    )


def send_test_mail(
    session: Session, *, actor: Actor, to: object, now: datetime, site: MailSite | None = None
) -> int:
    """An admin's test mail, in the admin's language; returns the mail's id."""
    require(can_read_mailbox(actor))
    admin = session.get(Member, actor.member_id)
    assert admin is not None
    row = queue_test_mail(
        session,
        to=to,
        requested_by=f"{admin.display_name} <{admin.email}>",
        locale=admin.locale,
        now=now,
        site=site,
    )
    session.flush()
    assert row.id is not None
    record_audit(
        session,
        actor=actor,
        action="send_test_mail",
        target_type="mail",
        target_id=row.id,
        detail=row.to_address,
        now=now,
    )
    return row.id
