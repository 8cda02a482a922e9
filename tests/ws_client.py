"""A browser without a browser: one Reflex tab spoken to over its socket.io protocol.

``ReflexTab`` does what the compiled frontend does (``.web/utils/state.js``): it makes
up a client token, opens the websocket at ``/_event`` with ``?token=``, sends the
``hydrate_and_load`` boot event in the socket.io CONNECT packet with the page's route
the cookies the browser holds in the handshake's ``Cookie`` header, merges every delta
the server sends into one view of the state, and logs in as the page does: the login
handler answers with a script that posts a one-time ticket to ``/auth/session``, whose
HttpOnly cookie the tab keeps for its next connection.
The scale-out test and the bench both drive the running production app with it: no
Chromium, so hundreds of tabs fit on one machine.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit

import aiohttp
import socketio

ROOT = "reflex___state____state"
_APP = ROOT + ".community_app___ui___"
AUTH_STATE = _APP + "auth____auth_state"
LOGIN_STATE = _APP + "pages___login____login_state"
EVENT_PAGE_STATE = _APP + "pages___event____event_page_state"
LOCALE_STATE = _APP + "locale____locale_state"
# The login cookie (HttpOnly: set by POST /auth/session, sent in the handshake).
SESSION_COOKIE = "tsudoi_session"
HYDRATED = "is_hydrated"
# The socket.io namespace and the Engine.IO path are both /_event (the frontend opens
# io("ws://host/_event", {path: "/_event"})).
NAMESPACE = "/_event"
TIMEOUT_S = 60.0
_POSITION = re.compile(r"\(number (\d+)\)")
# The form the login handler's script posts: its action and its fields (JSON).
_FORM_POST = re.compile(r"const action = (\"[^\"]*\"); const fields = (\{[^}]*\});")


T = TypeVar("T")


def run_tabs(work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` on an event loop of its own thread: callers may already be inside
    one (Playwright's sync API keeps a loop running in the test's thread)."""
    outcome: dict[str, Any] = {}

    def runner() -> None:
        try:
            outcome["value"] = asyncio.run(work)
        except BaseException as error:  # handed back to the caller below
            outcome["error"] = error

    thread = threading.Thread(target=runner, name="reflex-tabs")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


class TabError(AssertionError):
    """The server did not answer as a browser would expect (what and what was seen)."""


@dataclass(frozen=True)
class Update:
    """One ``event`` message from the server: when it arrived, and its delta."""

    received: float  # time.perf_counter()
    delta: dict[str, dict[str, Any]]


