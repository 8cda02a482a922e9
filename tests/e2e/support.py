"""Helpers for the security browser tests: accounts, capture, hostile events, snapshots.

``Capture`` records everything the server sends to one browser page (websocket frames
and HTTP bodies); ``send_event`` makes that page's own Reflex event loop send any event
with any payload, the way a hostile client would; ``snapshot`` reads the tables an
attack could change, straight from the e2e database.
"""

from __future__ import annotations

import html
import json
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from playwright.sync_api import Browser, Error, Page, Response, WebSocket, expect
from reflex.testing import AppHarnessProd
from sqlalchemy import text
from sqlmodel import Session, select

from community_app.db import read_session, write_session
from community_app.domain.enums import EventStatus, GroupRole, MembershipStatus, RsvpStatus
from community_app.domain.events import new_event_uid
from community_app.domain.models import Event, Group, Member, Membership, ParticipationTier, Rsvp
from community_app.domain.passwords import hash_password
from community_app.domain.sessions import start_session

TIMEOUT_MS = 20_000
PASSWORD = "yoru-cafe-2026"
HYDRATED = re.compile(r'"is_hydrated_rx_state_"\s*:\s*true')

# Full names of the states, as the compiled frontend addresses them.
_STATES = "reflex___state____state.community_app___ui___"
AUTH_STATE = _STATES + "auth____auth_state"
GROUP_PAGE_STATE = _STATES + "pages___groups____group_page_state"
GROUP_WEBHOOKS_STATE = _STATES + "pages___group_webhooks____group_webhooks_state"
GROUP_CALENDAR_STATE = _STATES + "pages___group_calendar____group_calendar_state"
ACCOUNT_STATE = _STATES + "pages___account____account_state"
PASSWORD_STATE = _STATES + "pages___account____password_state"
LOGIN_STATE = _STATES + "pages___login____login_state"
ADMIN_STATE = _STATES + "pages___admin____admin_state"
MAILBOX_STATE = _STATES + "pages___mailbox____mailbox_state"
LOCALE_STATE = _STATES + "locale____locale_state"
EVENT_PAGE_STATE = _STATES + "pages___event____event_page_state"
REVIEW_STATE = _STATES + "pages___proposals____review_state"
ATTENDEES_STATE = _STATES + "pages___attendees____attendees_state"
CHECKIN_STATE = _STATES + "pages___checkin____check_in_state"
LOCALE_CHANGED = re.compile(r'"locale_rx_state_"\s*:')


def url(app: AppHarnessProd, path: str) -> str:
    assert app.frontend_url is not None
    return app.frontend_url.rstrip("/") + quote(path, safe="/?=&")


def backend_url(app: AppHarnessProd, path: str) -> str:
    """``path`` on the backend server, where the plain HTTP routes (feeds) answer."""
    assert app.backend is not None
    host, port = app.backend.servers[0].sockets[0].getsockname()[:2]
    return f"http://{host}:{port}" + quote(path, safe="/?=&")


def new_page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="ja-JP")
    return context.new_page()


# --- accounts -----------------------------------------------------------------------


@dataclass(frozen=True)
class Account:
    member_id: int
    email: str
    display_name: str
    password: str = PASSWORD


def create_account(display_name: str, *, organiser_of: str | None = None) -> Account:
    """A member with a real Argon2 hash (the demo accounts cannot log in)."""
    email = f"sec.{uuid.uuid4().hex[:10]}@example.org"
    with write_session() as session:
        member = Member(
            email=email, display_name=display_name, password_hash=hash_password(PASSWORD)
        )
        session.add(member)
        session.flush()
        assert member.id is not None
        if organiser_of is not None:
            session.add(
                Membership(
                    group_id=group_id(organiser_of, session=session),
                    member_id=member.id,
                    role=GroupRole.ORGANISER,
                    status=MembershipStatus.ACTIVE,
                )
            )
        return Account(member.id, email, display_name)


def add_membership(group_slug: str, member_id: int, status: MembershipStatus) -> int:
    """A plain membership row (ACTIVE or PENDING); returns its id."""
    with write_session() as session:
        membership = Membership(
            group_id=group_id(group_slug, session=session), member_id=member_id, status=status
        )
        session.add(membership)
        session.flush()
        assert membership.id is not None
        return membership.id


def group_id(slug: str, *, session: Session | None = None) -> int:
    if session is None:
        with read_session() as own:
            return group_id(slug, session=own)
    group = session.exec(select(Group).where(Group.slug == slug)).one()
    assert group.id is not None
    return group.id


def raw_session_token(member_id: int) -> str:
    with write_session() as session:
        return start_session(session, member_id=member_id, now=datetime.now(UTC))


def log_in(capture: Capture, account: Account) -> None:
    """Log in through the real form, as a person would."""
    page = capture.page
    capture.visit("/login")
    page.locator("#email").fill(account.email)
    page.locator("#password").fill(account.password)
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("#account-link")).to_have_text(account.display_name, timeout=TIMEOUT_MS)
    capture.read_bodies()


# --- what the server sends ----------------------------------------------------------


