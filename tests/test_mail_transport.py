"""The message as it leaves: headers nobody can inject into, DKIM that verifies."""

from __future__ import annotations

import base64
import subprocess
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path

import dkim
import pytest

from community_app.mail_transport import Dkim, OutgoingMail, build_message

pytestmark = pytest.mark.unit

MAIL = OutgoingMail(
    mail_id=1,
    member_id=1,
    to_address="hana@example.org",
    to_name="Hana",
    subject="[Tsudoi] 参加登録しました",
    text_body="本文\nhttps://tsudoi.example/events/x\n",
    html_body="<p>本文</p>",
    calendar_method="",
    calendar_ics="",
    list_unsubscribe_url="https://tsudoi.example/mail/unsubscribe/1/participation/sig",
    message_id="<abc@tsudoi.example>",
    created_at=datetime(2026, 11, 22, 3, 0, tzinfo=UTC),
)


def test_line_breaks_in_a_row_cannot_add_headers() -> None:
    # Rows are written one-line already; this row skips that, as a bug or a hand edit might.
    hostile = MAIL.__class__(
        **{
            **MAIL.__dict__,
            "to_name": "Eve\r\nBcc: victim@example.org",
            "subject": "Hi\r\nBcc: victim@example.org\r\n\r\nbody",
        }
    )

    data = build_message(hostile, mail_from="Tsudoi <noreply@tsudoi.example>")
    message = message_from_bytes(data, policy=policy.default)

    assert message["Bcc"] is None
    assert b"\r\nBcc:" not in data.split(b"\r\n\r\n", 1)[0]
    assert message["Subject"] == "Hi Bcc: victim@example.org body"
    assert message["To"].addresses[0].addr_spec == "hana@example.org"


def test_lines_end_in_crlf_and_stay_short() -> None:
    data = build_message(MAIL, mail_from="noreply@tsudoi.example")

    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 998


def _rsa_key(folder: Path) -> tuple[bytes, str]:
    key = folder / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
    public = subprocess.run(
        ["openssl", "rsa", "-in", str(key), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    return key.read_bytes(), base64.b64encode(public).decode()


def test_a_dkim_signature_verifies_against_the_published_key(tmp_path: Path) -> None:
    private, public = _rsa_key(tmp_path)
    signer = Dkim(selector="tsudoi", domain="tsudoi.example", private_key=private)

    data = build_message(MAIL, mail_from="Tsudoi <noreply@tsudoi.example>", dkim=signer)

    def dns(name: bytes, timeout: int = 5) -> bytes:
        assert name == b"tsudoi._domainkey.tsudoi.example."
        return f"v=DKIM1; k=rsa; p={public}".encode()

    assert data.startswith(b"DKIM-Signature:")
    assert dkim.verify(data, dnsfunc=dns)
    # Control: the same check fails once a signed header is changed.
    assert not dkim.verify(data.replace(b"hana@example.org", b"eve@example.org"), dnsfunc=dns)
