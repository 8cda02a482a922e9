"""The visitor's UI language, kept in the browser, and the ``tr`` helper."""

from __future__ import annotations

import reflex as rx

from community_app.i18n import LOCALES, translate
from community_app.i18n.accept_language import preferred_locale
from community_app.ui.policy import Access, handler


class LocaleState(rx.State):
    """UI language. Lives in localStorage: a member's saved preference on logging in,
    the header's switch once used, else the browser's Accept-Language."""

    locale: str = rx.LocalStorage("ja", name="tsudoi_locale", sync=True)
    # Non-empty once the visitor has used the switch: the browser's wish no longer counts.
    chosen: str = rx.LocalStorage("", name="tsudoi_locale_chosen", sync=True)

    @handler(Access.PUBLIC)
    def toggle_locale(self) -> None:
        self.locale = "en" if self.locale == "ja" else "ja"
        self.chosen = "yes"

    @handler(Access.PUBLIC)
    def set_locale(self, locale: str) -> None:
        if locale in LOCALES:
            self.locale = locale
            self.chosen = "yes"

    def _follow_browser(self) -> None:
        """A visitor who never used the switch gets the language the browser asks for."""
        if self.chosen:
            return
        wanted = preferred_locale(str(self.router.headers.accept_language or ""))
        if wanted is not None and wanted != self.locale:
            self.locale = wanted


def is_english() -> rx.Var[bool]:
    return LocaleState.locale == "en"


def tr(key: str) -> rx.Var[str]:
    """The message for ``key`` in the visitor's language (both languages ship in the page)."""
    return rx.cond(is_english(), translate(key, "en"), translate(key, "ja"))


def pick(ja: rx.Var[str] | str, en: rx.Var[str] | str) -> rx.Var[str]:
    """Choose between a Japanese and an English value of the same thing."""
    return rx.cond(is_english(), en, ja)
