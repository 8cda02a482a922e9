"""The member's inbox: notifications newest first, each opening its page and marked read."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from community_app.domain.errors import DomainError, PermissionDenied
from community_app.domain.notifications import NotificationView
from community_app.i18n import format_datetime
from community_app.ui import inbox_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.forms import FormMixin, form_error
from community_app.ui.components.layout import layout
from community_app.ui.locale import pick, tr
from community_app.ui.policy import Access, handler

ROUTE = "/notifications"


@dataclasses.dataclass(frozen=True)
class NotificationItem:
    id: int
    message_ja: str
    message_en: str
    when_ja: str
    when_en: str
    is_read: bool
    link: str


def _item(view: NotificationView, timezone: str) -> NotificationItem:
    return NotificationItem(
        id=view.id,
        message_ja=view.message,
        message_en=view.message_en or view.message,
        when_ja=format_datetime(view.created_at, timezone, "ja"),
        when_en=format_datetime(view.created_at, timezone, "en"),
        is_read=view.is_read,
        link=view.link,
    )


class NotificationsState(FormMixin, rx.State):
    items: list[NotificationItem] = []
    loaded: bool = False
    has_more: bool = False
    all_read_notice: bool = False
    _timezone: str = "Asia/Tokyo"

    async def _auth(self) -> AuthState:
        return await self.get_state(AuthState)

    async def _fetch(self, before_id: int | None = None) -> inbox_actions.Inbox | None:
        self._clear_error()
        auth = await self._auth()
        try:
            return await asyncio.to_thread(
                inbox_actions.inbox, token=auth.session_token, before_id=before_id
            )
        except PermissionDenied:  # a visitor: the page asks them to log in
            self.items, self.has_more = [], False
        except DomainError as error:
            self._show_error(error)
        return None

    def _show(self, inbox: inbox_actions.Inbox, *, append: bool) -> None:
        self._timezone = inbox.timezone
        items = [_item(view, inbox.timezone) for view in inbox.items]
        self.items = [*self.items, *items] if append else items
        self.has_more = inbox.has_more

    @handler(Access.SIGNED_IN)
    async def load(self) -> None:
        self.all_read_notice = False
        inbox = await self._fetch()
        if inbox is not None:
            self._show(inbox, append=False)
            (await self._auth()).unread_count = inbox.unread
        self.loaded = True

    @handler(Access.SIGNED_IN)
    async def load_more(self) -> None:
        if not self.items:
            return
        inbox = await self._fetch(before_id=self.items[-1].id)
        if inbox is not None:
            self._show(inbox, append=True)

    @handler(Access.SIGNED_IN)
    async def mark_read(self, notification_id: int) -> None:
        """Marks one of the member's own notifications read (its link, if any, is a
        plain link the browser follows)."""
        self._clear_error()
        auth = await self._auth()
        try:
            view = await asyncio.to_thread(
                inbox_actions.mark_read, token=auth.session_token, notification_id=notification_id
            )
        except DomainError as error:
            self._show_error(error)
            return
        self.items = [
            _item(view, self._timezone) if item.id == view.id else item for item in self.items
        ]
        auth.unread_count = await asyncio.to_thread(
            inbox_actions.unread_count, token=auth.session_token
        )

    @handler(Access.SIGNED_IN)
    async def mark_all_read(self) -> None:
        self._clear_error()
        auth = await self._auth()
        try:
            await asyncio.to_thread(inbox_actions.mark_all_read, token=auth.session_token)
        except DomainError as error:
            self._show_error(error)
            return
        self.items = [dataclasses.replace(item, is_read=True) for item in self.items]
        auth.unread_count = 0
        self.all_read_notice = True


def _message(item: rx.Var[NotificationItem]) -> rx.Component:
    text = rx.text(
        pick(item.message_ja, item.message_en), weight=rx.cond(item.is_read, "regular", "bold")
    )
    return rx.cond(
        item.link != "",
        rx.link(
            text,
            href=item.link,
            on_click=NotificationsState.mark_read(item.id),
            class_name="notification-link",
        ),
        text,
    )


def _notification(item: rx.Var[NotificationItem]) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                _message(item),
                rx.text(pick(item.when_ja, item.when_en), size="1", color=rx.color("gray", 10)),
                spacing="1",
                align="start",
            ),
            rx.spacer(),
            rx.cond(
                item.is_read,
                rx.fragment(),
                rx.hstack(
                    rx.badge(tr("notifications.unread"), color_scheme="orange"),
                    rx.cond(
                        item.link == "",
                        rx.button(
                            tr("notifications.mark_one"),
                            size="1",
                            variant="ghost",
                            on_click=NotificationsState.mark_read(item.id),
                        ),
                    ),
                    spacing="2",
                    align="center",
                ),
            ),
            align="center",
            width="100%",
        ),
        width="100%",
        class_name=rx.cond(item.is_read, "notification read", "notification unread"),
        background_color=rx.cond(item.is_read, rx.color("gray", 1), rx.color("orange", 2)),
        border_left=rx.cond(item.is_read, "none", f"4px solid {rx.color('orange', 9)}"),
    )


def _inbox() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(tr("notifications.title"), as_="h1", size="7"),
            rx.spacer(),
            rx.cond(
                AuthState.unread_count > 0,
                rx.button(
                    tr("notifications.mark_all"),
                    on_click=NotificationsState.mark_all_read,
                    variant="soft",
                    id="mark-all-read",
                ),
            ),
            width="100%",
            align="center",
        ),
        rx.text(tr("notifications.lead"), color=rx.color("gray", 11)),
        form_error(NotificationsState.error_ja, NotificationsState.error_en),
        rx.cond(
            NotificationsState.all_read_notice,
            rx.callout(tr("notifications.all_read"), icon="check", color_scheme="green"),
        ),
        rx.cond(
            NotificationsState.loaded & (NotificationsState.items.length() == 0),
            rx.text(tr("notifications.empty"), id="notifications-empty"),
        ),
        rx.vstack(
            rx.foreach(NotificationsState.items, _notification),
            spacing="2",
            width="100%",
            id="notifications",
        ),
        rx.cond(
            NotificationsState.has_more,
            rx.button(
                tr("notifications.more"), on_click=NotificationsState.load_more, variant="outline"
            ),
        ),
        spacing="4",
        width="100%",
    )


def notifications_page() -> rx.Component:
    return layout(
        rx.cond(
            AuthState.signed_in,
            _inbox(),
            rx.callout(
                rx.link(tr("notifications.login"), href="/login?next=/notifications"),
                icon="log_in",
                color_scheme="gray",
                id="notifications-login",
            ),
        )
    )
