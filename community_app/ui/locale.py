"""The UI language and the ``tr`` helper.

A member's language is their account setting (the header's switch changes it); a visitor's
is kept in the browser, and until they choose, it is the first of ours that the browser's
``Accept-Language`` asks for (``AuthState.refresh`` decides on each page load).
"""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app.i18n import LOCALES, translate
from community_app.ui import account_actions
from community_app.ui.policy import Access, handler


class LocaleState(rx.State):
    """UI language, in localStorage ("" until chosen or negotiated: shown as Japanese)."""

    locale: str = rx.LocalStorage("", name="tsudoi_locale", sync=True)

    @handler(Access.PUBLIC)
    async def toggle_locale(self) -> None:
        await self._switch("ja" if self.locale == "en" else "en")

    @handler(Access.PUBLIC)
    async def set_locale(self, locale: str) -> None:
        if locale in LOCALES:
            await self._switch(locale)

    async def _switch(self, locale: str) -> None:
        self.locale = locale
        from community_app.ui.auth import AuthState  # auth.py imports this module

        auth = await self.get_state(AuthState)
        if auth.session_token:
            await asyncio.to_thread(
                account_actions.save_locale, token=auth.session_token, locale=locale
            )


def is_english() -> rx.Var[bool]:
    return LocaleState.locale == "en"


def tr(key: str) -> rx.Var[str]:
    """The message for ``key`` in the visitor's language (both languages ship in the page)."""
    return rx.cond(is_english(), translate(key, "en"), translate(key, "ja"))


def pick(ja: rx.Var[str] | str, en: rx.Var[str] | str) -> rx.Var[str]:
    """Choose between a Japanese and an English value of the same thing."""
    return rx.cond(is_english(), en, ja)
