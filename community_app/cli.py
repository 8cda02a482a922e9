"""Command line for operators: prepare, migrate, seed-demo, create-admin, backup,
send-test-mail."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from community_app.settings import PROJECT_ROOT, SettingsError, get_settings


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def migrate() -> None:
    """Bring the schema to the newest migration (never done at import time)."""
    from alembic.config import Config

    from alembic import command

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


def seed_demo(*, respect_setting: bool) -> int:
    from community_app.db import write_session
    from community_app.domain.demo import DEMO_PASSWORD, has_any_data
    from community_app.domain.demo import seed_demo as seed

    if respect_setting and not get_settings().seed_demo:
        print("SEED_DEMO is off: no demo data.")
        return 0
    with write_session() as session:
        if has_any_data(session):
            print("The database already has data: demo data not added.")
            return 0
        summary = seed(session, now=datetime.now(UTC))
    print(f"Demo data: {summary.groups} groups, {summary.events} events, {summary.ideas} ideas.")
    print(f"Demo accounts (password: {DEMO_PASSWORD}):")
    for account in summary.accounts:
        print(f"  {account.role:<10} {account.email:<32} {account.display_name}")
    return 0


def create_admin(email: str, display_name: str, password_stdin: bool) -> int:
    from community_app.db import write_session
    from community_app.domain.errors import DomainError
    from community_app.domain.members import create_member, validate_new_account
    from community_app.domain.passwords import hash_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != password:
            return _fail("the two passwords differ")
    try:
        normalised = validate_new_account(email=email, display_name=display_name, password=password)
        with write_session() as session:
            create_member(
                session,
                email=normalised,
                display_name=display_name,
                password_hash=hash_password(password),
                is_admin=True,
                now=datetime.now(UTC),
            )
    except DomainError as error:
        return _fail(str(error))
    print(f"Admin {normalised} created.")
    return 0


def run_backup(output: str | None) -> int:
    from community_app.backup import BackupError, backup, default_backup_path

    database_url = get_settings().database_url
    try:
        path = backup(database_url, Path(output) if output else default_backup_path(database_url))
    except BackupError as error:
        return _fail(str(error))
    print(f"Backup written to {path}")
    return 0


def send_test_mail(to: str, locale: str) -> int:
    """Queue a test mail and send it now (or keep it for /admin/mail without SMTP_URL)."""
    import asyncio

    from community_app.db import read_session, write_session
    from community_app.domain.errors import DomainError
    from community_app.domain.mailbox import queue_test_mail
    from community_app.domain.models import MailMessage
    from community_app.mail_delivery import Sender, deliver_due

    settings = get_settings()
    now = datetime.now(UTC)
    try:
        with write_session() as session:
            row = queue_test_mail(
                session, to=to, requested_by="python -m community_app", locale=locale, now=now
            )
            session.flush()
            assert row.id is not None
            mail_id = row.id
    except DomainError:
        return _fail(f"{to!r} is not a valid e-mail address")
    sender = Sender.from_settings(settings)
    asyncio.run(deliver_due(now=now, sender=sender, mail_ids=[mail_id]))
    with read_session() as session:
        mail = session.get(MailMessage, mail_id)
    assert mail is not None
    if sender is None:
        print(f"No SMTP_URL: the mail was kept; read it at {settings.site_url}/admin/mail")
        return 0
    if mail.status == "sent":
        print(f"Test mail sent to {mail.to_address} through {sender.smtp.redacted()}.")
        return 0
    return _fail(f"the test mail was not sent ({mail.last_error}); the app retries it later")


def prepare(check_port: bool) -> int:
    """What ``make run`` does before serving: checks, migrations, demo data."""
    from community_app.preflight import forged_address_warning, run_checks

    settings = get_settings()
    warning = forged_address_warning(settings)
    if warning:
        print(warning, file=sys.stderr)
    run_checks(settings, check_port=check_port)
    migrate()
    return seed_demo(respect_setting=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m community_app", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    prep = commands.add_parser(
        "prepare", help="check settings, database and port; migrate; seed demo"
    )
    prep.add_argument("--no-port-check", action="store_true")
    commands.add_parser(
        "check", help="check settings, database and Redis without changing anything"
    )
    commands.add_parser("migrate", help="apply database migrations")
    commands.add_parser("seed-demo", help="add demo data to an empty database")
    admin = commands.add_parser("create-admin", help="create a site admin account")
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", required=True, help="display name")
    admin.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    backup = commands.add_parser("backup", help="write a consistent copy of the database")
    backup.add_argument("--output", help="file to write (default: data/backups/community-<time>)")
    test_mail = commands.add_parser(
        "send-test-mail", help="send a test mail through SMTP_URL (or keep it for /admin/mail)"
    )
    test_mail.add_argument("--to", required=True, help="the address to send to")
    test_mail.add_argument("--locale", choices=("ja", "en"), default="ja")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from community_app.preflight import PreflightError, run_checks

    args = _parser().parse_args(argv)
    try:
        settings = get_settings()
        if args.command == "prepare":
            return prepare(check_port=not args.no_port_check)
        if args.command == "check":
            run_checks(settings, check_port=False)
            print("Settings, database and Redis are fine.")
            return 0
        if args.command == "migrate":
            run_checks(settings, check_port=False)
            migrate()
            return 0
        if args.command == "seed-demo":
            return seed_demo(respect_setting=False)
        if args.command == "create-admin":
            return create_admin(args.email, args.name, args.password_stdin)
        if args.command == "send-test-mail":
            return send_test_mail(args.to, args.locale)
        return run_backup(args.output)
    except (SettingsError, PreflightError) as error:
        return _fail(str(error))
