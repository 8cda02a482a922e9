"""The fetch guard refuses non-public targets before connecting, connects to the address
it checked, never follows redirects, and bounds time and size.

No test sends traffic anywhere but 127.0.0.1 / ::1: refused addresses come from a fake
resolver, and a recording network backend proves that no connection was attempted.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import httpcore
import pytest

from community_app.fetch_guard import (
    DeadlineExceeded,
    GuardedBackend,
    RefusedTarget,
    ResponseTooLarge,
    check_url,
    fetch,
    guarded_client,
)
from tests.http_receiver import Answer, Receiver, running_receiver

pytestmark = pytest.mark.integration


class RecordingBackend(httpcore.AsyncNetworkBackend):
    """Stands in for the socket layer: records every connection attempt, opens none."""

    def __init__(self) -> None:
        self.attempts: list[tuple[str, int]] = []

    async def connect_tcp(self, host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        self.attempts.append((host, port))
        raise httpcore.ConnectError("the recording backend opens no connection")


def resolving_to(*addresses: str) -> Any:
    calls: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        return list(addresses)

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


# --- URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "https://user:secret@example.org/",
        "http://localhost/",
        "http://api.localhost/",
        "http://127.0.0.1/",
        "http://127.1/",
        "http://0x7f000001/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://[::1]/",
        "http://[::]/",
        "http://[fe80::1]/",
        "http://[fd00::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[2002:a00:1::]/",  # 6to4 of 10.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
    ],
)
def test_urls_that_are_not_public_http_targets_are_refused(url: str) -> None:
    with pytest.raises(RefusedTarget):
        check_url(url)


@pytest.mark.parametrize(
    "url",
    ["https://hooks.slack.com/services/x", "http://[2001:4860:4860::8888]/", "http://8.8.8.8/"],
)
def test_public_urls_pass_the_early_check(url: str) -> None:
    assert str(check_url(url)) == url


# --- connect time ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "addresses",
    [
        ("10.0.0.1",),
        ("127.0.0.1",),
        ("169.254.169.254",),
        ("100.64.12.34",),
        ("0.0.0.0",),
        ("239.1.2.3",),
        ("::1",),
        ("fe80::1%2",),
        ("fc00::5",),
        ("::ffff:192.168.0.1",),
        ("64:ff9b::a00:1",),
        ("2002:c0a8:1::",),
        ("93.184.216.34", "10.0.0.1"),  # one private answer spoils the lot
    ],
)
def test_a_name_resolving_to_a_non_public_address_is_refused_before_connecting(
    addresses: tuple[str, ...],
) -> None:
    sockets = RecordingBackend()
    backend = GuardedBackend(resolver=resolving_to(*addresses), inner=sockets)

    with pytest.raises(RefusedTarget):
        asyncio.run(backend.connect_tcp("hooks.example.org", 443, timeout=1))

    assert sockets.attempts == []


def test_a_public_answer_is_connected_to_by_address_not_by_name() -> None:
    sockets = RecordingBackend()
    backend = GuardedBackend(resolver=resolving_to("93.184.216.34"), inner=sockets)

    with pytest.raises(httpcore.ConnectError):  # the recording backend opens nothing
        asyncio.run(backend.connect_tcp("hooks.example.org", 443, timeout=1))

    assert sockets.attempts == [("93.184.216.34", 443)]


def test_local_names_are_refused_without_asking_the_resolver() -> None:
    resolve = resolving_to("93.184.216.34")
    backend = GuardedBackend(resolver=resolve, inner=RecordingBackend())
    with pytest.raises(RefusedTarget):
        asyncio.run(backend.connect_tcp("LOCALHOST.", 80, timeout=1))
    assert resolve.calls == []


def test_the_client_refuses_a_private_answer_through_the_whole_stack() -> None:
    async def run() -> None:
        async with guarded_client(resolver=resolving_to("10.1.2.3")) as client:
            await fetch(client, "POST", "https://hooks.example.org/x", content=b"{}")

    with pytest.raises(RefusedTarget):
        asyncio.run(run())


def test_loopback_is_refused_unless_allowed(receiver: Receiver) -> None:
    async def run(allow: bool) -> int:
        async with guarded_client(allow_loopback=allow) as client:
            return (await fetch(client, "GET", receiver.url("/ok"))).status_code

    with pytest.raises(RefusedTarget):
        asyncio.run(run(False))
    assert receiver.paths() == []
    assert asyncio.run(run(True)) == 200


def test_the_checked_address_is_used_once_and_the_host_header_stays_the_urls(
    receiver: Receiver,
) -> None:
    resolve = resolving_to("127.0.0.1")  # no DNS knows this name: only the guard's answer

    async def run() -> int:
        async with guarded_client(allow_loopback=True, resolver=resolve) as client:
            url = f"http://hook.tsudoi.test:{receiver.port}/named"
            return (await fetch(client, "GET", url)).status_code

    assert asyncio.run(run()) == 200
    assert resolve.calls == ["hook.tsudoi.test"]
    [request] = receiver.requests
    assert request.headers["Host"] == f"hook.tsudoi.test:{receiver.port}"


def test_ipv6_loopback_works_when_allowed() -> None:
    try:
        context = running_receiver("::1")
        receiver = context.__enter__()
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")
    try:

        async def run() -> int:
            async with guarded_client(allow_loopback=True) as client:
                return (await fetch(client, "GET", receiver.url("/v6"))).status_code

        assert asyncio.run(run()) == 200
    finally:
        context.__exit__(None, None, None)


# --- redirects, size, time, proxies ----------------------------------------------------------


def test_redirects_are_returned_not_followed(receiver: Receiver) -> None:
    receiver.answers["/moved"] = Answer(302, b"", {"Location": "/elsewhere"})

    async def run() -> int:
        async with guarded_client(allow_loopback=True) as client:
            return (await fetch(client, "GET", receiver.url("/moved"))).status_code

    assert asyncio.run(run()) == 302
    assert receiver.paths() == ["/moved"]


@pytest.mark.parametrize("declared", [True, False])
def test_a_response_over_the_size_cap_is_refused(receiver: Receiver, declared: bool) -> None:
    receiver.answers["/big"] = Answer(200, b"x" * 5000, declare_length=declared)

    async def run() -> None:
        async with guarded_client(allow_loopback=True) as client:
            await fetch(client, "GET", receiver.url("/big"), max_bytes=1000)

    with pytest.raises(ResponseTooLarge):
        asyncio.run(run())


def test_a_receiver_that_never_answers_hits_the_total_deadline(receiver: Receiver) -> None:
    receiver.answers["/hang"] = Answer(hang=True)

    async def run() -> None:
        async with guarded_client(allow_loopback=True) as client:
            await fetch(client, "GET", receiver.url("/hang"), deadline=0.5)

    started = time.monotonic()
    with pytest.raises(DeadlineExceeded):
        asyncio.run(run())
    assert time.monotonic() - started < 3


def test_proxy_settings_from_the_environment_are_ignored(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # nothing listens on the discard port

    async def run() -> int:
        async with guarded_client(allow_loopback=True) as client:
            return (await fetch(client, "GET", receiver.url("/direct"))).status_code

    assert asyncio.run(run()) == 200
    assert receiver.paths() == ["/direct"]