class ReflexTab:
    """One browser tab: a token, a page, the state the server sent, the cookies."""

    def __init__(self, base_url: str, *, cookies: Mapping[str, str] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.cookies: dict[str, str] = dict(cookies or {})
        self.token = str(uuid.uuid4())
        self.state: dict[str, dict[str, Any]] = {}
        self.updates: list[Update] = []
        self.posted_forms: list[tuple[str, dict[str, str]]] = []  # scripts' form posts
        self.path = "/"
        self.params: dict[str, str] = {}
        self.local_port: int | None = None
        self._client: socketio.AsyncClient | None = None
        self._http: aiohttp.ClientSession | None = None
        self._arrived = asyncio.Event()

    # --- the connection ------------------------------------------------------------

    def _router_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"pathname": self.path, "asPath": self.path}
        if self.params:
            data["query"] = dict(self.params)
        return data

    def _boot_event(self) -> dict[str, Any]:
        payload: dict[str, Any] = {}
        return {
            "name": f"{ROOT}.hydrate_and_load",
            "payload": payload,
            "router_data": self._router_data(),
        }

    async def open(
        self, path: str, *, params: Mapping[str, str] | None = None, same_token: bool = False
    ) -> None:
        """Load ``path`` the way a browser does, and wait until its on_load handlers ran.

        A new connection is a new tab (a new token) unless ``same_token``: then it is
        the same tab reconnecting, which the server knows by its token alone.
        """
        await self.close()
        if not same_token:
            self.token = str(uuid.uuid4())
        self.path, self.params = path, dict(params or {})
        self.state, self.updates, self.posted_forms = {}, [], []
        self._arrived = asyncio.Event()  # of this event loop (a tab may outlive one)
        self._http = aiohttp.ClientSession()
        client = socketio.AsyncClient(reconnection=False, http_session=self._http)
        client.on("event", self._on_update, namespace=NAMESPACE)
        self._client = client
        try:
            await client.connect(
                f"{self.base_url}?token={self.token}",
                headers=self._handshake_headers(),
                auth={"event": self._boot_event()},
                transports=["websocket"],
                namespaces=[NAMESPACE],
                socketio_path=NAMESPACE,
                wait_timeout=TIMEOUT_S,
            )
            websocket = getattr(client.eio, "ws", None)
            sockname = websocket.get_extra_info("sockname") if websocket is not None else None
            self.local_port = int(sockname[1]) if sockname else None
            await self.wait_for(lambda tab: tab.var(ROOT, HYDRATED) is True, f"{path} to hydrate")
        except BaseException:
            await self.close()
            raise

    def _handshake_headers(self) -> dict[str, str]:
        headers = {"Origin": self.base_url}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    async def post_form(self, action: str, fields: Mapping[str, str]) -> str:
        """Post a form as the page's script would; keep the cookies it sets, return
        where it redirects."""
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                self.base_url + action,
                data=dict(fields),
                headers=self._handshake_headers(),
                allow_redirects=False,
            ) as response,
        ):
            for name, morsel in response.cookies.items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
            if response.status != 303:
                raise TabError(f"{action} answered {response.status}, not 303")
            return str(response.headers["Location"])

    async def close(self) -> None:
        client, self._client = self._client, None
        http, self._http = self._http, None
        if client is not None and client.connected:
            await client.disconnect()
        if http is not None and not http.closed:
            await http.close()

    async def _on_update(self, data: Any) -> None:
        delta = data.get("delta", {}) if isinstance(data, dict) else {}
        for state_name, changes in delta.items():
            self.state.setdefault(state_name, {}).update(changes)
        events = data.get("events", []) if isinstance(data, dict) else []
        for event in events if isinstance(events, list) else []:
            script = str((event.get("payload") or {}).get("javascript_code", ""))
            if event.get("name") == "_call_script" and (post := _FORM_POST.search(script)):
                self.posted_forms.append((json.loads(post[1]), json.loads(post[2])))
        self.updates.append(Update(time.perf_counter(), delta))
        self._arrived.set()

    # --- events and answers --------------------------------------------------------

    def var(self, state_name: str, name: str) -> Any:
        """The latest value the server sent for ``state_name.name`` (None if never)."""
        return self.state.get(state_name, {}).get(f"{name}_rx_state_")

    async def send(self, handler: str, payload: Mapping[str, Any] | None = None) -> float:
        """Send one event from the current page; return when it left (perf_counter)."""
        if self._client is None:
            raise TabError("the tab is not connected: open a page first")
        event = {
            "name": handler,
            "payload": dict(payload or {}),
            "router_data": self._router_data(),
        }
        sent = time.perf_counter()
        await self._client.emit("event", event, namespace=NAMESPACE)
        return sent

    async def wait_for(
        self,
        condition: Callable[[ReflexTab], bool],
        what: str,
        *,
        timeout: float = TIMEOUT_S,
    ) -> float:
        """Wait until ``condition`` holds for the state received; return the arrival
        time (perf_counter) of the update that made it hold."""
        deadline = time.monotonic() + timeout
        while not condition(self):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TabError(f"timed out waiting for {what} (token {self.token})")
            self._arrived.clear()
            if condition(self):
                break
            try:
                await asyncio.wait_for(self._arrived.wait(), remaining)
            except TimeoutError:
                continue
        return self.updates[-1].received if self.updates else time.perf_counter()

    async def round_trip(
        self, handler: str, payload: Mapping[str, Any], state_name: str, name: str
    ) -> float:
        """Send one event and return the seconds until a delta carries ``name``."""
        seen = len(self.updates)
        sent = await self.send(handler, payload)
        key = f"{name}_rx_state_"
        received = await self.wait_for(
            lambda tab: any(key in u.delta.get(state_name, {}) for u in tab.updates[seen:]),
            f"{handler} to answer",
        )
        return received - sent

    # --- what a member does --------------------------------------------------------

    async def log_in(self, email: str, password: str) -> None:
        """Sign in through the login form's handler, as a person at /login does: the
        handler's script posts a ticket for the cookie, then the next page opens."""
        await self.open("/login")
        await self.send(
            f"{LOGIN_STATE}.submit", {"form_data": {"email": email, "password": password}}
        )
        await self.wait_for(
            lambda tab: bool(tab.posted_forms) or bool(tab.var(LOGIN_STATE, "error_en")),
            "the login to be answered",
        )
        if not self.posted_forms:
            raise TabError(f"login refused: {self.var(LOGIN_STATE, 'error_en')}")
        action, fields = self.posted_forms[-1]
        where = urlsplit(await self.post_form(action, fields))
        await self.open(where.path, params=dict(parse_qsl(where.query)), same_token=True)
        if not self.var(AUTH_STATE, "signed_in"):
            raise TabError(f"no login after {action}: cookies {sorted(self.cookies)}")

    async def open_event(self, slug: str) -> None:
        await self.open(f"/events/{slug}", params={"slug": slug})

    def participation(self) -> dict[str, Any] | None:
        value = self.var(EVENT_PAGE_STATE, "participation")
        return value if isinstance(value, dict) else None

    async def rsvp(self, event_id: int, tier_id: int) -> RsvpAnswer:
        """Press the tier's button on the event page; wait for the answer (the panel
        showing this member's RSVP, or an error) and time it from the send."""
        seen = len(self.updates)
        sent_wall = time.time()
        sent = await self.send(
            f"{EVENT_PAGE_STATE}.sign_up", {"event_id": event_id, "tier_id": tier_id}
        )

        def answered(tab: ReflexTab) -> bool:
            for update in tab.updates[seen:]:
                changes = update.delta.get(EVENT_PAGE_STATE, {})
                panel = changes.get("participation_rx_state_")
                if isinstance(panel, dict) and panel.get("has_rsvp"):
                    return True
                if changes.get("error_en_rx_state_"):
                    return True
            return False

        await self.wait_for(answered, f"the answer to the RSVP for tier {tier_id}")
        answer = next(
            update
            for update in self.updates[seen:]
            if update.delta.get(EVENT_PAGE_STATE, {}).get("error_en_rx_state_")
            or (
                isinstance(
                    panel := update.delta.get(EVENT_PAGE_STATE, {}).get("participation_rx_state_"),
                    dict,
                )
                and panel.get("has_rsvp")
            )
        )
        panel = self.participation() or {}
        position = _POSITION.search(str(panel.get("status_en", "")))
        return RsvpAnswer(
            status=str(panel.get("status", "")) if panel.get("has_rsvp") else "",
            error=str(self.var(EVENT_PAGE_STATE, "error_en") or ""),
            seconds=answer.received - sent,
            sent=sent,
            sent_wall=sent_wall,
            position=int(position.group(1)) if position else None,
        )


@dataclass(frozen=True)
class RsvpAnswer:
    status: str  # "going", "waitlisted", ... as the page shows it; "" on an error
    error: str  # the English error message the page shows, if any
    seconds: float  # from the event leaving the client to the delta answering it
    sent: float  # perf_counter when it left
    sent_wall: float  # time.time() when it left (comparable with the server's clock)
    position: int | None  # the waitlist position the page showed, if waitlisted
