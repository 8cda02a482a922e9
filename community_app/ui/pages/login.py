"""Log in and sign up."""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app.domain.errors import DomainError
from community_app.domain.urls import safe_next_path
from community_app.ui import account_actions
from community_app.ui.auth import AuthState, client_ip, user_agent
from community_app.ui.components.forms import (
    FormMixin,
    field,
    form_card,
    form_error,
    submit_button,
    text_value,
)
from community_app.ui.components.layout import layout
from community_app.ui.locale import LocaleState, tr
from community_app.ui.policy import Access, handler


class _SignInForm(FormMixin, mixin=True):
    """Shared by log-in and sign-up: run the action, hand the login over to the cookie
    (the raw token never enters a state var), go to ``next``."""

    async def _sign_in(self, action, **fields: str):  # type: ignore[no-untyped-def]
        self._clear_error()
        self.busy = True
        yield
        try:
            _member, token = await asyncio.to_thread(
                action, **fields, ip=client_ip(self), user_agent=user_agent(self)
            )
        except DomainError as error:
            self._show_error(error)
            self.busy = False
            yield self._focus_error()
            return
        self.busy = False
        auth = await self.get_state(AuthState)
        next_path = safe_next_path(self.router.url.query_parameters.get("next"))
        yield await auth._hand_over(token, next_path)


class LoginState(_SignInForm, rx.State):
    @handler(Access.PUBLIC)
    async def submit(self, form_data: dict[str, object]):  # type: ignore[no-untyped-def]
        fields = {name: text_value(form_data, name) for name in ("email", "password")}
        async for update in self._sign_in(account_actions.log_in, **fields):
            yield update


class SignupState(_SignInForm, rx.State):
    _error_fields = {
        "invalid_email": "email",
        "email_taken": "email",
        "invalid_display_name": "display_name",
        "password_too_short": "password",
        "password_too_long": "password",
        "invalid_password": "password",
    }

    @handler(Access.PUBLIC)
    async def submit(self, form_data: dict[str, object]):  # type: ignore[no-untyped-def]
        names = ("email", "display_name", "password")
        fields = {name: text_value(form_data, name) for name in names}
        # The language in use ("" before the first page load has settled it).
        fields["locale"] = (await self.get_state(LocaleState)).locale or None
        async for update in self._sign_in(account_actions.sign_up, **fields):
            yield update


def login_page() -> rx.Component:
    return layout(
        form_card(
            "auth.login_title",
            form_error(LoginState.error_ja, LoginState.error_en),
            rx.form(
                rx.vstack(
                    field(
                        "auth.email",
                        "email",
                        type_="email",
                        autocomplete="username",
                        max_length=254,
                    ),
                    field(
                        "auth.password",
                        "password",
                        type_="password",
                        autocomplete="current-password",
                        max_length=1000,
                    ),
                    submit_button("auth.login", LoginState.busy),
                    spacing="3",
                ),
                on_submit=LoginState.submit,
                id="login-form",
            ),
            rx.link(tr("auth.no_account"), href="/signup", size="2"),
        )
    )


def signup_page() -> rx.Component:
    return layout(
        form_card(
            "auth.signup_title",
            form_error(SignupState.error_ja, SignupState.error_en, SignupState.error_field),
            rx.form(
                rx.vstack(
                    field(
                        "auth.email",
                        "email",
                        type_="email",
                        autocomplete="email",
                        max_length=254,
                        state=SignupState,
                    ),
                    field(
                        "auth.display_name",
                        "display_name",
                        autocomplete="nickname",
                        max_length=80,
                        state=SignupState,
                    ),
                    field(
                        "auth.password_new",
                        "password",
                        type_="password",
                        autocomplete="new-password",
                        max_length=1000,
                        state=SignupState,
                    ),
                    rx.text(tr("auth.password_hint"), size="1", color=rx.color("gray", 10)),
                    submit_button("auth.signup", SignupState.busy),
                    spacing="3",
                ),
                on_submit=SignupState.submit,
                id="signup-form",
            ),
            rx.link(tr("auth.have_account"), href="/login", size="2"),
        )
    )
