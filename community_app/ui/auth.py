"""Who is using this browser: the login, and what the page may show about it.

The login token is in an HttpOnly cookie that only the server sets and clears
(``POST /auth/session``, ``POST /auth/logout``); handlers read it from the tab's
websocket handshake (``tab_session.connection_token``), never from a state var, so no
stored page state holds it. Every privileged handler resolves it again from the
database (``current_member``); the public vars below (``signed_in``, ``display_name``,
``is_admin``) only drive what the page shows and grant nothing.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app.i18n import LOCALES, negotiate_locale
from community_app.ui import account_actions
from community_app.ui.account_actions import SignedIn
from community_app.ui.locale import LocaleState
from community_app.ui.policy import Access, handler
from community_app.ui.tab_session import (
    clear_cookie_and_go,
    connection_token,
    hand_over,
    reset_tab,
    set_cookie_and_go,
)


class AuthState(rx.State):
    signed_in: bool = False
    display_name: str = ""
    is_admin: bool = False
    is_organiser: bool = False
    unread_count: int = 0  # the bell's badge; counted again on every page load
    _timezone: str = ""  # the member's own zone (account page); "" for a visitor
    _owner: str = ""  # digest of the login this tab's states were filled under

    @property
    def session_token(self) -> str:
        """The login token of the socket sending this event ("" for none): from the
        handshake's cookie, held in memory for the socket's life, never stored."""
        return connection_token(self) or ""

    def _show(self, member: SignedIn | None) -> None:
        self.signed_in = member is not None
        self.display_name = member.display_name if member else ""
        self.is_admin = bool(member and member.is_admin)
        self.is_organiser = bool(member and member.is_organiser)
        self._timezone = member.timezone if member else ""

    async def _apply(self, member: SignedIn) -> None:
        """Show a profile change of the signed-in member."""
        self._show(member)
        locale = await self.get_state(LocaleState)
        locale.locale = member.locale

    async def _hand_over(self, token: str, next_path: str) -> rx.event.EventSpec:
        """Send a new login to the cookie (never to a state var), then go to ``next_path``."""
        ticket = await asyncio.to_thread(hand_over, token)
        return set_cookie_and_go(ticket, next_path)

    async def _current(self) -> SignedIn | None:
        token = self.session_token
        if not token:
            return None
        return await asyncio.to_thread(account_actions.resolve, token)

    @handler(Access.PUBLIC)
    async def refresh(self) -> None:
        """On every page load: a login the server no longer honours (revoked, expired,
        disabled) wipes every page state of the tab; the page's own loads follow."""
        member = await self._current()
        if member is None and self.session_token:
            await reset_tab(self)
            self._owner = ""
        self._show(member)
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
        """End the login, wipe every page state of the tab, drop the cookie, reload."""
        token = self.session_token
        if token:
            await asyncio.to_thread(account_actions.log_out, token)
        await reset_tab(self)
        self._owner = ""
        return clear_cookie_and_go("/")


async def current_member(state: rx.State) -> SignedIn | None:
    """The member behind this browser's session, checked against the database now."""
    auth = await state.get_state(AuthState)
    return await auth._current()


def client_ip(state: rx.State) -> str:
    return state.router.session.client_ip or "unknown"


def user_agent(state: rx.State) -> str:
    return str(state.router.headers.user_agent or "")[:255]
