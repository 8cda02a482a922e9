"""Mail settings: SMTP_URL, MAIL_FROM and DKIM are checked before serving, one line each,
and the SMTP password is never printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from community_app.preflight import PreflightError, check_dkim_key, smtp_warning
from community_app.settings import SettingsError, SmtpSettings, load_settings
from tests.mail_server import MailServer, running_mail_server
from tests.test_cli import run_cli

pytestmark = pytest.mark.integration


def test_without_smtp_url_mails_are_kept_and_need_no_sender(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SITE_URL", "https://tsudoi.example")
    settings = load_settings()
    assert settings.smtp is None
    assert settings.mail_from == "noreply@tsudoi.example"
    assert settings.site_name == "Tsudoi"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://u:p%40ss@mx.example:587", SmtpSettings("mx.example", 587, False, "u", "p@ss")),
        ("smtp://mail.example.org", SmtpSettings("mail.example.org", 587, False)),
        ("smtps://u:p@mail.example.org", SmtpSettings("mail.example.org", 465, True, "u", "p")),
        ("smtp://127.0.0.1:25", SmtpSettings("127.0.0.1", 25, False)),
    ],
)  # fmt: skip
def test_smtp_urls_are_read(
    monkeypatch: pytest.MonkeyPatch, url: str, expected: SmtpSettings
) -> None:
    monkeypatch.setenv("SMTP_URL", url)
    monkeypatch.setenv("MAIL_FROM", "Tsudoi <noreply@tsudoi.example>")
    assert load_settings().smtp == expected


def test_the_password_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_URL", "smtp://user:hunter2-secret@mail.example.org:587")
    monkeypatch.setenv("MAIL_FROM", "noreply@tsudoi.example")
    settings = load_settings()
    assert settings.smtp is not None and settings.smtp.password == "hunter2-secret"
    assert "hunter2" not in repr(settings) and "hunter2" not in settings.smtp.redacted()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SMTP_URL": "http://mail.example.org"}, "SMTP_URL must start with smtp://"),
        ({"SMTP_URL": "smtp://mail.example.org:99999"}, "malformed port"),
        ({"SMTP_URL": "smtp://:secret@"}, "SMTP_URL must be"),
        ({"SMTP_URL": "smtp://mail.example.org/x"}, "nothing after the port"),
        ({"SMTP_URL": "smtp://mail.example.org"}, "MAIL_FROM must be set with SMTP_URL"),
        ({"MAIL_FROM": "not an address"}, "MAIL_FROM must be an address"),
        ({"DKIM_PRIVATE_KEY_FILE": "/nonexistent/key.pem"}, "DKIM_PRIVATE_KEY_FILE"),
        ({"SITE_NAME": "x" * 61}, "SITE_NAME"),
    ],
)
def test_bad_mail_settings_are_refused_with_the_setting_named(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message) as error:
        load_settings()
    assert "secret" not in str(error.value)


def test_a_malformed_smtp_url_stops_prepare_with_one_line(tmp_path: Path) -> None:
    result = run_cli(
        "prepare",
        "--no-port-check",
        database=tmp_path / "db.sqlite",
        extra_env={"SMTP_URL": "smtp://user:secret@mail.example.org:port"},
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "SMTP_URL" in result.stderr
    assert "secret" not in result.stderr


def test_an_unreachable_smtp_server_is_a_warning_not_a_stop(tmp_path: Path) -> None:
    with running_mail_server() as server:
        url = server.url()
    result = run_cli(
        "prepare",
        "--no-port-check",
        database=tmp_path / "db.sqlite",
        extra_env={"SMTP_URL": url, "MAIL_FROM": "noreply@tsudoi.example", "SEED_DEMO": "false"},
    )
    assert result.returncode == 0, result.stderr
    assert "warning: Cannot reach the SMTP server" in result.stderr


def test_a_reachable_server_gives_no_warning(mail_server: MailServer) -> None:
    smtp = mail_server.sender().smtp
    assert smtp_warning(smtp) is None


def test_a_key_that_cannot_sign_is_refused(tmp_path: Path) -> None:
    key = tmp_path / "dkim.pem"
    key.write_text("-----BEGIN PRIVATE KEY-----\nnonsense\n-----END PRIVATE KEY-----\n")
    with pytest.raises(PreflightError, match="not a PEM private key"):
        check_dkim_key(key)


def test_send_test_mail_sends_through_smtp(tmp_path: Path, mail_server: MailServer) -> None:
    database = tmp_path / "db.sqlite"
    env = {"SMTP_URL": mail_server.url(), "MAIL_FROM": "Tsudoi <noreply@tsudoi.example>"}
    assert run_cli("migrate", database=database).returncode == 0

    result = run_cli(
        "send-test-mail", "--to", "a..b@docomo.ne.jp", "--locale", "en", database=database,
        extra_env=env,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "Test mail sent to a..b@docomo.ne.jp" in result.stdout
    (received,) = mail_server.messages
    assert received.recipients == ["a..b@docomo.ne.jp"]
    assert received.message["Subject"] == "[Tsudoi] Test mail"


def test_send_test_mail_without_smtp_keeps_it_for_the_mailbox(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite"
    assert run_cli("migrate", database=database).returncode == 0

    result = run_cli("send-test-mail", "--to", "admin@example.org", database=database)
    refused = run_cli("send-test-mail", "--to", "not-an-address", database=database)

    assert result.returncode == 0 and "/admin/mail" in result.stdout
    assert refused.returncode == 1 and "not a valid e-mail address" in refused.stderr
