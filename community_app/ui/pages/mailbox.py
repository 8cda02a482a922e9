"""The admin mailbox (/admin/mail): every mail the site wrote, its status and errors,
each opened with both parts (links clickable; the HTML part in a sandboxed frame that
runs no script), and the "send a test mail" form."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from community_app.domain.errors import DomainError, PermissionDenied
from community_app.domain.mailbox import MailDetail, MailSummary
from community_app.i18n import format_datetime, translate
from community_app.ui import mail_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.forms import FormMixin, text_value
from community_app.ui.policy import Access, handler

ROUTE = "/admin/mail"
# Links in the HTML part open in a new tab; the frame may open them, nothing else.
SANDBOX = "allow-popups allow-popups-to-escape-sandbox"
BASE_TARGET = '<base target="_blank">'


@dataclasses.dataclass(frozen=True)
class MailRowView:
    id: int
    recipient: str
    subject: str
    kind: str
    status: str
    status_ja: str
    status_en: str
    when_ja: str
    when_en: str
    attempts: int
    error: str


@dataclasses.dataclass(frozen=True)
class Segment:
    text: str
    is_link: bool


EMPTY_ROW = MailRowView(0, "", "", "", "", "", "", "", "", 0, "")


def _status(status: str, locale: str) -> str:
    return translate(f"mail.status.{status}", locale)


def _row(mail: MailSummary, timezone: str) -> MailRowView:
    return MailRowView(
        id=mail.mail_id,
        recipient=mail.to_address,
        subject=mail.subject,
        kind=mail.kind,
        status=mail.status.value,
        status_ja=_status(mail.status.value, "ja"),
        status_en=_status(mail.status.value, "en"),
        when_ja=format_datetime(mail.created_at, timezone, "ja"),
        when_en=format_datetime(mail.created_at, timezone, "en"),
        attempts=mail.attempts,
        error=mail.last_error,
    )


def _framed(html: str) -> str:
    """The HTML part for ``srcdoc``, with links opening outside the frame."""
    head = html.find("<head>")
    if head == -1:
        return BASE_TARGET + html
    return html[: head + 6] + BASE_TARGET + html[head + 6 :]


class MailboxState(FormMixin, rx.State):
    allowed: bool = False
    loaded: bool = False
    sending: bool = False
    rows: list[MailRowView] = []
    page: int = 1
    has_next: bool = False
    total: int = 0
    test_queued: bool = False
    # The open mail (0: none)
    open_id: int = 0
    open_row: MailRowView = EMPTY_ROW
    open_to_name: str = ""
    open_html: str = ""
    open_text: list[Segment] = []
    open_calendar: str = ""
    open_unsubscribe: str = ""

    async def _token(self) -> str:
        return (await self.get_state(AuthState)).session_token

    async def _query(self) -> None:
        try:
            data = await asyncio.to_thread(
                mail_actions.load_mailbox, token=await self._token(), page=self.page
            )
        except PermissionDenied:
            self.allowed, self.rows, self.total = False, [], 0
            return
        finally:
            self.loaded = True
        self.allowed, self.sending = True, data.sending
        self.rows = [_row(mail, data.timezone) for mail in data.page.mails]
        self.page, self.has_next, self.total = data.page.page, data.page.has_next, data.page.total

    @handler(Access.ADMIN)
    async def load(self) -> None:
        self.page, self.open_id, self.test_queued = 1, 0, False
        self._clear_error()
        await self._query()

    @handler(Access.ADMIN)
    async def refresh(self) -> None:
        await self._query()

    @handler(Access.ADMIN)
    async def next_page(self) -> None:
        if self.has_next:
            self.page += 1
            await self._query()

    @handler(Access.ADMIN)
    async def previous_page(self) -> None:
        self.page = max(self.page - 1, 1)
        await self._query()

    @handler(Access.ADMIN)
    async def open_mail(self, mail_id: int) -> None:
        self._clear_error()
        try:
            detail, timezone = await asyncio.to_thread(
                mail_actions.open_mail, token=await self._token(), mail_id=mail_id
            )
        except DomainError as error:
            self._show_error(error)
            return
        self._show(detail, timezone)

    def _show(self, detail: MailDetail, timezone: str) -> None:
        self.open_id = detail.summary.mail_id
        self.open_row = _row(detail.summary, timezone)
        self.open_to_name = detail.to_name
        self.open_html = _framed(detail.html_body)
        self.open_text = [
            Segment(text, is_link) for text, is_link in mail_actions.text_segments(detail.text_body)
        ]
        self.open_calendar = detail.calendar_ics
        self.open_unsubscribe = detail.list_unsubscribe_url

    @handler(Access.ADMIN)
    async def close_mail(self) -> None:
        self.open_id, self.open_row, self.open_html, self.open_text = 0, EMPTY_ROW, "", []
        await self._query()

    @handler(Access.ADMIN)
    async def send_test(self, form_data: dict[str, object]) -> None:
        self._clear_error()
        self.test_queued = False
        try:
            await asyncio.to_thread(
                mail_actions.send_test_mail,
                token=await self._token(),
                to=text_value(form_data, "to"),
            )
        except DomainError as error:
            self._show_error(error)
            return
        self.test_queued = True
        self.page = 1
        await self._query()
