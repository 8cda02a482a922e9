"""Sending the mail outbox: due messages are claimed with a lease, sent over one SMTP
connection per round (in a thread), and their outcome recorded, with back-off and a
final give-up. Without ``SMTP_URL`` due messages are marked ``held``: kept for the admin
mailbox, never dropped.

Like ``webhook_delivery``: no transaction is open while the SMTP server is talked to; a
claim pushes ``next_attempt_at`` forward by a lease (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL), so two workers never send the same message, and a worker that dies
mid-way only delays its messages by the lease.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import time
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Engine, update
from sqlmodel import col, select

from community_app.db import write_session
from community_app.domain.enums import MailStatus
from community_app.domain.mail import mark_undeliverable
from community_app.domain.models import MailMessage, Member
from community_app.mail_transport import (
    Dkim,
    OutgoingMail,
    SendOutcome,
    SmtpConfigurationError,
    SmtpSession,
)
from community_app.settings import Settings, SmtpSettings, get_settings

logger = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=5)
# A round stops sending well before its lease ends (a slow server could otherwise keep
# it past the lease, and another worker would claim and send the same messages); what
# it did not try is released at once, without counting an attempt.
ROUND_BUDGET_SECONDS = CLAIM_LEASE.total_seconds() / 2
BATCH = 50
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1  # about a day of retries, then give up


@dataclass(frozen=True)
class MailReport:
    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0


@dataclass(frozen=True)
class Sender:
    """How to send: the SMTP server, the From header, the optional DKIM key."""

    smtp: SmtpSettings
    mail_from: str
    dkim: Dkim | None = None
    timeout: float = 30

    @classmethod
    def from_settings(cls, settings: Settings) -> Sender | None:
        if settings.smtp is None:
            return None
        dkim = None
        if settings.dkim_private_key_file is not None:
            dkim = Dkim.load(
                key_file=settings.dkim_private_key_file,
                selector=settings.dkim_selector,
                mail_from=settings.mail_from,
            )
        return cls(settings.smtp, settings.mail_from, dkim)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed try (1-based)."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def _outgoing(row: MailMessage) -> OutgoingMail:
    assert row.id is not None
    return OutgoingMail(
        mail_id=row.id,
        member_id=row.member_id,
        to_address=row.to_address,
        to_name=row.to_name,
        subject=row.subject,
        text_body=row.text_body,
        html_body=row.html_body,
        calendar_method=row.calendar_method,
        calendar_ics=row.calendar_ics,
        list_unsubscribe_url=row.list_unsubscribe_url,
        message_id=row.message_id,
        created_at=row.created_at,
    )


def _due(now: datetime, mail_ids: Collection[int] | None) -> list[ColumnElement[bool]]:
    conditions = [
        col(MailMessage.status) == MailStatus.QUEUED,
        col(MailMessage.next_attempt_at) <= now,
    ]
    if mail_ids is not None:
        conditions.append(col(MailMessage.id).in_(mail_ids))
    return conditions


def claim_due(
    *,
    now: datetime,
    limit: int,
    engine: Engine | None = None,
    mail_ids: Collection[int] | None = None,
) -> list[OutgoingMail]:
    """Take up to ``limit`` queued messages due at ``now`` (of ``mail_ids`` when
    given), oldest first, and lease them."""
    with write_session(engine) as session:
        rows = session.exec(
            select(MailMessage)
            .where(*_due(now, mail_ids))
            .order_by(col(MailMessage.next_attempt_at), col(MailMessage.id))
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        for row in rows:
            row.next_attempt_at = now + CLAIM_LEASE
            session.add(row)
        return [_outgoing(row) for row in rows]


def hold_due(
    *, now: datetime, engine: Engine | None = None, mail_ids: Collection[int] | None = None
) -> int:
    """No SMTP server: keep every due queued message for the admin mailbox."""
    with write_session(engine) as session:
        result = session.exec(
            update(MailMessage)
            .where(*_due(now, mail_ids))
            .values(status=MailStatus.HELD, last_error="")
        )
        return int(result.rowcount or 0)


def send_all(
    mails: list[OutgoingMail], sender: Sender, *, budget: float = ROUND_BUDGET_SECONDS
) -> list[SendOutcome]:
    """Send over one connection (blocking: run it in a thread). A server that cannot be
    reached or refuses the login fails the whole round, to be retried. Messages not
    tried within ``budget`` seconds come back with ``attempted=False``."""
    deadline = time.monotonic() + budget
    try:
        with SmtpSession(
            sender.smtp, mail_from=sender.mail_from, dkim=sender.dkim, timeout=sender.timeout
        ) as session:
            outcomes = []
            for mail in mails:
                if time.monotonic() > deadline:
                    outcomes.append(SendOutcome(mail.mail_id, False, attempted=False))
                else:
                    outcomes.append(session.send(mail))
            return outcomes
    except (OSError, smtplib.SMTPException, SmtpConfigurationError) as error:
        reason = f"{type(error).__name__}: {error}"[:480]
        return [SendOutcome(mail.mail_id, False, error=reason) for mail in mails]


def record_outcomes(
    outcomes: list[SendOutcome], *, now: datetime, engine: Engine | None = None
) -> MailReport:
    """Mark messages sent, or schedule their retry, or give up (permanent refusal or
    ``MAX_ATTEMPTS`` tries). A permanent refusal of the recipient marks the member's
    address undeliverable, if it is still the address the message went to."""
    sent = retrying = failed = 0
    with write_session(engine) as session:
        for outcome in outcomes:
            row = session.get(MailMessage, outcome.mail_id)
            if row is None:
                continue
            if not outcome.attempted:  # out of time this round: free for the next one
                row.next_attempt_at = now
                session.add(row)
                continue
            row.attempts += 1
            if outcome.sent:
                row.status, row.sent_at, row.last_error = MailStatus.SENT, now, ""
                sent += 1
            elif outcome.permanent or row.attempts >= MAX_ATTEMPTS:
                row.status, row.last_error = MailStatus.FAILED, outcome.error[:500]
                failed += 1
                if outcome.recipient_refused and row.member_id is not None:
                    member = session.get(Member, row.member_id)
                    if member is not None and member.email == row.to_address:
                        mark_undeliverable(member, reason=outcome.error, now=now)
                        session.add(member)
            else:
                row.last_error = outcome.error[:500]
                row.next_attempt_at = now + retry_delay(row.attempts)
                retrying += 1
            session.add(row)
    return MailReport(len(outcomes), sent, retrying, failed)


async def deliver_due(
    *,
    now: datetime,
    sender: Sender | None,
    engine: Engine | None = None,
    limit: int = BATCH,
    mail_ids: Collection[int] | None = None,
) -> MailReport:
    """One round: send what is due (or hold it when ``sender`` is None)."""
    if sender is None:
        held = await asyncio.to_thread(hold_due, now=now, engine=engine, mail_ids=mail_ids)
        return MailReport(held=held)
    mails = await asyncio.to_thread(
        claim_due, now=now, limit=limit, engine=engine, mail_ids=mail_ids
    )
    if not mails:
        return MailReport()
    outcomes = await asyncio.to_thread(send_all, mails, sender)
    return await asyncio.to_thread(record_outcomes, outcomes, now=now, engine=engine)


async def run_mail_loop(interval: float = 5) -> None:
    """Deliver due mail every ``interval`` seconds for the life of the app (started with
    ``app.register_lifespan_task``). A failing round is logged, not fatal."""
    sender = Sender.from_settings(get_settings())
    if sender is None:
        logger.info("mail: no SMTP_URL, mails are kept in the admin mailbox (/admin/mail)")
    while True:
        try:
            report = await deliver_due(now=datetime.now(UTC), sender=sender)
            if report.claimed or report.held:
                logger.info("mail: %s", report)
        except Exception:  # the loop must outlive a database hiccup
            logger.exception("mail delivery round failed")
        await asyncio.sleep(interval)
