"""Blocking work of the admin mailbox and the account's mail settings, run through
``asyncio.to_thread``. The actor is rebuilt from the session token each time; the
domain verbs let only admins read the mailbox, and members change only their own
switches."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from community_app.db import write_session
from community_app.domain import mailbox, sessions
from community_app.domain.enums import MailCategory
from community_app.domain.mail_preferences import mail_preferences, set_mail_preference
from community_app.domain.mailbox import MailDetail, MailPage
from community_app.domain.permissions import Actor
from community_app.settings import get_settings
from community_app.ui.group_actions import act_as, actor_for

URL = re.compile(r"https?://[^\s<>\"']+")


@dataclass(frozen=True)
class Mailbox:
    page: MailPage
    timezone: str
    sending: bool  # SMTP_URL is set: mails go out (else they are held here)


@dataclass(frozen=True)
class MailSettings:
    switches: dict[MailCategory, bool]
    undeliverable_reason: str | None  # None: the address works as far as we know


def _timezone(session: Session, token: object, now: datetime) -> str:
    member = sessions.resolve_session(session, token=token, now=now, touch=False)
    return member.timezone if member else get_settings().default_timezone


def load_mailbox(*, token: object, page: object) -> Mailbox:
    now = datetime.now(UTC)
    with write_session() as session:
        actor: Actor = actor_for(session, token, now)
        result = mailbox.list_mail(session, actor=actor, page=page)
        timezone = _timezone(session, token, now)
    return Mailbox(result, timezone, get_settings().smtp is not None)


def open_mail(*, token: object, mail_id: object) -> tuple[MailDetail, str]:
    now = datetime.now(UTC)
    with write_session() as session:
        detail = mailbox.mail_detail(session, actor=actor_for(session, token, now), mail_id=mail_id)
        return detail, _timezone(session, token, now)


def send_test_mail(*, token: object, to: object) -> int:
    return act_as(token, mailbox.send_test_mail, to=to)


def text_segments(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into plain runs and URLs (``True``), so URLs can be made links."""
    segments: list[tuple[str, bool]] = []
    position = 0
    for match in URL.finditer(text):
        if match.start() > position:
            segments.append((text[position : match.start()], False))
        segments.append((match.group(0), True))
        position = match.end()
    if position < len(text):
        segments.append((text[position:], False))
    return segments


def load_mail_settings(*, token: object) -> MailSettings | None:
    now = datetime.now(UTC)
    with write_session() as session:
        member = sessions.resolve_session(session, token=token, now=now)
        if member is None or member.id is None:
            return None
        reason = (
            member.email_undeliverable_reason or "—"
            if member.email_undeliverable_at is not None
            else None
        )
        return MailSettings(mail_preferences(session, member_id=member.id), reason)


def save_mail_switch(*, token: object, category: object, enabled: object) -> MailSettings | None:
    now = datetime.now(UTC)
    with write_session() as session:
        member = sessions.resolve_session(session, token=token, now=now)
        if member is None:
            return None
        set_mail_preference(
            session, member_id=member.id, category=category, enabled=enabled, now=now
        )
    return load_mail_settings(token=token)
