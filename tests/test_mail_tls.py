"""SMTP over TLS: STARTTLS on smtp://, TLS from the first byte on smtps://, and the
server's certificate verified (a certificate nobody vouches for is refused)."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from community_app import mail_transport
from community_app.domain.mail import enqueue_mail
from community_app.domain.mail_kinds import MailKind
from community_app.domain.models import MailMessage
from community_app.mail_delivery import MailReport, deliver_due
from tests.domain.mail_world import SITE
from tests.factories import make_member
from tests.mail_server import running_mail_server

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, certificate))
    return context


def _trust(monkeypatch: pytest.MonkeyPatch, cert: Path) -> None:
    monkeypatch.setattr(
        mail_transport, "tls_context", lambda: ssl.create_default_context(cafile=str(cert))
    )


def _queue(engine: Engine, now: datetime) -> None:
    with Session(engine) as session:
        member = make_member(session)
        enqueue_mail(
            session, member=member, kind=MailKind.TEST, context={"requested_by": "a"}, now=now,
            site=SITE,
        )  # fmt: skip
        session.commit()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "smtps"])
def test_mail_goes_out_over_tls_with_a_login(
    engine: Engine,
    now: datetime,
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    implicit: bool,
) -> None:
    _trust(monkeypatch, certificate[0])
    context = _server_context(certificate)
    with running_mail_server(("tsudoi", "pw"), tls=context, implicit_tls=implicit) as server:
        _queue(engine, now)
        sender = server.sender(username="tsudoi", password="pw")

        report = asyncio.run(deliver_due(now=now, sender=sender, engine=engine))

        assert report == MailReport(claimed=1, sent=1)
        assert len(server.messages) == 1


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_certificate_nobody_vouches_for_is_refused(
    engine: Engine, now: datetime, certificate: tuple[Path, Path]
) -> None:
    with running_mail_server(tls=_server_context(certificate)) as server:
        _queue(engine, now)

        report = asyncio.run(deliver_due(now=now, sender=server.sender(), engine=engine))

        assert report == MailReport(claimed=1, retrying=1)
        assert server.messages == []
        with Session(engine) as session:
            (row,) = session.exec(select(MailMessage)).all()
        assert "CERTIFICATE_VERIFY_FAILED" in row.last_error
