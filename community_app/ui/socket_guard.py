"""Limits on what one websocket connection can make the server do, keep or log.

Any client can open the app's websocket and send anything (DESIGN §4). Reflex queues
every event it receives, keeps each event's ``router_data`` in the tab's state (on
disk or in Redis, for an hour) and logs a traceback for an unknown handler name. So
before Reflex sees an event, ``GuardedEventNamespace`` (installed by ``install``):

- drops it when its connection is past its budget: ``EVENT_BURST`` events at once,
  then ``EVENTS_PER_SECOND``; the tab is told so by a toast in both languages, at
  most once per ``TOAST_INTERVAL_S``. Measured in Chromium
  (``tests/e2e/test_event_budget.py``): a page load sends one event, 30 quick clicks
  on a button 30, typing 132 characters at 25 a second into a text area and
  submitting 4 (the frontend debounces typing); a tab sending a wrong password every
  20 ms sends 50 a second;
- refuses router data that is not what the frontend sends (``pathname``, ``asPath``,
  ``query`` of strings) or that is bigger than ``MAX_ROUTER_DATA_BYTES``, and client
  variables (the hydrate's cookies) bigger than ``MAX_CLIENT_VARS_BYTES``; a boot
  event refused this way refuses the connection, so nothing is stored;
- drops an event whose handler does not exist, or that comes from a connection that
  gave no client token (Reflex would log it whole);
- refuses a handshake whose client token is longer than ``MAX_TOKEN_CHARS`` and caps
  its headers (``MAX_HEADER_CHARS`` each, ``MAX_HEADERS``), which Reflex also keeps
  in the state.

Every drop is counted; the log gets at most one line per ``LOG_WINDOW_S`` per kind of
drop, with the count and the escaped name of the latest. Engine.IO itself closes a
connection whose message is bigger than ``MAX_MESSAGE_BYTES`` (well above the largest
form: an event description of 20 000 Japanese characters is ~60 KB).

This subclasses Reflex's ``EventNamespace`` and swaps it into the app: Reflex has no
public hook before its queue. ``install`` checks the Reflex version it was written
against and refuses to start with another (read the new ``EventNamespace`` first).
"""

from __future__ import annotations

import json
import logging
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex.app import App, EventNamespace
from reflex.event import Event
from reflex.state import StateUpdate
from reflex_base.constants.compiler import CompileVars
from reflex_base.registry import RegistrationContext
from socketio.exceptions import ConnectionRefusedError as SocketRefused  # type: ignore[import-untyped]

from community_app.i18n import translate
from community_app.log_safety import LogBudget, escape_client_text

logger = logging.getLogger("community_app")

REFLEX_VERSION = "0.10.1"  # the EventNamespace this module was written against

MAX_MESSAGE_BYTES = 256 * 1024
MAX_ROUTER_DATA_BYTES = 8 * 1024
MAX_CLIENT_VARS_BYTES = 16 * 1024
MAX_HEADER_CHARS = 4096
MAX_HEADERS = 64
MAX_TOKEN_CHARS = 64  # the frontend's client token is a UUID (36 characters)
EVENT_BURST = 60
EVENTS_PER_SECOND = 20.0
LOG_WINDOW_S = 60.0
TOAST_INTERVAL_S = 10.0  # a tab past its budget is told at most this often

_ROUTER_KEYS = frozenset({"pathname", "asPath", "query"})
# Events whose payload Reflex writes into state vars (cookies, local storage).
_STORING_EVENTS = frozenset(
    {CompileVars.HYDRATE, CompileVars.HYDRATE_AND_LOAD, "update_vars_internal"}
)


class EventBudget:
    """A token bucket: ``burst`` events at once, refilled at ``per_second``."""

    def __init__(
        self,
        *,
        burst: int = EVENT_BURST,
        per_second: float = EVENTS_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst, self.per_second, self._clock = burst, per_second, clock
        self._tokens = float(burst)
        self._last = clock()
        self._told_at: float | None = None

    def take(self) -> bool:
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._last) * self.per_second)
        self._last = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True

    def should_tell(self) -> bool:
        """After a refusal: whether to tell the tab (not told in the last interval)."""
        now = self._clock()
        if self._told_at is not None and now - self._told_at < TOAST_INTERVAL_S:
            return False
        self._told_at = now
        return True


def _json_size(value: object) -> int:
    try:
        return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
    except (TypeError, ValueError):
        return MAX_MESSAGE_BYTES + 1


def _is_query(value: object) -> bool:
    def is_value(item: object) -> bool:
        return isinstance(item, str) or (
            isinstance(item, list) and all(isinstance(part, str) for part in item)
        )

    return isinstance(value, dict) and all(
        isinstance(key, str) and is_value(item) for key, item in value.items()
    )


def router_data_problem(router_data: object) -> str | None:
    """Why this client-sent router data must not be kept, or None if it may."""
    if not isinstance(router_data, dict):
        return "router data is not an object"
    if not set(router_data) <= _ROUTER_KEYS:
        return "router data has keys the frontend never sends"
    if any(not isinstance(router_data.get(key, ""), str) for key in ("pathname", "asPath")):
        return "router data path is not a string"
    if "query" in router_data and not _is_query(router_data["query"]):
        return "router data query is not a map of strings"
    if _json_size(router_data) > MAX_ROUTER_DATA_BYTES:
        return "router data too big"
    return None


def event_problem(data: object, known: Callable[[str], bool]) -> str | None:
    """Why this event must be dropped before Reflex queues it, or None."""
    if not isinstance(data, dict):
        return "event is not an object"
    name, payload = data.get("name"), data.get("payload", {})
    if not isinstance(name, str) or not known(name):
        return "unknown handler"
    if not isinstance(payload, dict):
        return "payload is not an object"
    if name.rpartition(".")[2] in _STORING_EVENTS and (_json_size(payload) > MAX_CLIENT_VARS_BYTES):
        return "client variables too big"
    return router_data_problem(data.get("router_data", {}))


