"""HTTP requests to URLs that users typed (webhooks, external calendars), guarded against
SSRF (DESIGN §4).

The guard sits in the network backend of httpcore, so it runs AT CONNECT TIME for every
connection: the host name is resolved once, every resolved address must be public, and
the socket is opened to the checked address itself (no second lookup, so a name cannot
rebind between check and connect). The URL keeps its host name, so the ``Host`` header
and TLS SNI/certificate checks are those of the URL. Redirects are never followed,
proxies from the environment are ignored, a total deadline bounds every request and a
size cap bounds every response body.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from community_app.domain.addresses import (
    IPAddress,
    is_local_name,
    is_loopback_address,
    is_public_address,
    literal_address,
)

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
DEFAULT_DEADLINE = 10.0  # seconds for the whole request, body included
DEFAULT_MAX_BYTES = 1_000_000

Resolver = Callable[[str, int], Awaitable[list[str]]]


class FetchRefused(Exception):
    """The guard refused a request; ``str(error)`` says why (safe to store and show)."""


class RefusedTarget(FetchRefused):
    """The URL or one of the addresses its host resolves to is not a public target."""


class ResponseTooLarge(FetchRefused):
    """The response body is larger than the cap."""


class DeadlineExceeded(FetchRefused):
    """The whole request took longer than its deadline."""


async def system_resolver(host: str, port: int) -> list[str]:
    """The addresses the system resolver gives for ``host`` (TCP only)."""
    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_address(address: IPAddress, *, allow_loopback: bool = False) -> None:
    """Refuse an address that is not public (loopback passes only when allowed)."""
    if allow_loopback and is_loopback_address(address):
        return
    if not is_public_address(address):
        raise RefusedTarget(f"address {address} is not a public address")


def check_url(url: str | httpx.URL, *, allow_loopback: bool = False) -> httpx.URL:
    """The parsed URL when it may be fetched at all: http(s), a host, no credentials, no
    local name and no literal non-public address. Names are checked again at connect."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as error:
        raise RefusedTarget("not a valid URL") from error
    if parsed.scheme not in ("http", "https"):
        raise RefusedTarget("only http and https URLs may be fetched")
    if not parsed.host:
        raise RefusedTarget("the URL has no host")
    if parsed.userinfo:
        raise RefusedTarget("the URL must not carry credentials")
    address = literal_address(parsed.host)
    if address is not None:
        check_address(address, allow_loopback=allow_loopback)
    elif is_local_name(parsed.host) and not allow_loopback:
        raise RefusedTarget(f"host {parsed.host} is a local name")
    return parsed


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolve, check every address, then connect to a checked address."""

    def __init__(
        self,
        *,
        allow_loopback: bool = False,
        resolver: Resolver | None = None,
        inner: httpcore.AsyncNetworkBackend | None = None,
    ):
        self._allow_loopback = allow_loopback
        self._resolve = resolver or system_resolver
        self._inner = inner or httpcore.AnyIOBackend()

    async def _checked_addresses(self, host: str, port: int) -> list[str]:
        if is_local_name(host) and not self._allow_loopback:
            raise RefusedTarget(f"host {host} is a local name")
        literal = literal_address(host)
        raw = [str(literal)] if literal is not None else await self._resolve(host, port)
        if not raw:
            raise RefusedTarget(f"host {host} has no address")
        addresses = [ipaddress.ip_address(item.split("%", 1)[0]) for item in raw]
        for address in addresses:  # every one: a mixed answer is refused as a whole
            check_address(address, allow_loopback=self._allow_loopback)
        return [str(address) for address in addresses]

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await asyncio.wait_for(self._checked_addresses(host, port), timeout)
        except TimeoutError as error:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from error
        except OSError as error:
            raise httpcore.ConnectError(f"cannot resolve {host}") from error
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
        assert last_error is not None
        raise last_error

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        raise RefusedTarget("unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with the guarded network backend and no proxy."""

    def __init__(self, *, allow_loopback: bool = False, resolver: Resolver | None = None):
        super().__init__(trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=20,
            max_keepalive_connections=0,  # each request resolves and checks afresh
            network_backend=GuardedBackend(allow_loopback=allow_loopback, resolver=resolver),
        )


def guarded_client(
    *,
    allow_loopback: bool = False,
    timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    resolver: Resolver | None = None,
) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` that only reaches public addresses (loopback too when
    ``allow_loopback``, for tests), never follows redirects and ignores proxy settings.
    Use ``fetch`` with it to get the deadline, size cap and URL checks as well."""
    return httpx.AsyncClient(
        transport=GuardedTransport(allow_loopback=allow_loopback, resolver=resolver),
        follow_redirects=False,
        trust_env=False,
        timeout=timeout,
        headers={"User-Agent": "Tsudoi"},
    )


def client_allows_loopback(client: httpx.AsyncClient) -> bool:
    transport = client._transport
    return isinstance(transport, GuardedTransport) and bool(
        getattr(transport._pool._network_backend, "_allow_loopback", False)
    )


@dataclass(frozen=True)
class FetchedResponse:
    status_code: int
    headers: httpx.Headers
    body: bytes


async def _send(
    client: httpx.AsyncClient, request: httpx.Request, max_bytes: int
) -> FetchedResponse:
    response = await client.send(request, stream=True, follow_redirects=False)
    try:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise ResponseTooLarge(f"the response is larger than {max_bytes} bytes")
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body.extend(chunk)
            if len(body) > max_bytes:
                raise ResponseTooLarge(f"the response is larger than {max_bytes} bytes")
        return FetchedResponse(response.status_code, response.headers, bytes(body))
    finally:
        await response.aclose()


async def fetch(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
    deadline: float = DEFAULT_DEADLINE,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FetchedResponse:
    """Send one request through a guarded client: the URL is checked first, the whole
    exchange must finish within ``deadline`` seconds and the body stay under
    ``max_bytes``. A 3xx answer is returned as is, never followed.

    Raises ``FetchRefused`` (refused target, too large, deadline) or ``httpx.HTTPError``.
    """
    check_url(url, allow_loopback=client_allows_loopback(client))
    request = client.build_request(method, url, content=content, headers=headers)
    try:
        return await asyncio.wait_for(_send(client, request, max_bytes), deadline)
    except TimeoutError as error:
        raise DeadlineExceeded(f"no complete answer within {deadline:g} s") from error
