"""The pages the verification and change-of-address links open: they act when the page
loads (a mail scanner that fetches the link without running the page changes nothing)
and say what happened, or why the link does not work, in the reader's language."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import reflex as rx

from community_app.domain.errors import DomainError
from community_app.ui import account_mail_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.forms import FormMixin, form_card
from community_app.ui.components.layout import layout
from community_app.ui.locale import tr
from community_app.ui.pages.password_reset import link_failed, url_token
from community_app.ui.policy import Access, handler

VERIFY_ROUTE = "/verify-email"
CONFIRM_ROUTE = "/confirm-email"


class _LinkPage(FormMixin, mixin=True):
    """``status``: "checking", then "done" or "failed" (with the error's message)."""

    status: str = "checking"

    async def _open(self, action: Callable[[str], None]) -> None:
        self._clear_error()
        self.status = "checking"
        try:
            await asyncio.to_thread(action, url_token(self))
        except DomainError as error:
            self._show_error(error)
            self.status = "failed"
            return
        self.status = "done"


class VerifyEmailState(_LinkPage, rx.State):
    @handler(Access.PUBLIC)
    async def load(self) -> None:
        await self._open(account_mail_actions.verify_email)
        if self.status == "done":  # the banner goes at once
            (await self.get_state(AuthState)).unverified = False


class ConfirmEmailState(_LinkPage, rx.State):
    @handler(Access.PUBLIC)
    async def load(self) -> None:
        await self._open(account_mail_actions.confirm_email_change)


def _next_steps() -> rx.Component:
    return rx.cond(
        AuthState.signed_in,
        rx.link(tr("links.go_account"), href="/account", id="link-next"),
        rx.link(tr("auth.login"), href="/login", id="link-next"),
    )


def _link_page(title_key: str, state: type[_LinkPage], done_key: str) -> rx.Component:
    return layout(
        form_card(
            title_key,
            rx.match(
                state.status,
                (
                    "done",
                    rx.vstack(
                        rx.callout(
                            tr(done_key), icon="check", color_scheme="green", id="link-done"
                        ),
                        _next_steps(),
                        spacing="3",
                    ),
                ),
                ("failed", link_failed(state, "links.go_account", "/account")),
                rx.text(tr("reset.checking"), role="status"),
            ),
        )
    )


def verify_email_page() -> rx.Component:
    return _link_page("verify.title", VerifyEmailState, "verify.done")


def confirm_email_page() -> rx.Component:
    return _link_page("confirm_email.title", ConfirmEmailState, "confirm_email.done")