def _decoded(frame: str) -> str:
    """A socket.io frame's JSON re-encoded without escapes ("/" and non-ASCII as is)."""
    start = min((i for i in (frame.find("["), frame.find("{")) if i >= 0), default=-1)
    if start < 0:
        return frame
    try:
        return json.dumps(json.loads(frame[start:]), ensure_ascii=False)
    except ValueError:
        return frame


def _without_router_echo(value: Any) -> Any:
    """Drop the router vars: the server echoes the client's own URL and headers there."""
    if isinstance(value, dict):
        return {
            key: _without_router_echo(item)
            for key, item in value.items()
            if not (str(key).startswith("rx_router_") or key == "slug_rx_state_")
        }
    if isinstance(value, list):
        return [_without_router_echo(item) for item in value]
    return value


class Capture:
    """Everything one page receives from the app: websocket frames and HTTP bodies."""

    def __init__(self, page: Page, app: AppHarnessProd) -> None:
        self.page, self.app = page, app
        self.frames: list[str] = []
        self.bodies: list[str] = []
        self._pending: list[Response] = []
        self._static_seen: set[str] = set()
        page.on("websocket", self._on_websocket)
        page.on("response", self._on_response)

    def _on_response(self, response: Response) -> None:
        self._pending.append(response)

    def _on_websocket(self, socket: WebSocket) -> None:
        socket.on("framereceived", self._on_frame)

    def _on_frame(self, payload: str | bytes) -> None:
        self.frames.append(
            payload if isinstance(payload, str) else payload.decode("utf-8", "replace")
        )

    def read_bodies(self) -> None:
        """Read the bodies received so far (call it before the page navigates away)."""
        pending, self._pending[:] = list(self._pending), []
        for response in pending:
            if urlsplit(response.url).hostname not in ("127.0.0.1", "localhost"):
                continue
            if response.request.resource_type in ("image", "font", "media"):
                continue
            if response.request.resource_type in ("script", "stylesheet"):
                if response.url in self._static_seen:
                    continue  # the same static chunk, from the browser cache
                self._static_seen.add(response.url)
            if 300 <= response.status < 400:
                continue  # redirects have no body
            self.bodies.append(self._body(response).decode("utf-8", "replace"))

    def _body(self, response: Response) -> bytes:
        try:
            return response.body()
        except Error:
            if response.request.resource_type not in ("script", "stylesheet"):
                raise
            # A route chunk prefetched just before the next navigation: it is a static
            # file, so fetching it again gives the same bytes.
            return self.page.context.request.get(response.url).body()

    def visit(self, path: str) -> None:
        """Load ``path`` and wait until its on_load handlers have run."""
        seen = len(self.frames)
        self.page.goto(url(self.app, path))
        self.wait_for(lambda frames: any(HYDRATED.search(f) for f in frames[seen:]), path)
        self.read_bodies()

    def wait_for(self, condition: Callable[[list[str]], bool], what: str) -> None:
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while not condition(self.frames):
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            self.page.wait_for_timeout(25)

    def everything(self) -> str:
        """Raw frames, decoded frames and bodies, as one searchable text."""
        self.read_bodies()
        return "\n".join([*self.frames, *map(_decoded, self.frames), *self.bodies])

    def everything_but_router_echo(self) -> str:
        """Decoded frames without the router vars, and the HTTP bodies."""
        self.read_bodies()
        frames = []
        for frame in self.frames:
            start = frame.find("[")
            try:
                data = json.loads(frame[start:]) if start >= 0 else frame
            except ValueError:
                data = frame
            frames.append(json.dumps(_without_router_echo(data), ensure_ascii=False))
        return "\n".join([*frames, *self.bodies])


def encodings(secret: str) -> set[str]:
    """The ways ``secret`` may be spelled in JSON, HTML or a URL."""
    return {
        secret,
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        secret.replace("/", "\\/"),
        json.dumps(secret)[1:-1].replace("/", "\\/"),
        html.escape(secret),
        quote(secret, safe=""),
        quote(secret, safe="/"),
    }


def found(secrets: Iterable[tuple[str, str]], haystack: str) -> list[str]:
    """The secrets that occur in ``haystack`` in any encoding, each with its context."""
    hits = []
    for label, secret in secrets:
        for form in encodings(secret) if secret else ():
            if (at := haystack.find(form)) >= 0:
                hits.append(f"{label}: …{haystack[max(0, at - 80) : at + len(form) + 40]}…")
                break
    return sorted(hits)


# --- acting as a hostile client -----------------------------------------------------

_SEND = """(events) => {
  const state = window.__reflex["$/utils/state"];
  window.__reflex["$/utils/context"].addEvents(
    events.map(([name, payload]) => state.ReflexEvent(name, payload)),
  );
}"""


_READY = """() => Boolean(window.__reflex && window.__reflex["$/utils/state"]
  && window.__reflex["$/utils/context"])"""


