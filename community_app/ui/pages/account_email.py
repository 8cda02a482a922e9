"""The account page's e-mail section: the address and whether it is confirmed, the
confirmation mail again, and the change of address (by a link mailed to the new
address; the current password is asked for). A refused address is shown by the mail
settings (``account_mail``)."""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app.domain.errors import DomainError
from community_app.ui import account_mail_actions
from community_app.ui.auth import AuthState, client_ip
from community_app.ui.components.forms import (
    FormMixin,
    field,
    form_card,
    form_error,
    submit_button,
    text_value,
)
from community_app.ui.credential_pool import run_credential_work
from community_app.ui.locale import tr
from community_app.ui.policy import Access, handler


class EmailState(FormMixin, rx.State):
    # The member's own address, shown on their own account page only.
    email: str = ""
    verified: bool = True
    resent: bool = False
    change_sent: bool = False
    _error_fields = {
        "wrong_password": "email_current_password",
        "invalid_email": "new_email",
        "email_unchanged": "new_email",
    }

    async def _token(self) -> str:
        return (await self.get_state(AuthState)).session_token

    @handler(Access.SIGNED_IN)
    async def load(self) -> None:
        self._clear_error()
        self.resent = self.change_sent = False
        try:
            status = await asyncio.to_thread(
                account_mail_actions.address_status, token=await self._token()
            )
        except DomainError:
            self.email, self.verified = "", True
            return
        # A refused address is shown by the mail settings below (account_mail.py).
        self.email, self.verified = status.email, status.verified

    @handler(Access.SIGNED_IN)
    async def resend(self) -> None:
        self._clear_error()
        try:
            await asyncio.to_thread(
                account_mail_actions.resend_verification, token=await self._token()
            )
        except DomainError as error:
            self._show_error(error)
            return
        self.resent = True

    @handler(Access.SIGNED_IN)
    async def change(self, form_data: dict[str, object]):  # type: ignore[no-untyped-def]
        self._clear_error()
        self.change_sent = False
        self.busy = True
        yield
        try:
            await run_credential_work(
                account_mail_actions.request_email_change,
                token=await self._token(),
                new_email=text_value(form_data, "new_email"),
                current_password=text_value(form_data, "email_current_password"),
                ip=client_ip(self),
            )
        except DomainError as error:
            self._show_error(error)
            self.busy = False
            yield self._focus_error()
            return
        self.busy, self.change_sent = False, True


def _status() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(EmailState.email, id="current-email", weight="medium"),
            rx.cond(
                EmailState.verified,
                rx.badge(tr("email.verified"), color_scheme="green", id="email-verified"),
                rx.badge(tr("email.unverified"), color_scheme="amber", id="email-unverified"),
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        rx.cond(
            ~EmailState.verified,
            rx.vstack(
                rx.text(tr("email.unverified_help"), size="2"),
                rx.cond(
                    EmailState.resent,
                    rx.callout(tr("email.resent"), icon="check", color_scheme="green"),
                    rx.button(
                        tr("email.resend"),
                        on_click=EmailState.resend,
                        variant="outline",
                        id="resend-verification",
                    ),
                ),
                spacing="2",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _change_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            field(
                "email.new_address",
                "new_email",
                type_="email",
                autocomplete="email",
                max_length=254,
                state=EmailState,
            ),
            field(
                "account.current_password",
                "email_current_password",
                type_="password",
                autocomplete="current-password",
                max_length=1000,
                state=EmailState,
            ),
            submit_button("email.change", EmailState.busy),
            spacing="3",
        ),
        on_submit=EmailState.change,
        reset_on_submit=True,
        id="email-form",
    )


def email_section() -> rx.Component:
    return rx.box(
        form_card(
            "email.title",
            _status(),
            form_error(EmailState.error_ja, EmailState.error_en, EmailState.error_field),
            rx.cond(
                EmailState.change_sent,
                rx.callout(
                    tr("email.change_sent"),
                    icon="mail",
                    color_scheme="green",
                    id="email-change-sent",
                ),
            ),
            _change_form(),
        ),
        id="email-section",
        width="100%",
    )
