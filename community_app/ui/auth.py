"""Who is using this browser: the login cookie and what the page may show about it.

The cookie holds the raw session token the server issued; every privileged handler
resolves it again from the database (``current_member``), so the public vars below
(``signed_in``, ``display_name``, ``is_admin``) only drive what the page shows and
grant nothing.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app.domain.sessions import SESSION_ABSOLUTE_LIFETIME
from community_app.i18n import LOCALES, negotiate_locale
from community_app.settings import get_settings
from community_app.ui import account_actions
from community_app.ui.account_actions import SignedIn
from community_app.ui.locale import LocaleState
from community_app.ui.policy import Access, handler

SESSION_COOKIE = "tsudoi_session"


class AuthState(rx.State):
    session_token: str = rx.Cookie(
        "",
        name=SESSION_COOKIE,
        path="/",
        max_age=int(SESSION_ABSOLUTE_LIFETIME.total_seconds()),
        same_site="lax",
        secure=get_settings().site_url.startswith("https://"),
    )
    signed_in: bool = False
    display_name: str = ""
    is_admin: bool = False
    is_organiser: bool = False
    unread_count: int = 0  # the bell's badge; counted again on every page load
    unverified: bool = False  # signed in with an address not yet confirmed: a banner says so
    _timezone: str = ""  # the member's own zone (account page); "" for a visitor

    async def _apply(self, member: SignedIn | None, token: str | None = None) -> None:
        """Show ``member`` as signed in (or nobody), and keep ``token`` in the cookie."""
        if token is not None:
            self.session_token = token
        self.signed_in = member is not None
        self.display_name = member.display_name if member else ""
        self.is_admin = bool(member and member.is_admin)
        self.is_organiser = bool(member and member.is_organiser)
        self._timezone = member.timezone if member else ""
        self.unverified = bool(member and not member.verified)
        if member is None:
            self.session_token = ""
            self.unread_count = 0
        else:
            locale = await self.get_state(LocaleState)
            locale.locale = member.locale

    async def _current(self) -> SignedIn | None:
        if not self.session_token:
            return None
        return await asyncio.to_thread(account_actions.resolve, self.session_token)

    @handler(Access.PUBLIC)
    async def refresh(self) -> None:
        """On every page load: forget a login the server no longer honours."""
        member = await self._current()
        self.signed_in = member is not None
        self.display_name = member.display_name if member else ""
        self.is_admin = bool(member and member.is_admin)
        self.is_organiser = bool(member and member.is_organiser)
        self._timezone = member.timezone if member else ""
        self.unverified = bool(member and not member.verified)
        if member is None and self.session_token:
            self.session_token = ""
        # One visit to the database per page load: the session, the organiser flag and
        # the unread count come back together (account_actions.resolve).
        self.unread_count = member.unread if member else 0
        locale = await self.get_state(LocaleState)
        wanted = member.locale if member is not None else locale.locale
        if wanted not in LOCALES:
            wanted = negotiate_locale(self.router.headers.accept_language)
        if locale.locale != wanted:  # an unchanged language sends nothing to the browser
            locale.locale = wanted

    @handler(Access.PUBLIC)
    async def log_out(self) -> rx.event.EventSpec:
        if self.session_token:
            await asyncio.to_thread(account_actions.log_out, self.session_token)
        self.session_token, self.signed_in, self.display_name, self.is_admin = "", False, "", False
        self.is_organiser, self._timezone, self.unverified = False, "", False
        self.unread_count = 0
        return rx.redirect("/")


async def current_member(state: rx.State) -> SignedIn | None:
    """The member behind this browser's session, checked against the database now."""
    auth = await state.get_state(AuthState)
    return await auth._current()


def client_ip(state: rx.State) -> str:
    return state.router.session.client_ip or "unknown"


def user_agent(state: rx.State) -> str:
    return str(state.router.headers.user_agent or "")[:255]
