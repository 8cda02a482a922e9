"""Scale-out: the production app on PostgreSQL and Redis with two backend workers.

The module starts its own server the way an operator would: a private PostgreSQL
schema is migrated and seeded once (``python -m community_app prepare``), then
``reflex run --env prod`` serves it with ``APP_ENV=production`` and ``WEB_WORKERS=2``,
the pages' state in Redis. Two members use it in Chromium while a burst of websocket
tabs (``tests/ws_client.py``) RSVPs to the same small tier; the tier must fill exactly,
everyone must get an answer and one row, and a tab must keep its login and its state
when it reconnects to the other worker.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import redis
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import create_engine, text
from sqlmodel import select

from community_app.db import read_session, write_session
from community_app.domain.enums import RsvpStatus
from community_app.domain.models import Member as DbMember
from community_app.domain.models import Rsvp
from community_app.domain.rsvps import waitlist
from community_app.domain.sessions import start_session
from community_app.settings import PROJECT_ROOT, normalise_database_url
from tests.conftest import reset_configuration
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.support import TIMEOUT_MS, Account, create_account, new_page, rsvp_event
from tests.prod_server import Served, production_server
from tests.ws_burst import Member, TabAnswer, rsvp_burst
from tests.ws_client import AUTH_STATE, EVENT_PAGE_STATE, SESSION_COOKIE, ReflexTab, run_tabs

# Its own pytest process, after the other browser tests: it builds the production app
# into the shared .web, which the session's app under test is served from.
pytestmark = [pytest.mark.e2e, pytest.mark.scale_out]

GROUP = "wlb-night-cafe"
CAPACITY = 5
BURST = 50
WORKERS = 2
GOING_JA = "参加が確定しています"
RECONNECTS = 30  # a reconnect lands on either worker; this many tries find the other one


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    database, redis_url = os.environ.get("TEST_DATABASE_URL"), os.environ.get("TEST_REDIS_URL")
    if not database or not redis_url:
        pytest.skip(
            "scale-out needs PostgreSQL and Redis: set TEST_DATABASE_URL and TEST_REDIS_URL "
            "(e.g. postgresql://postgres@127.0.0.1:5432/test and redis://127.0.0.1:6379/5)"
        )
    base = normalise_database_url(database)
    schema = f"scale_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    environment = {
        "DATABASE_URL": url,
        "REDIS_URL": redis_url,
        "WEB_WORKERS": str(WORKERS),
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "SEED_DEMO": "true",
        "SEND_WEBHOOKS": "false",
        "FETCH_CALENDARS": "false",
    }
    patch = pytest.MonkeyPatch()
    patch.setenv("DATABASE_URL", url)  # this process reads and arranges the same data
    reset_configuration()
    try:
        # What `make run` does before it serves: checks, migrations, demo data, once.
        subprocess.run(
            [sys.executable, "-m", "community_app", "prepare", "--no-port-check"],
            cwd=PROJECT_ROOT,
            env=os.environ | environment,
            check=True,
            capture_output=True,
        )
        log = tmp_path_factory.mktemp("scale-out") / "server.log"
        with production_server(environment | {"SEED_DEMO": "false"}, log) as server:
            yield server
    finally:
        patch.undo()
        reset_configuration()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5"))
    yield client
    client.close()


def _forget_tabs(client: redis.Redis, tokens: list[str]) -> None:
    """Delete the states the tabs left in Redis (only theirs: others may share the db)."""
    for token in tokens:
        keys = list(client.scan_iter(match=f"{token}*"))
        if keys:
            client.delete(*keys)


def _members_with_logins(count: int) -> list[Member]:
    """Members signed in already: their tabs send the login cookie, as a browser does.
    (No password: an Argon2 hash each would cost more than the whole burst.)"""
    now = datetime.now(UTC)
    with write_session() as session:
        members = []
        for i in range(count):
            member = DbMember(
                email=f"burst.{uuid.uuid4().hex[:10]}@example.org",
                display_name=f"会員{i}",
                password_hash="!no-password",
            )
            session.add(member)
            session.flush()
            assert member.id is not None
            members.append(Member(member.id, start_session(session, member_id=member.id, now=now)))
        return members


def _browser_member(browser: Browser, served: Served, account: Account) -> Page:
    page = new_page(browser)
    page.goto(served.base_url + "/login")
    page.locator("#email").fill(account.email)
    page.locator("#password").fill(account.password)
    page.locator("#login-form button[type=submit]").click()
    expect(page.locator("#account-link")).to_have_text(account.display_name, timeout=TIMEOUT_MS)
    return page


def _rows(tier_id: int) -> list[Rsvp]:
    with read_session() as session:
        return list(session.exec(select(Rsvp).where(Rsvp.tier_id == tier_id)).all())


def test_a_burst_over_two_workers_fills_the_tier_exactly_and_answers_everyone(
    served: Served, browser: Browser, redis_client: redis.Redis
) -> None:
    event = rsvp_event(GROUP, capacities=(CAPACITY,))
    tier_id = event.tier_ids[0]
    accounts = [create_account(name) for name in ("窓口 一", "窓口 二")]
    members = _members_with_logins(BURST)
    pages: list[Page] = []
    answers: list[TabAnswer] = []
    spread: dict[int, set[int]] = {}
    try:
        # Two people in Chromium take their seats first, through the page.
        for account in accounts:
            pages.append(page := _browser_member(browser, served, account))
            page.goto(f"{served.base_url}/events/{event.slug}")
            page.locator(".rsvp-button").click()
            expect(page.locator("#rsvp-status")).to_have_text(GOING_JA, timeout=TIMEOUT_MS)

        answers = run_tabs(
            rsvp_burst(
                served.base_url,
                members,
                slug=event.slug,
                event_id=event.event_id,
                tier_id=tier_id,
                when_loaded=lambda: spread.update(served.clients_by_worker()),
            )
        )

        told = Counter(item.answer.status for item in answers)
        assert [item.answer.error for item in answers if item.answer.error] == []
        assert told == {"going": CAPACITY - 2, "waitlisted": BURST - CAPACITY + 2}
        rows = _rows(tier_id)
        per_member = Counter(row.member_id for row in rows)
        assert len(per_member) == BURST + 2 and set(per_member.values()) == {1}
        statuses = Counter(row.status for row in rows)
        assert statuses == {
            RsvpStatus.GOING: CAPACITY,
            RsvpStatus.WAITLISTED: BURST - CAPACITY + 2,
        }
        # What each tab was told is what the database holds for its member.
        stored = {row.member_id: row.status.value for row in rows}
        assert all(stored[item.member_id] == item.answer.status for item in answers)
        # Both workers served part of the burst, and each tab's state is in Redis.
        served_by = {
            pid for item in answers for pid, ports in spread.items() if item.local_port in ports
        }
        assert len(served.worker_pids()) == WORKERS and served_by == set(served.worker_pids())
        assert all(redis_client.exists(f"{item.token}_{EVENT_PAGE_STATE}") for item in answers)

        # A seat freed in the browser goes to the head of the waitlist: still exactly full.
        with read_session() as session:
            head = waitlist(session, tier_id)[0].member_id
        pages[0].locator("#cancel-rsvp").click()
        expect(pages[0].locator("#rsvp-status")).to_have_count(0, timeout=TIMEOUT_MS)
        pages[1].reload()
        expect(pages[1].locator("#rsvp-status")).to_have_text(GOING_JA, timeout=TIMEOUT_MS)
        after = {row.member_id: row.status for row in _rows(tier_id)}
        assert after[head] == RsvpStatus.GOING
        assert Counter(after.values()) == {
            RsvpStatus.GOING: CAPACITY,
            RsvpStatus.WAITLISTED: BURST - CAPACITY + 1,
            RsvpStatus.CANCELLED: 1,
        }
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        for number, page in enumerate(pages, start=1):
            page.screenshot(path=str(ARTIFACTS / f"scale_out_member_{number}.png"), full_page=True)
            page.context.close()
        _forget_tabs(redis_client, [item.token for item in answers])


async def _reconnect_elsewhere(tab: ReflexTab, served: Served, path: str) -> tuple[int, int]:
    """Reconnect the same tab (same token, as after a network drop) until another
    worker than the one it is on answers; return (first worker, new worker)."""
    first = served.worker_serving(tab.local_port)
    assert first is not None
    for _ in range(RECONNECTS):
        await tab.open(path, same_token=True)
        now_on = served.worker_serving(tab.local_port)
        if now_on not in (None, first):
            return first, now_on
    raise AssertionError(f"{RECONNECTS} reconnects all landed on worker {first}")


def test_a_tab_keeps_its_login_and_state_when_it_reconnects_to_the_other_worker(
    served: Served, redis_client: redis.Redis
) -> None:
    account = create_account("渡り 鳥")
    event = rsvp_event(GROUP, capacities=(CAPACITY,))
    draft = f"下書きの理由 {uuid.uuid4().hex[:6]}"
    tab = ReflexTab(served.base_url)

    async def journey() -> tuple[int, int, str]:
        try:
            await tab.log_in(account.email, account.password)  # the login handler
            await tab.open_event(event.slug)
            # Page state that only the server keeps: a draft typed on this worker.
            await tab.send(f"{EVENT_PAGE_STATE}.set_reason", {"value": draft})
            await tab.wait_for(lambda t: t.var(EVENT_PAGE_STATE, "reason") == draft, "the draft")
            first, second = await _reconnect_elsewhere(tab, served, "/login")
            seen_draft = tab.var(EVENT_PAGE_STATE, "reason")
            assert tab.var(AUTH_STATE, "display_name") == account.display_name
            await tab.open_event(event.slug)
            answer = await tab.rsvp(event.event_id, event.tier_ids[0])
            assert (answer.status, answer.error) == ("going", "")
            return first, second, seen_draft
        finally:
            await tab.close()

    try:
        first, second, seen_draft = run_tabs(journey())
    finally:
        _forget_tabs(redis_client, [tab.token])
    assert first != second
    assert seen_draft == draft  # the other worker read it from Redis
    rows = _rows(event.tier_ids[0])
    assert [(row.member_id, row.status) for row in rows] == [(account.member_id, RsvpStatus.GOING)]


def test_no_handler_failed_on_either_worker(served: Served) -> None:
    """Runs last: the burst and the reconnects left no traceback in the server's log."""
    assert served.process.poll() is None, "the server stopped"
    log = served.log.read_text(errors="replace")
    assert "Traceback" not in log, log[log.find("Traceback") :][:3000]


def redis_stored(client: redis.Redis, tab_token: str) -> bytes:
    """Everything Redis keeps of one tab (its page states, each under the tab's token)."""
    values = [client.get(key) for key in client.scan_iter(match=f"{tab_token}*")]
    return b"\n".join(value for value in values if isinstance(value, bytes))


def test_redis_keeps_a_tabs_state_but_never_its_login_token(
    served: Served, redis_client: redis.Redis
) -> None:
    """Issue 21 item 3: on main the raw token was the rx.Cookie var AuthState.session_token,
    stored with the tab; now it is only in the HttpOnly cookie and the open socket."""
    account = create_account("鍵 守")
    tab = ReflexTab(served.base_url)

    async def journey() -> None:
        try:
            await tab.log_in(account.email, account.password)
            await tab.open("/account", same_token=True)
        finally:
            await tab.close()

    try:
        run_tabs(journey())
        stored = redis_stored(redis_client, tab.token)
    finally:
        _forget_tabs(redis_client, [tab.token])
    assert account.display_name.encode() in stored  # the tab's state is there ...
    assert tab.cookies[SESSION_COOKIE].encode() not in stored  # ... its login is not
