"""Which login a tab speaks for, read from its websocket, never from its stored state.

A tab's login token lives only in the HttpOnly cookie and, while the socket is open,
in the socket's ASGI scope (``session_cookie``). Reflex stores each tab's page state
under the tab's client token (which travels in the websocket URL, so proxy logs hold
it) for an hour; so that state is bound to the login it was filled under:
``TabOwnerMiddleware`` resets every page state of a tab before any event (the hydrate
of a reload or a reconnect included) when the socket's login is not the one the state
belongs to (logged out, another account, a socket without the cookie).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import reflex as rx
from reflex.middleware import Middleware
from reflex.state import BaseState, State
from reflex_base.config import get_config
from reflex_base.registry import RegistrationContext

from community_app.db import write_session
from community_app.domain.login_tickets import issue_ticket
from community_app.session_cookie import SCOPE_KEY

if TYPE_CHECKING:
    from reflex.app import App
    from reflex_base.event import Event

# API URL host names that the frontend replaces with the page's own (state.js).
LOCAL_HOSTNAMES = frozenset({"localhost", "0.0.0.0", "::", "0:0:0:0:0:0:0:0"})
# Page states that outlive a change of login: the language the visitor reads in.
KEPT_ON_LOGOUT = frozenset({"community_app.ui.locale.LocaleState"})


def connection_token(state: BaseState) -> str | None:
    """The login token of the socket that sent the event being handled: "" for none,
    None when that socket is not (or no longer) connected to this process."""
    sid = state.router.session.session_id
    app = RegistrationContext.get().app
    if not sid or app.sio is None or app.event_namespace is None:
        return None
    environ = app.sio.get_environ(sid, app.event_namespace.namespace)
    if environ is None:
        return None
    token = environ.get("asgi.scope", {}).get(SCOPE_KEY, "")
    return token if isinstance(token, str) else ""


def owner_digest(token: str) -> str:
    """What a tab's state remembers of its login: a one-way digest, "" for a visitor."""
    if not token:
        return ""
    return hashlib.sha256(b"tsudoi tab owner\0" + token.encode("utf-8")).hexdigest()


def _app_states(cls: type[BaseState] = State) -> list[type[BaseState]]:
    found: list[type[BaseState]] = []
    for sub in cls.get_substates():
        if sub.__module__.startswith("community_app."):
            found.append(sub)
        found.extend(_app_states(sub))
    return found


async def reset_tab(state: BaseState) -> None:
    """Every page state of this tab back to its defaults (the language stays)."""
    root = state._get_root_state()
    for cls in _app_states():
        if f"{cls.__module__}.{cls.__name__}" in KEPT_ON_LOGOUT:
            continue
        substate = await root.get_state(cls)
        substate.reset()


class TabOwnerMiddleware(Middleware):
    """Before each event: a state filled under one login is wiped for any other."""

    async def preprocess(self, app: App, state: BaseState, event: Event) -> Any:
        from community_app.ui.auth import AuthState  # auth.py imports this module

        token = connection_token(state)
        if token is None:
            return None
        digest = owner_digest(token)
        auth = await state.get_state(AuthState)
        if auth._owner == digest:
            return None
        if auth._owner:  # a visitor's state holds nothing private: it may carry on
            await reset_tab(state)
        auth._owner = digest
        return None


def hand_over(token: str) -> str:
    """A one-time ticket for the login ``token`` (blocking: run it in a thread)."""
    with write_session() as session:
        return issue_ticket(session, session_token=token, now=datetime.now(UTC))


def _post_form(action: str, fields: dict[str, str], *, new_tab_token: bool = False) -> str:
    """JavaScript that posts ``fields`` to the backend's ``action`` as a plain form (a
    navigation). The backend is found as Reflex's frontend finds it for the websocket
    (``getBackendURL``): the configured API URL, on the page's own host when that URL
    names a local one."""
    forget = 'window.sessionStorage.removeItem("token");' if new_tab_token else ""
    return (
        "(() => {"
        f"const action = {json.dumps(action)}; const fields = {json.dumps(fields)};"
        f"const backend = new URL({json.dumps(get_config().api_url)});"
        f"if ({json.dumps(sorted(LOCAL_HOSTNAMES))}.includes(backend.hostname)) {{"
        "backend.hostname = window.location.hostname;"
        'if (window.location.protocol === "https:") {'
        'backend.protocol = "https:"; backend.port = ""; } }'
        f"{forget}"
        'const form = document.createElement("form");'
        'form.method = "post"; form.action = new URL(action, backend).href; form.hidden = true;'
        "for (const [name, value] of Object.entries(fields)) {"
        'const input = document.createElement("input");'
        'input.type = "hidden"; input.name = name; input.value = value;'
        "form.appendChild(input); }"
        "document.body.appendChild(form); form.submit(); })()"
    )


def set_cookie_and_go(ticket: str, next_path: str) -> rx.event.EventSpec:
    """Have the browser trade the ticket for the cookie and land on ``next_path``."""
    return rx.call_script(_post_form("/auth/session", {"ticket": ticket, "next": next_path}))


def clear_cookie_and_go(next_path: str = "/") -> rx.event.EventSpec:
    """Have the browser drop the cookie and reload as a new tab (a new client token)."""
    return rx.call_script(_post_form("/auth/logout", {"next": next_path}, new_tab_token=True))
