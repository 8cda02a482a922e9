"""The member's own account: profile, language, time zone, password, log out."""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app.domain.errors import DomainError
from community_app.ui import account_actions
from community_app.ui.auth import AuthState, current_member, user_agent
from community_app.ui.components.forms import (
    COMMON_TIMEZONES,
    FormMixin,
    field,
    form_card,
    form_error,
    native_select,
    submit_button,
    text_value,
)
from community_app.ui.components.layout import layout
from community_app.ui.locale import tr
from community_app.ui.policy import Access, handler

# The query the page comes back with after a password change (a new login, a reload).
PASSWORD_CHANGED = "password=changed"


class AccountState(FormMixin, rx.State):
    display_name: str = ""
    locale: str = "ja"
    timezone: str = "Asia/Tokyo"
    saved: bool = False

    @handler(Access.SIGNED_IN)
    async def load(self):  # type: ignore[no-untyped-def]
        member = await current_member(self)
        if member is None:
            return rx.redirect("/login?next=/account")
        self.display_name, self.locale, self.timezone = (
            member.display_name,
            member.locale,
            member.timezone,
        )
        self.saved = False
        self._clear_error()
        password = await self.get_state(PasswordState)
        password.changed = self.router.url.query_parameters.get("password") == "changed"
        return None

    @handler(Access.SIGNED_IN)
    async def save_profile(self, form_data: dict[str, object]) -> None:
        self._clear_error()
        auth = await self.get_state(AuthState)
        try:
            member = await asyncio.to_thread(
                account_actions.save_profile,
                token=auth.session_token,
                display_name=text_value(form_data, "display_name"),
                locale=text_value(form_data, "locale"),
                timezone=text_value(form_data, "timezone"),
            )
        except DomainError as error:
            self._show_error(error)
            return
        await auth._apply(member)
        self.display_name, self.locale, self.timezone = (
            member.display_name,
            member.locale,
            member.timezone,
        )
        self.saved = True


class PasswordState(FormMixin, rx.State):
    _error_fields = {
        "wrong_password": "current_password",
        "password_too_short": "new_password",
        "password_too_long": "new_password",
        "invalid_password": "new_password",
    }
    changed: bool = False

    @handler(Access.SIGNED_IN)
    async def change(self, form_data: dict[str, object]):  # type: ignore[no-untyped-def]
        self._clear_error()
        self.changed = False
        auth = await self.get_state(AuthState)
        try:
            token = await asyncio.to_thread(
                account_actions.change_password,
                token=auth.session_token,
                current_password=text_value(form_data, "current_password"),
                new_password=text_value(form_data, "new_password"),
                user_agent=user_agent(self),
            )
        except DomainError as error:
            self._show_error(error)
            yield self._focus_error()
            return
        # Every login was revoked: the browser gets the new one as a cookie, and the
        # page comes back saying so.
        yield await auth._hand_over(token, f"/account?{PASSWORD_CHANGED}")


def _profile_form() -> rx.Component:
    return form_card(
        "account.profile_title",
        form_error(AccountState.error_ja, AccountState.error_en),
        rx.cond(
            AccountState.saved, rx.callout(tr("account.saved"), icon="check", color_scheme="green")
        ),
        rx.form(
            rx.vstack(
                rx.input(
                    id="display_name",
                    name="display_name",
                    default_value=AccountState.display_name,
                    key=AccountState.display_name,
                    max_length=80,
                    required=True,
                    size="3",
                    width="100%",
                    aria_label=tr("auth.display_name"),
                ),
                native_select(
                    "account.language",
                    "locale",
                    [("ja", "language.ja"), ("en", "language.en")],
                    AccountState.locale,
                ),
                native_select(
                    "account.timezone",
                    "timezone",
                    [(tz, tz) for tz in COMMON_TIMEZONES],
                    AccountState.timezone,
                    translated=False,
                ),
                submit_button("account.save", AccountState.busy),
                spacing="3",
            ),
            on_submit=AccountState.save_profile,
            id="profile-form",
        ),
    )


def _password_form() -> rx.Component:
    return form_card(
        "account.password_title",
        form_error(PasswordState.error_ja, PasswordState.error_en, PasswordState.error_field),
        rx.cond(
            PasswordState.changed,
            rx.callout(tr("account.password_changed"), icon="check", color_scheme="green"),
        ),
        rx.form(
            rx.vstack(
                field(
                    "account.current_password",
                    "current_password",
                    type_="password",
                    autocomplete="current-password",
                    max_length=1000,
                    state=PasswordState,
                ),
                field(
                    "auth.password_new",
                    "new_password",
                    type_="password",
                    autocomplete="new-password",
                    max_length=1000,
                    state=PasswordState,
                ),
                rx.text(tr("auth.password_hint"), size="1", color=rx.color("gray", 10)),
                submit_button("account.change_password", PasswordState.busy),
                spacing="3",
            ),
            on_submit=PasswordState.change,
            reset_on_submit=True,
            id="password-form",
        ),
    )


def account_page() -> rx.Component:
    return layout(
        rx.vstack(
            _profile_form(),
            rx.link(tr("account.my_calendar"), href="/calendar", id="my-calendar-link"),
            _password_form(),
            rx.button(
                tr("auth.logout"), on_click=AuthState.log_out, variant="outline", id="logout-button"
            ),
            spacing="5",
            align="center",
            width="100%",
        )
    )
