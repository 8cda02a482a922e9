"""The websocket guard's rules, without a server: what it lets through and what not."""

from __future__ import annotations

import logging

import pytest

from community_app.community_app import app
from community_app.ui import socket_guard
from community_app.ui.socket_guard import (
    EVENT_BURST,
    EVENTS_PER_SECOND,
    MAX_HEADER_CHARS,
    MAX_HEADERS,
    DropLog,
    EventBudget,
    cap_headers,
    connection_problem,
    event_problem,
    router_data_problem,
)

pytestmark = pytest.mark.unit

HANDLER = "reflex___state____state.community_app___ui___auth____auth_state.refresh"
HYDRATE = "reflex___state____state.hydrate_and_load"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def known(name: str) -> bool:
    return name in {HANDLER, HYDRATE}


def event(**overrides: object) -> dict[str, object]:
    return {
        "name": HANDLER,
        "payload": {},
        "router_data": {"pathname": "/events", "asPath": "/events?tag=ai", "query": {"tag": "ai"}},
    } | overrides


def test_a_burst_passes_then_the_connection_waits_for_its_budget_to_refill() -> None:
    clock = Clock()
    budget = EventBudget(clock=clock)

    passed = sum(budget.take() for _ in range(10 * EVENT_BURST))
    clock.now += 1.0
    refilled = sum(budget.take() for _ in range(10 * EVENT_BURST))

    assert passed == EVENT_BURST
    assert refilled == int(EVENTS_PER_SECOND)


def test_typing_fast_into_a_field_that_sends_every_key_never_hits_the_budget() -> None:
    # A page load (hydrate and its on_load handlers: under 10 events) and then 600 keys
    # typed at 15 a second, faster than people type for long.
    clock = Clock()
    budget = EventBudget(clock=clock)
    assert all(budget.take() for _ in range(10))

    typed = []
    for _ in range(600):
        clock.now += 1 / 15
        typed.append(budget.take())

    assert all(typed)


def test_the_tab_is_told_once_per_interval_not_once_per_dropped_event() -> None:
    clock = Clock()
    budget = EventBudget(clock=clock)

    told = [budget.should_tell() for _ in range(100)]
    clock.now += socket_guard.TOAST_INTERVAL_S
    told_again = budget.should_tell()

    assert told.count(True) == 1 and told_again


def test_what_the_frontend_sends_passes() -> None:
    assert event_problem(event(), known) is None
    assert event_problem(event(router_data={}), known) is None
    assert event_problem(event(name=HYDRATE, payload={"vars": {"a.b": "tok"}}), known) is None


@pytest.mark.parametrize(
    ("router_data", "problem"),
    [
        ({"pathname": "/" + "a" * 900_000, "asPath": "/"}, "router data too big"),
        ({"pathname": "/", "asPath": "/", "query": {"q": "x" * 9000}}, "router data too big"),
        ({"pathname": "/", "headers": {"x": "y"}}, "router data has keys the frontend never sends"),
        ({"pathname": ["/"]}, "router data path is not a string"),
        (
            {"pathname": "/", "query": {"q": {"deep": 1}}},
            "router data query is not a map of strings",
        ),
        ({"pathname": "/", "query": "q=1"}, "router data query is not a map of strings"),
        ("not an object", "router data is not an object"),
    ],
)
def test_router_data_the_frontend_would_never_send_is_refused(
    router_data: object, problem: str
) -> None:
    assert router_data_problem(router_data) == problem
    assert event_problem(event(router_data=router_data), known) == problem


def test_a_catch_all_route_may_send_a_list_in_its_query() -> None:
    assert router_data_problem({"pathname": "/a/b", "query": {"rest": ["a", "b"]}}) is None


def test_unknown_handlers_junk_events_and_big_client_variables_are_refused() -> None:
    assert event_problem(event(name="reflex___state____state.no_such"), known) == "unknown handler"
    assert event_problem(event(name=5), known) == "unknown handler"
    assert event_problem(["not", "an", "object"], known) == "event is not an object"
    assert event_problem(event(payload="x"), known) == "payload is not an object"
    big_cookie = {"vars": {"a.session_token_rx_state_": "t" * 100_000}}
    assert event_problem(event(name=HYDRATE, payload=big_cookie), known) == (
        "client variables too big"
    )
    # a big payload to an ordinary handler (a long event description) is the message
    # size limit's business, not this check's
    assert event_problem(event(payload={"form_data": {"d": "あ" * 20_000}}), known) is None


def test_headers_are_capped_in_number_and_length() -> None:
    headers = {f"x-h{number}": "v" * 100_000 for number in range(1000)}

    capped = cap_headers(headers)

    assert len(capped) == MAX_HEADERS
    assert all(len(value) == MAX_HEADER_CHARS for value in capped.values())


def test_a_handshake_with_a_huge_client_token_is_refused() -> None:
    uuid_token = "3be518bd-b688-4051-dbd8-385d0bf723c9"

    assert connection_problem({"QUERY_STRING": f"token={uuid_token}&EIO=4"}) is None
    assert connection_problem({"QUERY_STRING": "EIO=4"}) is None  # Reflex warns, no state
    assert connection_problem({"QUERY_STRING": "token=" + "t" * 50_000}) == (
        "client token too long"
    )


def test_a_thousand_drops_write_one_line_with_the_name_escaped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    drops = DropLog()

    with caplog.at_level(logging.WARNING, logger="community_app"):
        for number in range(1000):
            drops.note("unknown handler", "sid-1", f"x.no_such_{number}\nFORGED LINE")

    assert len(caplog.records) == 1
    assert "\n" not in caplog.text.strip()
    assert "no_such_0\\nFORGED LINE" in caplog.text
    assert drops.dropped == {"unknown handler": 1000}


def test_the_guard_refuses_to_start_on_another_reflex_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(socket_guard, "REFLEX_VERSION", "0.0.0")

    with pytest.raises(RuntimeError, match=r"written for Reflex 0\.0\.0"):
        socket_guard.install(app)


def test_the_app_runs_with_the_guard_and_a_lower_message_limit() -> None:
    assert isinstance(app.event_namespace, socket_guard.GuardedEventNamespace)
    assert app.sio is not None
    assert app.sio.namespace_handlers[app.event_namespace.namespace] is app.event_namespace
    assert app.sio.eio.max_http_buffer_size == socket_guard.MAX_MESSAGE_BYTES
