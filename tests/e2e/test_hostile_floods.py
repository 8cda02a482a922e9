"""A hostile client floods the websocket, sends oversized router data and writes into the
log (issue 21, items 1, 2 and 8).

Two servers of the same production backend run side by side on one prepared database:
one as deployed, one with the websocket guard switched off (``WEBSOCKET_GUARD=false``,
refused in production) as the control showing each attack works without it. Tabs are
``tests/ws_client.py`` (the frontend's own protocol); nothing waits for a time, the
tests count events, bytes, rows and log lines. The pages are not built
(``--backend-only``): the attacks go to the websocket, not to the HTML.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
import socketio
from sqlalchemy import func
from sqlmodel import select

from community_app.db import read_session, write_session
from community_app.domain.models import LoginAttempt, Member
from community_app.domain.passwords import hash_password, verify_password
from community_app.domain.rate_limits import LOGIN_LIMIT_PER_ACCOUNT, login_keys
from community_app.ui.socket_guard import EVENT_BURST
from tests.conftest import reset_configuration
from tests.prod_server import Served, production_server
from tests.ws_client import AUTH_STATE, LOCALE_STATE, ROOT, ReflexTab, TabError, run_tabs

pytestmark = pytest.mark.e2e

PASSWORD_STATE = ROOT + ".community_app___ui___pages___account____password_state"
FRONTEND_ERRORS = ROOT + ".reflex___state____frontend_event_exception_state"
PASSWORD = "tsukiyo-no-kai-77"
FLOOD = 600  # events one tab sends as fast as it can
MARKER_TRIES = 40  # sends of the closing event, each waiting up to MARKER_WAIT_S
MARKER_WAIT_S = 1.0


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Served]]:
    """{"guarded": as deployed, "unguarded": the control}, on one SQLite database."""
    folder = tmp_path_factory.mktemp("floods")
    patch = pytest.MonkeyPatch()
    patch.setenv("DATABASE_URL", f"sqlite:///{folder / 'community.db'}")
    reset_configuration()
    from community_app.cli import migrate

    migrate()
    common = {"SEED_DEMO": "false", "SEND_WEBHOOKS": "false", "FETCH_CALENDARS": "false"}
    common["PYTHONUNBUFFERED"] = "1"  # each log line is in the file when it is written
    try:
        with (
            production_server(common, folder / "guarded.log", backend_only=True) as guarded,
            production_server(
                common | {"WEBSOCKET_GUARD": "false"},
                folder / "unguarded.log",
                backend_only=True,
            ) as unguarded,
        ):
            yield {"guarded": guarded, "unguarded": unguarded}
    finally:
        patch.undo()
        reset_configuration()


def _member() -> tuple[str, int]:
    email = f"flood.{uuid.uuid4().hex[:10]}@example.org"
    with write_session() as session:
        member = Member(
            email=email, display_name="洪水 太郎", password_hash=hash_password(PASSWORD)
        )
        session.add(member)
        session.flush()
        assert member.id is not None
        return email, member.id


def _log(served: Served) -> str:
    return served.log.read_text(errors="replace")


async def _drain(tab: ReflexTab) -> int:
    """Send a closing event (switch to English) until it is answered: events of one tab
    are handled in order, so by then every event let through before it has been.
    Returns the index of the update that answered it."""
    key = "locale_rx_state_"
    since = len(tab.updates)
    for _ in range(MARKER_TRIES):
        await tab.send(f"{LOCALE_STATE}.set_locale", {"locale": "en"})
        try:
            await tab.wait_for(
                lambda t: t.var(LOCALE_STATE, "locale") == "en", "the marker", timeout=MARKER_WAIT_S
            )
        except TabError:
            continue
        return next(
            index
            for index, update in enumerate(tab.updates)
            if index >= since and key in update.delta.get(LOCALE_STATE, {})
        )
    raise TabError("the closing event was never let through")


async def _flood_refresh(served: Served) -> tuple[int, list[dict[str, object]]]:
    tab = ReflexTab(served.base_url)
    await tab.open("/")
    before = len(tab.updates)
    for _ in range(FLOOD):
        await tab.send(f"{AUTH_STATE}.refresh", {})
    end = await _drain(tab)
    answered = sum(AUTH_STATE in update.delta for update in tab.updates[before:end])
    events = list(tab.events)
    await tab.close()
    return answered, events


@pytest.mark.parametrize("which", ["guarded", "unguarded"])
def test_one_tab_cannot_queue_thousands_of_events(servers: dict[str, Served], which: str) -> None:
    answered, events = run_tabs(_flood_refresh(servers[which]))

    if which == "unguarded":  # the control: every event of the flood is handled
        assert answered == FLOOD
        return
    # A burst passes, then a trickle while the tab keeps sending (the flood leaves the
    # client in milliseconds); the tab is told, in both languages, not once per event.
    assert EVENT_BURST <= answered < FLOOD // 4
    japanese = json.dumps("操作が速すぎる")[1:-1]  # as the toast's script spells it
    scripts = [str(event.get("payload", {}).get("function", "")) for event in events]
    toasts = [script for script in scripts if japanese in script]
    assert 1 <= len(toasts) <= 2
    assert "Too many actions at once" in toasts[0]


async def _guess_passwords(served: Served, email: str) -> None:
    tab = ReflexTab(served.base_url)
    await tab.log_in(email, PASSWORD)
    await tab.open("/account", same_token=True)
    change = f"{PASSWORD_STATE}.change"
    for attempt in range(3 * LOGIN_LIMIT_PER_ACCOUNT):
        guess = {"current_password": f"guess-{attempt}", "new_password": "nottori-2026-x"}
        await tab.send(change, {"form_data": guess})
    await tab.send(change, {"form_data": {"current_password": PASSWORD, "new_password": "x" * 12}})
    await _drain(tab)
    await tab.close()


def test_wrong_current_passwords_hit_the_login_limit_and_the_right_one_is_refused(
    servers: dict[str, Served],
) -> None:
    email, member_id = _member()

    run_tabs(_guess_passwords(servers["guarded"], email))

    with read_session() as session:
        member = session.get(Member, member_id)
        attempts = session.exec(select(func.count()).select_from(LoginAttempt)).one()
    assert member is not None and verify_password(member.password_hash, PASSWORD)
    # Each counted failure is one row per login key (account, network, both); the
    # guessing stopped at the limit, far below the 3 × limit guesses sent.
    keys = len(login_keys(ip="127.0.0.1", email=email))
    assert attempts <= keys * LOGIN_LIMIT_PER_ACCOUNT


async def _open_with_path(served: Served, path: str) -> int:
    """Bytes of state the server sent back for a page at ``path`` (0 if refused)."""
    tab = ReflexTab(served.base_url)
    try:
        await tab.open(path)
    except (TabError, socketio.exceptions.ConnectionError):
        return 0
    finally:
        await tab.close()
    return sum(len(json.dumps(update.delta)) for update in tab.updates)


# 100 KB: a message Engine.IO accepts, refused by the router data check; 450 KB: bigger
# than a message may be (both are under the 1 MB Reflex allows by default).
@pytest.mark.parametrize("size", [100_000, 450_000])
def test_a_huge_path_is_refused_before_anything_is_stored(
    servers: dict[str, Served], size: int
) -> None:
    path = "/" + "a" * size

    kept = run_tabs(_open_with_path(servers["guarded"], path))
    control = run_tabs(_open_with_path(servers["unguarded"], path))

    assert kept == 0
    assert control > size  # without the guard the path is kept (and sent back) in full
    assert run_tabs(_open_with_path(servers["guarded"], "/events")) > 0  # normal paths work


async def _unknown_handlers_and_forged_reports(served: Served) -> None:
    tab = ReflexTab(served.base_url)
    await tab.open("/")
    for number in range(EVENT_BURST // 2):
        await tab.send(f"{ROOT}.no_such_handler_{number}", {})
    forged = "boom\n2026-12-08 00:00:00 ERROR community_app: admin password reset by attacker"
    await tab.send(
        f"{FRONTEND_ERRORS}.handle_frontend_exception",
        {"info": forged, "component_stack": "\n".join(["at Forged"] * 50)},
    )
    await _drain(tab)
    await tab.close()


def test_unknown_handlers_write_one_line_and_reports_cannot_forge_lines(
    servers: dict[str, Served],
) -> None:
    guarded, unguarded = servers["guarded"], servers["unguarded"]
    before = {name: len(_log(served)) for name, served in servers.items()}

    run_tabs(_unknown_handlers_and_forged_reports(guarded))
    run_tabs(_unknown_handlers_and_forged_reports(unguarded))

    written = _log(guarded)[before["guarded"] :]
    control = _log(unguarded)[before["unguarded"] :]
    assert "Traceback" in control and "no_such_handler" in control  # the attack, unguarded
    assert "Traceback" not in written
    assert len([line for line in written.splitlines() if "no_such_handler" in line]) == 1
    for log in (written, control):  # the report is one escaped line on both
        assert not any(line.startswith("2026-12-08 00:00:00 ERROR") for line in log.splitlines())
        assert "boom\\n2026-12-08 00:00:00 ERROR" in log


async def _open_with_token(served: Served, token: str) -> bool:
    tab = ReflexTab(served.base_url)
    tab.token = token
    try:
        await tab.open("/", same_token=True)
    except (TabError, socketio.exceptions.ConnectionError):
        return False
    finally:
        await tab.close()
    return True


def test_a_huge_client_token_is_refused(servers: dict[str, Served]) -> None:
    # The token names the tab's state (a file name, a Redis key): a UUID is 36 characters.
    token = "t" * 20_000

    assert not run_tabs(_open_with_token(servers["guarded"], token))
    assert run_tabs(_open_with_token(servers["unguarded"], token))  # the control
    assert run_tabs(_open_with_token(servers["guarded"], str(uuid.uuid4())))
