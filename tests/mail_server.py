"""A real SMTP server on 127.0.0.1 (aiosmtpd, in its own thread) for the mail tests.

``running_mail_server()`` yields a ``MailServer``: ``.port``, ``.messages`` (each parsed
with the ``email`` package), ``.refuse(address, "550 5.1.1 No such user")`` to refuse a
recipient, ``.stop()`` / ``.start()`` to take it down and bring it back on the same
port, and ``.sender()`` for ``community_app.mail_delivery``. The ``mail_server``
fixture in ``tests/conftest.py`` wraps it.
"""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from community_app.mail_delivery import Sender
from community_app.settings import SmtpSettings

MAIL_FROM = "Tsudoi <noreply@tsudoi.example>"


@dataclass(frozen=True)
class ReceivedMail:
    envelope_from: str
    recipients: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def part(self, content_type: str) -> str:
        """The decoded text of the first part of ``content_type`` (e.g. "text/html")."""
        for part in self.message.walk():
            if part.get_content_type() == content_type:
                content = part.get_content()
                return content.decode() if isinstance(content, bytes) else str(content)
        raise AssertionError(f"no {content_type} part")


class _Handler:
    def __init__(self, server: MailServer) -> None:
        self.server = server

    async def handle_RCPT(  # noqa: N802  (aiosmtpd's hook name)
        self, smtp: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        refusal = self.server.refusals.get(address)
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, smtp: Any, session: Any, envelope: Any
    ) -> str:
        with self.server.lock:
            self.server.messages.append(
                ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
            )
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MailServer:
    def __init__(
        self,
        credentials: tuple[str, str] | None = None,
        *,
        tls: ssl.SSLContext | None = None,
        implicit_tls: bool = False,
    ) -> None:
        """``tls``: the server's certificate, offered with STARTTLS (and then required),
        or from the first byte with ``implicit_tls``."""
        self.tls, self.implicit_tls = tls, implicit_tls
        self.port = _free_port()
        self.messages: list[ReceivedMail] = []
        self.refusals: dict[str, str] = {}
        self.lock = threading.Lock()
        self.credentials = credentials
        self._controller: Controller | None = None

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        genuine = (
            isinstance(data, LoginPassword)
            and self.credentials is not None
            and (data.login.decode(), data.password.decode()) == self.credentials
        )
        return AuthResult(success=genuine, handled=False)

    def start(self) -> None:
        extra: dict[str, Any] = {}
        if self.credentials is not None:
            # AUTH without TLS: fine for a loopback test server, never for a real one.
            extra = {"authenticator": self._authenticate, "auth_require_tls": False}
        if self.tls is not None and self.implicit_tls:
            extra["ssl_context"] = self.tls
        elif self.tls is not None:
            extra |= {"tls_context": self.tls, "require_starttls": True}
        self._controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=True, **extra
        )
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuse(self, address: str, reply: str) -> None:
        self.refusals[address] = reply

    def sender(self, *, username: str = "", password: str = "") -> Sender:
        settings = SmtpSettings(
            host="127.0.0.1",
            port=self.port,
            implicit_tls=self.implicit_tls,
            username=username,
            password=password,
        )
        return Sender(settings, MAIL_FROM, timeout=5)

    def url(self) -> str:
        return f"{'smtps' if self.implicit_tls else 'smtp'}://127.0.0.1:{self.port}"


@contextmanager
def running_mail_server(
    credentials: tuple[str, str] | None = None,
    *,
    tls: ssl.SSLContext | None = None,
    implicit_tls: bool = False,
) -> Iterator[MailServer]:
    server = MailServer(credentials, tls=tls, implicit_tls=implicit_tls)
    server.start()
    try:
        yield server
    finally:
        server.stop()