def connection_problem(environ: dict[str, Any]) -> str | None:
    """Why a websocket handshake must be refused, or None. The client token (a UUID the
    frontend makes up) names the tab's state in memory, on disk and in Redis."""
    tokens = urllib.parse.parse_qs(str(environ.get("QUERY_STRING", ""))).get("token", [])
    if any(len(token) > MAX_TOKEN_CHARS or not token.isascii() for token in tokens):
        return "client token too long"
    return None


def is_registered_handler(name: str) -> bool:
    try:
        return name in RegistrationContext.get().event_handlers
    except LookupError:  # no app registered (unit tests): nothing to compare with
        return True


def cap_headers(headers: dict[str, str]) -> dict[str, str]:
    """The first ``MAX_HEADERS`` headers, each value cut at ``MAX_HEADER_CHARS``."""
    kept = list(headers.items())[:MAX_HEADERS]
    return {name[:MAX_HEADER_CHARS]: str(value)[:MAX_HEADER_CHARS] for name, value in kept}


class DropLog:
    """One log line per kind of drop per window, with the count and the latest name."""

    def __init__(self) -> None:
        self._budgets: dict[str, LogBudget] = {}
        self.dropped: dict[str, int] = {}

    def note(self, reason: str, sid: str, name: object) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + 1
        budget = self._budgets.setdefault(reason, LogBudget(lines=1, window_s=LOG_WINDOW_S))
        if budget.allow():
            logger.warning(
                "websocket guard dropped an event (%s): %s from %s%s",
                reason,
                escape_client_text(name, 120),
                escape_client_text(sid, 40),
                f"; {budget.held_back()} more dropped before it" if budget.held_back() else "",
            )


def _too_fast_toast() -> list[Event]:
    return Event.from_event_type(
        rx.toast(
            translate("error.too_many_events", "ja"),
            description=translate("error.too_many_events", "en"),
            level="warning",
            position="top-center",
            id="too_many_events",
        )
    )


class GuardedEventNamespace(EventNamespace):
    """Reflex's event namespace with the checks above in front of it."""

    enabled = True  # False only when settings.websocket_guard is off (tests' controls)

    def __init__(self, namespace: str, app: App) -> None:
        super().__init__(namespace, app)
        self._budgets: dict[str, EventBudget] = {}
        self.drops = DropLog()
        self.clock: Callable[[], float] = time.monotonic

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        boot = auth.get(CompileVars.CONNECT_AUTH_EVENT) if isinstance(auth, dict) else None
        problem = connection_problem(environ)
        if problem is None and boot is not None:
            problem = event_problem(boot, is_registered_handler)
        if self.enabled and problem is not None:
            self.drops.note(problem, sid, boot.get("name") if isinstance(boot, dict) else "")
            raise SocketRefused("refused")
        subprotocol = environ.get("HTTP_SEC_WEBSOCKET_PROTOCOL")
        if self.enabled and subprotocol and subprotocol != REFLEX_VERSION:
            # Reflex logs a mismatched one as it came; a client chooses it.
            environ["HTTP_SEC_WEBSOCKET_PROTOCOL"] = escape_client_text(subprotocol, 40)
        await super().on_connect(sid, environ, auth)  # which passes the boot to on_event

    def _build_static_router_data(self, sid: str, environ: dict[str, Any]) -> dict[str, Any]:
        data = super()._build_static_router_data(sid, environ)
        if self.enabled:
            data["headers"] = cap_headers(data["headers"])
        return data

    async def on_event(self, sid: str, data: Any) -> None:
        if self.enabled and not await self._admit(sid, data):
            return
        await super().on_event(sid, data)

    async def _admit(self, sid: str, data: Any) -> bool:
        name = data.get("name") if isinstance(data, dict) else None
        budget = self._budgets.get(sid) or self._budgets.setdefault(
            sid, EventBudget(clock=self.clock)
        )
        if not budget.take():
            self.drops.note("too many events", sid, name)
            token = self.sid_to_token.get(sid)
            if token is not None and budget.should_tell():
                await self.emit_update(StateUpdate(events=_too_fast_toast()), token)
            return False
        problem = event_problem(data, is_registered_handler)
        if problem is None and sid not in self.sid_to_token:
            problem = "no client token"  # Reflex would log the whole event, unescaped
        if problem is not None:
            self.drops.note(problem, sid, name)
            return False
        return True

    def on_disconnect(self, sid: str) -> Any:
        self._budgets.pop(sid, None)
        return super().on_disconnect(sid)


def install(app: App, *, enabled: bool = True) -> GuardedEventNamespace:
    """Put the guarded namespace in place of Reflex's and cap the message size."""
    from reflex_base import constants

    if constants.Reflex.VERSION != REFLEX_VERSION:
        msg = (
            f"community_app.ui.socket_guard was written for Reflex {REFLEX_VERSION}, "
            f"not {constants.Reflex.VERSION}: check EventNamespace and update it"
        )
        raise RuntimeError(msg)
    current = app.event_namespace
    if app.sio is None or current is None:
        msg = "the websocket guard needs an app with state (Reflex made no event namespace)"
        raise RuntimeError(msg)
    guarded = GuardedEventNamespace(current.namespace, app)
    guarded._token_manager = current._token_manager  # one per app (a Redis client, maybe)
    guarded.enabled = enabled
    app._event_namespace = guarded  # Reflex keeps no other reference to the old one
    app.sio.register_namespace(guarded)
    if enabled:
        app.sio.eio.max_http_buffer_size = MAX_MESSAGE_BYTES
    return guarded
