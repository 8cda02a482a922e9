"""RSVP in the browser → the confirmation mail with its calendar invitation, in Japanese
and English: the outbox row (kind, language, iMIP part with the event's UID, the join
link for the member going, none for the one waiting), then the same mail read by an
admin in the mailbox at /admin/mail."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect
from reflex.testing import AppHarnessProd
from sqlmodel import col, select

from community_app.db import read_session, write_session
from community_app.domain.enums import EventStatus, MailStatus
from community_app.domain.events import new_event_uid
from community_app.domain.models import Event, MailMessage, Member, ParticipationTier
from community_app.i18n import translate
from tests.e2e.support import (
    TIMEOUT_MS,
    Account,
    Capture,
    create_account,
    group_id,
    log_in,
    new_page,
    url,
)

pytestmark = pytest.mark.e2e
GROUP = "wlb-night-cafe"


def _event_with_one_seat() -> tuple[str, str, str]:
    now = datetime.now(UTC)
    join_url = f"https://meet.example.com/mail-{uuid.uuid4().hex[:8]}"
    slug = f"メールの会-{uuid.uuid4().hex[:6]}"
    with write_session() as session:
        event = Event(
            uid=new_event_uid(), slug=slug, title="メールで届く相談会",
            description="確認メールのテストです。",
            group_id=group_id(GROUP, session=session), status=EventStatus.APPROVED,
            starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=1),
            published_at=now, join_url=join_url,
        )  # fmt: skip
        session.add(event)
        session.flush()
        session.add(ParticipationTier(event_id=event.id, name="相談枠", name_en="Talk", capacity=1))
        return slug, join_url, event.uid


def _wait_until(condition: Callable[[], bool], what: str) -> None:
    """The mail loop runs every few seconds: wait for its round, not for a time."""
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def _mails(account: Account) -> list[MailMessage]:
    with read_session() as session:
        query = select(MailMessage).where(MailMessage.member_id == account.member_id)
        return list(session.exec(query.order_by(col(MailMessage.id))).all())


def _signed_in(browser: Browser, app: AppHarnessProd, account: Account, locale: str) -> Page:
    page = new_page(browser)
    log_in(Capture(page, app), account)
    if locale == "en":  # the header's switch also becomes the account's mail language
        page.locator("#locale-toggle").click()
        expect(page.locator("#locale-toggle")).to_have_text(
            translate("nav.language", "en"), timeout=TIMEOUT_MS
        )
    return page


def _rsvp(page: Page, app: AppHarnessProd, slug: str, status: str, locale: str) -> None:
    page.goto(url(app, f"/events/{slug}"))
    page.locator(".rsvp-button").click()
    expect(page.locator("#rsvp-status")).to_contain_text(
        translate(f"rsvp.status.{status}", locale), timeout=TIMEOUT_MS
    )


def _read_in_the_mailbox(
    browser: Browser, app: AppHarnessProd, account: Account, subject: str, join_url: str
) -> None:
    admin = create_account("メール 管理者")
    with write_session() as session:
        member = session.get(Member, admin.member_id)
        assert member is not None
        member.is_admin = True
        session.add(member)
    _wait_until(
        lambda: all(m.status is MailStatus.HELD for m in _mails(account)), "the mail to be kept"
    )
    page = new_page(browser)
    capture = Capture(page, app)
    log_in(capture, admin)
    capture.visit("/admin/mail")
    row = page.locator(".mail-row", has_text=account.email)
    expect(row).to_have_count(1, timeout=TIMEOUT_MS)
    row.locator(".mail-open").click()
    expect(page.locator("#mail-subject")).to_have_text(subject, timeout=TIMEOUT_MS)
    expect(page.frame_locator("#mail-html").locator("a", has_text=join_url)).to_be_visible(
        timeout=TIMEOUT_MS
    )
    expect(page.get_by_text("METHOD:REQUEST")).to_be_visible()
    page.context.close()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_an_rsvp_sends_its_confirmation_with_a_calendar_invitation(
    app: AppHarnessProd, browser: Browser, locale: str
) -> None:
    slug, join_url, uid = _event_with_one_seat()
    going = create_account("確認 花子" if locale == "ja" else "Hana Confirm")
    waiting = create_account("待機 太郎" if locale == "ja" else "Taro Waiting")
    going_page = _signed_in(browser, app, going, locale)
    waiting_page = _signed_in(browser, app, waiting, locale)

    _rsvp(going_page, app, slug, "going", locale)
    _rsvp(waiting_page, app, slug, "waitlisted", locale)

    (confirmation,) = _mails(going)
    subject = (
        "[Tsudoi] 「メールで届く相談会」への参加が確定しました"
        if locale == "ja"
        else "[Tsudoi] You're going to “メールで届く相談会”"
    )
    assert (confirmation.kind, confirmation.locale, confirmation.subject) == (
        "rsvp_going",
        locale,
        subject,
    )
    assert join_url in confirmation.text_body and join_url in confirmation.html_body
    calendar = Calendar.from_ical(confirmation.calendar_ics)
    (vevent,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST" and str(vevent["UID"]) == uid
    assert str(vevent["ATTENDEE"]) == f"mailto:{going.email}"
    (waitlisted,) = _mails(waiting)
    assert waitlisted.kind == "rsvp_waitlisted" and waitlisted.locale == locale
    assert join_url not in waitlisted.text_body + waitlisted.html_body + waitlisted.calendar_ics
    for page in (going_page, waiting_page):
        page.context.close()

    _read_in_the_mailbox(browser, app, going, subject, join_url)
