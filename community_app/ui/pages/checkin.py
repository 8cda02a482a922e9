"""Self check-in: a member who is going types the short code shown at the venue or read
out in the online meeting (``/events/[slug]/checkin``)."""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app.domain.errors import DomainError, NotFound
from community_app.ui import attendee_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.forms import FormMixin, form_error, text_value
from community_app.ui.components.layout import layout
from community_app.ui.locale import tr
from community_app.ui.pages.event import slug_from_path
from community_app.ui.policy import Access, handler

ROUTE = "/events/[slug]/checkin"


class CheckInState(FormMixin, rx.State):
    title: str = ""
    slug: str = ""
    not_found: bool = False
    done: bool = False
    _event_id: int = 0

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        """The event's title (public): nothing else is read until the member submits."""
        self._clear_error()
        self.done, self.not_found, self.title, self.slug, self._event_id = False, False, "", "", 0
        slug = slug_from_path(self.router.url.path, suffix="/checkin")
        try:
            target = await asyncio.to_thread(attendee_actions.checkin_target, slug=slug)
        except NotFound:
            self.not_found = True
            return
        self._event_id, self.title, self.slug = target.event_id, target.title, slug

    @handler(Access.SIGNED_IN)
    async def submit(self, form_data: dict[str, object]) -> None:
        self._clear_error()
        self.busy = True
        token = (await self.get_state(AuthState)).session_token
        try:
            await asyncio.to_thread(
                attendee_actions.self_check_in,
                token=token,
                event_id=self._event_id,
                code=text_value(form_data, "code"),
            )
        except DomainError as error:
            self._show_error(error)
            return
        finally:
            self.busy = False
        self.done = True


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.el.label(tr("checkin.code"), html_for="code", style={"fontWeight": 500}),
            rx.input(
                id="code",
                name="code",
                max_length=32,
                required=True,
                auto_complete="off",
                size="3",
                width="100%",
                style={"letterSpacing": "0.2em", "textTransform": "uppercase"},
            ),
            rx.button(tr("checkin.submit"), type="submit", size="3", loading=CheckInState.busy),
            spacing="2",
            width="100%",
        ),
        on_submit=CheckInState.submit,
        id="checkin-form",
        width="100%",
    )


def _body() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("checkin.title"), as_="h1", size="6"),
            rx.link(CheckInState.title, href="/events/" + CheckInState.slug),
            form_error(CheckInState.error_ja, CheckInState.error_en),
            rx.cond(
                CheckInState.done,
                rx.callout(
                    tr("checkin.done"), icon="circle_check", color_scheme="green", id="checkin-done"
                ),
                rx.cond(
                    AuthState.signed_in,
                    rx.vstack(rx.text(tr("checkin.lead"), size="2"), _form(), width="100%"),
                    rx.link(tr("checkin.login_first"), href="/login"),
                ),
            ),
            spacing="3",
            width="100%",
        ),
        max_width="440px",
        width="100%",
        margin_x="auto",
    )


def checkin_page() -> rx.Component:
    return layout(
        rx.cond(
            CheckInState.not_found,
            rx.callout(tr("attendees.not_found"), icon="triangle_alert", color_scheme="red"),
            _body(),
        )
    )