def send_event(capture: Capture, name: str, payload: dict[str, Any]) -> None:
    """Send any event with any payload through the page's own event loop, and return
    once the server has handled it.

    Reflex 0.10 does not mark the end of an event, and a refused event may send
    nothing back. The server handles one client's events in order, so two harmless
    events queued behind this one (the language toggled and back) answer once it is
    done.
    """
    seen = len(capture.frames)
    toggle = [LOCALE_STATE + ".toggle_locale", {}]
    # Hydration can finish before the page's modules are published on window.__reflex.
    capture.page.wait_for_function(_READY, timeout=20_000)
    capture.page.evaluate(_SEND, [[name, payload], toggle, toggle])
    capture.wait_for(
        lambda frames: sum(LOCALE_CHANGED.search(f) is not None for f in frames[seen:]) >= 2,
        f"the server to handle {name}",
    )


# --- the database, as an attacker would like to change it --------------------------

_TABLES = {
    "members": "SELECT * FROM members ORDER BY id",
    "memberships": "SELECT * FROM memberships ORDER BY id",
    # last_seen_at moves when a login is used: that is not a change an attack makes
    "auth_sessions": (
        "SELECT id, member_id, token_hash, created_at, expires_at, revoked_at, user_agent"
        " FROM auth_sessions ORDER BY id"
    ),
    "audit_log": "SELECT * FROM audit_log ORDER BY id",
    "notifications": "SELECT * FROM notifications ORDER BY id",
    "groups": "SELECT * FROM groups ORDER BY id",
    "events": "SELECT * FROM events ORDER BY id",
    "ideas": "SELECT * FROM ideas ORDER BY id",
    "comments": "SELECT * FROM comments ORDER BY id",
    "event_transitions": "SELECT * FROM event_transitions ORDER BY id",
    "recap_links": "SELECT * FROM recap_links ORDER BY id",
    "participation_tiers": "SELECT * FROM participation_tiers ORDER BY id",
    "rsvps": "SELECT * FROM rsvps ORDER BY id",
    # status and attempts move when the sender tries: not a change an attack makes
    "mail_messages": "SELECT id, to_address, kind, subject FROM mail_messages ORDER BY id",
    # failure_count and last_status move when the sender tries: not a change an attack makes
    "webhooks": (
        "SELECT id, group_id, kind, url, signing_secret, is_active, created_at"
        " FROM webhooks ORDER BY id"
    ),
    "external_calendars": "SELECT * FROM external_calendars ORDER BY id",
    "feed_tokens": (
        "SELECT id, member_id, token_hash, created_at, revoked_at FROM feed_tokens ORDER BY id"
    ),
}


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    with read_session() as session:
        return {
            table: [tuple(row) for row in session.execute(text(query))]
            for table, query in _TABLES.items()
        }


@dataclass(frozen=True)
class RsvpEvent:
    event_id: int
    slug: str
    tier_ids: tuple[int, ...]


def rsvp_event(
    group_slug: str, *, capacities: Iterable[int | None] = (1,), ended: bool = False, **tier: Any
) -> RsvpEvent:
    """A published event of the group, starting in two weeks (or ended an hour ago),
    with one tier per capacity (extra tier fields in ``tier``)."""
    now = datetime.now(UTC)
    starts = now - timedelta(hours=3) if ended else now + timedelta(days=14)
    with write_session() as session:
        event = Event(
            uid=new_event_uid(),
            slug=f"参加者-{uuid.uuid4().hex[:8]}",
            title="参加者の勉強会",
            group_id=group_id(group_slug, session=session),
            status=EventStatus.APPROVED,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            published_at=starts - timedelta(days=7),
        )
        session.add(event)
        session.flush()
        assert event.id is not None
        tiers = []
        for position, capacity in enumerate(capacities):
            row = ParticipationTier(
                event_id=event.id,
                name=f"参加枠{position + 1}",
                name_en=f"Tier {position + 1}",
                capacity=capacity,
                position=position,
                **tier,
            )
            session.add(row)
            session.flush()
            assert row.id is not None
            tiers.append(row.id)
        return RsvpEvent(event.id, event.slug, tuple(tiers))


def add_rsvp(event: RsvpEvent, member_id: int, *, tier: int = 0, status: str = "going") -> int:
    """An RSVP to the ``tier``-th tier of ``event``, queued now; returns its id."""
    with write_session() as session:
        row = Rsvp(
            event_id=event.event_id,
            tier_id=event.tier_ids[tier],
            member_id=member_id,
            status=RsvpStatus(status),
            queued_at=datetime.now(UTC),
        )
        session.add(row)
        session.flush()
        assert row.id is not None
        return row.id


def rsvp_row(rsvp_id: int) -> tuple[str, int, datetime | None]:
    """(status, tier id, checked-in time) of an RSVP, read now."""
    with read_session() as session:
        row = session.get(Rsvp, rsvp_id)
        assert row is not None
        return row.status.value, row.tier_id, row.checked_in_at


def membership_status(membership_id: int) -> str | None:
    with read_session() as session:
        row = session.execute(
            text("SELECT status FROM memberships WHERE id = :id"), {"id": membership_id}
        ).first()
        return None if row is None else str(row[0])


def wait_until(condition: Callable[[], bool], what: str, *, seconds: float = 10) -> None:
    """Poll the database until ``condition`` holds (a bounded loop, not a sleep)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)
