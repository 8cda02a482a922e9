"""Forgot your password: ask for a link by address, then choose a new password.

The token stays in the URL only: the reset page reads it from the router when it
loads (to say at once whether the link still works) and again when the form is sent;
it is never copied into a state var.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app.domain.errors import DomainError
from community_app.ui import account_mail_actions
from community_app.ui.auth import client_ip
from community_app.ui.components.forms import (
    FormMixin,
    field,
    form_card,
    form_error,
    submit_button,
    text_value,
)
from community_app.ui.components.layout import layout
from community_app.ui.credential_pool import run_credential_work
from community_app.ui.locale import pick, tr
from community_app.ui.policy import Access, handler

FORGOT_ROUTE = "/forgot-password"
RESET_ROUTE = "/reset-password"


def url_token(state: rx.State) -> str:
    """The ``token`` of the page's address ("" when absent)."""
    return state.router.url.query_parameters.get("token", "")


class ForgotPasswordState(FormMixin, rx.State):
    _error_fields = {"invalid_email": "email"}
    sent: bool = False

    @handler(Access.PUBLIC)
    def load(self) -> None:
        self.sent = False
        self._clear_error()

    @handler(Access.PUBLIC)
    async def submit(self, form_data: dict[str, object]):  # type: ignore[no-untyped-def]
        self._clear_error()
        self.busy = True
        yield
        try:
            await asyncio.to_thread(
                account_mail_actions.request_password_reset,
                email=text_value(form_data, "email"),
                ip=client_ip(self),
            )
        except DomainError as error:
            self._show_error(error)
        else:
            self.sent = True
        self.busy = False


class ResetPasswordState(FormMixin, rx.State):
    """``status``: "checking" until the link is read, then "ready" or "failed"."""

    _error_fields = {
        "password_too_short": "new_password",
        "password_too_long": "new_password",
        "invalid_password": "new_password",
    }
    status: str = "checking"

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        self._clear_error()
        self.status = "checking"
        try:
            await asyncio.to_thread(account_mail_actions.check_reset_link, url_token(self))
        except DomainError as error:
            self._show_error(error)
            self.status = "failed"
            return
        self.status = "ready"

    @handler(Access.PUBLIC)
    async def submit(self, form_data: dict[str, object]):  # type: ignore[no-untyped-def]
        """Set the password; every login of the member ends and they log in again (the
        login cookie is the log-in page's business)."""
        self._clear_error()
        self.busy = True
        yield
        try:
            await run_credential_work(
                account_mail_actions.reset_password,
                token=url_token(self),
                new_password=text_value(form_data, "new_password"),
                ip=client_ip(self),
            )
        except DomainError as error:
            self._show_error(error)
            if not self.error_field:  # the link itself failed (used, expired meanwhile)
                self.status = "failed"
            self.busy = False
            yield self._focus_error()
            return
        self.busy = False
        yield rx.redirect("/login?reset=done")


def forgot_password_page() -> rx.Component:
    return layout(
        form_card(
            "forgot.title",
            rx.cond(
                ForgotPasswordState.sent,
                rx.callout(
                    tr("forgot.sent"),
                    icon="mail",
                    color_scheme="green",
                    role="status",
                    id="forgot-sent",
                ),
                rx.vstack(
                    rx.text(tr("forgot.lead")),
                    form_error(
                        ForgotPasswordState.error_ja,
                        ForgotPasswordState.error_en,
                        ForgotPasswordState.error_field,
                    ),
                    rx.form(
                        rx.vstack(
                            field(
                                "auth.email",
                                "email",
                                type_="email",
                                autocomplete="username",
                                max_length=254,
                                state=ForgotPasswordState,
                            ),
                            submit_button("forgot.submit", ForgotPasswordState.busy),
                            spacing="3",
                        ),
                        on_submit=ForgotPasswordState.submit,
                        id="forgot-form",
                    ),
                    spacing="3",
                ),
            ),
            rx.link(tr("auth.login"), href="/login", size="2"),
        )
    )


def link_failed(state: type[FormMixin], again_key: str, again_href: str) -> rx.Component:
    """The page of an unusable link: why, in the reader's language, and what to do."""
    return rx.vstack(
        rx.callout(
            pick(state.error_ja, state.error_en),
            icon="triangle_alert",
            color_scheme="red",
            role="alert",
            id="link-error",
        ),
        rx.link(tr(again_key), href=again_href, id="link-again"),
        spacing="3",
    )


def _reset_form() -> rx.Component:
    return rx.vstack(
        form_error(
            ResetPasswordState.error_ja, ResetPasswordState.error_en, ResetPasswordState.error_field
        ),
        rx.form(
            rx.vstack(
                field(
                    "auth.password_new",
                    "new_password",
                    type_="password",
                    autocomplete="new-password",
                    max_length=1000,
                    state=ResetPasswordState,
                ),
                rx.text(tr("auth.password_hint"), size="1", color=rx.color("gray", 10)),
                rx.text(tr("reset.logout_note"), size="2"),
                submit_button("reset.submit", ResetPasswordState.busy),
                spacing="3",
            ),
            on_submit=ResetPasswordState.submit,
            id="reset-form",
        ),
        spacing="3",
    )


def reset_password_page() -> rx.Component:
    return layout(
        form_card(
            "reset.title",
            rx.match(
                ResetPasswordState.status,
                ("ready", _reset_form()),
                ("failed", link_failed(ResetPasswordState, "reset.request_again", FORGOT_ROUTE)),
                rx.text(tr("reset.checking"), role="status"),
            ),
        )
    )
