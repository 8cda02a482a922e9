"""The account page's mail settings: one switch per optional category, and a notice
when the member's address was refused by a mail server (no mail goes to it)."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from community_app.domain.errors import DomainError
from community_app.i18n import translate
from community_app.ui import mail_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.forms import FormMixin, form_card, form_error
from community_app.ui.locale import pick, tr
from community_app.ui.policy import Access, handler


@dataclasses.dataclass(frozen=True)
class MailSwitch:
    category: str
    label_ja: str
    label_en: str
    enabled: bool


class MailSettingsState(FormMixin, rx.State):
    switches: list[MailSwitch] = []
    undeliverable: bool = False
    undeliverable_reason: str = ""
    saved: bool = False

    def _apply(self, settings: mail_actions.MailSettings | None) -> None:
        if settings is None:
            self.switches = []
            return
        self.switches = [
            MailSwitch(
                category.value,
                translate(f"mail.category.{category.value}", "ja"),
                translate(f"mail.category.{category.value}", "en"),
                enabled,
            )
            for category, enabled in settings.switches.items()
        ]
        self.undeliverable = settings.undeliverable_reason is not None
        self.undeliverable_reason = settings.undeliverable_reason or ""

    @handler(Access.SIGNED_IN)
    async def load(self) -> None:
        self.saved = False
        self._clear_error()
        token = (await self.get_state(AuthState)).session_token
        self._apply(await asyncio.to_thread(mail_actions.load_mail_settings, token=token))

    @handler(Access.SIGNED_IN)
    async def set_switch(self, category: str, enabled: bool) -> None:
        self._clear_error()
        self.saved = False
        token = (await self.get_state(AuthState)).session_token
        try:
            settings = await asyncio.to_thread(
                mail_actions.save_mail_switch, token=token, category=category, enabled=enabled
            )
        except DomainError as error:
            self._show_error(error)
            return
        self._apply(settings)
        self.saved = settings is not None


def _switch(item: rx.Var[MailSwitch]) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.switch(
                checked=item.enabled,
                on_change=lambda checked: MailSettingsState.set_switch(item.category, checked),
                id="mail-switch-" + item.category,
                aria_label=pick(item.label_ja, item.label_en),
            ),
            rx.text(pick(item.label_ja, item.label_en), size="2"),
            spacing="2",
            align="center",
        ),
        class_name="mail-switch",
    )


def mail_settings_card() -> rx.Component:
    return form_card(
        "mail.prefs.title",
        rx.cond(
            MailSettingsState.undeliverable,
            rx.callout(
                rx.vstack(
                    rx.text(tr("mail.prefs.undeliverable")),
                    rx.text(
                        tr("mail.prefs.undeliverable_reason"),
                        " ",
                        MailSettingsState.undeliverable_reason,
                        size="1",
                    ),
                ),
                icon="triangle_alert",
                color_scheme="red",
                id="mail-undeliverable",
            ),
        ),
        rx.text(tr("mail.prefs.lead"), size="2"),
        form_error(MailSettingsState.error_ja, MailSettingsState.error_en),
        rx.vstack(rx.foreach(MailSettingsState.switches, _switch), spacing="3", id="mail-settings"),
        rx.text(tr("mail.prefs.account_always"), size="1", color=rx.color("gray", 10)),
        rx.cond(
            MailSettingsState.saved,
            rx.text(tr("mail.prefs.saved"), size="2", color=rx.color("green", 11), role="status"),
        ),
    )
