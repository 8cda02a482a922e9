"""「マイカレンダー」 (/calendar): the member's personal feed of the events they are going
to, waitlisted for or awaiting approval for.

The feed URL holds a secret token: it is shown once, right after it is made (only in
the browser of the member who made it), and never again; the page otherwise shows when
the token was made and last used, and offers to rotate or revoke it.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

import reflex as rx
from reflex.experimental.client_state import ClientStateVar

from community_app.domain import feed_tokens
from community_app.domain.calendar_links import personal_feed_path, webcal_url
from community_app.domain.errors import DomainError
from community_app.domain.feed_tokens import FeedTokenView, IssuedFeedToken
from community_app.i18n import format_datetime
from community_app.settings import get_settings
from community_app.ui import calendar_actions, group_actions
from community_app.ui.auth import AuthState, current_member
from community_app.ui.components.calendar_links import subscribe_box
from community_app.ui.components.forms import FormMixin, form_error
from community_app.ui.components.layout import layout
from community_app.ui.locale import pick, tr
from community_app.ui.policy import Access, handler

ROUTE = "/calendar"
# The new feed URL lives only in the page of the member who made it (React state, pushed
# by the handler): never in a state var, so no stored page state and no later hydrate
# carries it.
NEW_URL = ClientStateVar.create("new_feed_url", default="")
NEW_WEBCAL = ClientStateVar.create("new_feed_webcal", default="")


def _forget_new_url() -> list[rx.event.EventSpec]:
    return [NEW_URL.push(""), NEW_WEBCAL.push("")]


def _when(moment: datetime | None, timezone: str, locale: str) -> str:
    return format_datetime(moment, timezone, locale) if moment else ""


class MyCalendarState(FormMixin, rx.State):
    has_token: bool = False
    created_ja: str = ""
    created_en: str = ""
    used_ja: str = ""
    used_en: str = ""

    async def _token(self) -> str:
        return (await self.get_state(AuthState)).session_token

    def _show(self, view: FeedTokenView | None, timezone: str) -> None:
        self.has_token = view is not None
        self.created_ja = _when(view.created_at if view else None, timezone, "ja")
        self.created_en = _when(view.created_at if view else None, timezone, "en")
        self.used_ja = _when(view.last_used_at if view else None, timezone, "ja")
        self.used_en = _when(view.last_used_at if view else None, timezone, "en")

    @handler(Access.SIGNED_IN)
    async def load(self):  # type: ignore[no-untyped-def]
        self._clear_error()
        member = await current_member(self)
        if member is None:
            return rx.redirect(f"/login?next={ROUTE}")
        view = await asyncio.to_thread(calendar_actions.my_feed_token, token=await self._token())
        self._show(view, member.timezone)
        return _forget_new_url()

    @handler(Access.SIGNED_IN)
    async def issue(self) -> list[rx.event.EventSpec] | None:
        """Make a new feed URL; a previous one stops working at once (rotation)."""
        self._clear_error()
        try:
            issued: IssuedFeedToken = await asyncio.to_thread(
                group_actions.act_as, await self._token(), feed_tokens.issue_feed_token
            )
        except DomainError as error:
            self._show_error(error)
            return None
        member = await current_member(self)
        self._show(issued.view, member.timezone if member else "Asia/Tokyo")
        site, path = get_settings().site_url, personal_feed_path(issued.token)
        return [NEW_URL.push(site + path), NEW_WEBCAL.push(webcal_url(site, path))]

    @handler(Access.SIGNED_IN)
    async def revoke(self) -> list[rx.event.EventSpec]:
        self._clear_error()
        try:
            await asyncio.to_thread(
                group_actions.act_as, await self._token(), feed_tokens.revoke_feed_token
            )
        except DomainError as error:
            self._show_error(error)
            return _forget_new_url()
        self._show(None, "Asia/Tokyo")
        return _forget_new_url()


def _new_url() -> rx.Component:
    return rx.cond(
        NEW_URL.value != "",
        rx.callout(
            rx.vstack(
                rx.text(tr("calendar.token_once"), weight="medium"),
                subscribe_box(NEW_WEBCAL.value, NEW_URL.value, "personal-subscribe"),
                spacing="2",
            ),
            icon="key_round",
            color_scheme="amber",
            width="100%",
        ),
    )


def _status() -> rx.Component:
    return rx.cond(
        MyCalendarState.has_token,
        rx.vstack(
            rx.text(
                tr("calendar.token_created"),
                ": ",
                pick(MyCalendarState.created_ja, MyCalendarState.created_en),
                id="token-created",
            ),
            rx.text(
                tr("calendar.token_last_used"),
                ": ",
                rx.cond(
                    MyCalendarState.used_ja != "",
                    pick(MyCalendarState.used_ja, MyCalendarState.used_en),
                    tr("calendar.token_never_used"),
                ),
                id="token-last-used",
            ),
            rx.hstack(
                rx.button(
                    tr("calendar.rotate"),
                    on_click=MyCalendarState.issue,
                    variant="soft",
                    id="rotate-feed-token",
                ),
                rx.button(
                    tr("calendar.revoke"),
                    on_click=MyCalendarState.revoke,
                    variant="outline",
                    color_scheme="red",
                    id="revoke-feed-token",
                ),
                spacing="2",
            ),
            spacing="2",
        ),
        rx.vstack(
            rx.text(tr("calendar.no_token"), id="no-feed-token"),
            rx.button(
                tr("calendar.create"), on_click=MyCalendarState.issue, id="create-feed-token"
            ),
            spacing="2",
        ),
    )


def my_calendar_page() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading(tr("calendar.my_title"), as_="h1", size="6"),
            rx.text(tr("calendar.my_lead"), color=rx.color("gray", 11)),
            form_error(MyCalendarState.error_ja, MyCalendarState.error_en),
            _new_url(),
            _status(),
            spacing="4",
            align="start",
            width="100%",
            max_width="48em",
            id="my-calendar",
        )
    )
