"""Checks run before anything touches the database or opens a port.

Each failure is one line that says what is wrong and how to fix it, never a traceback.
A SQLite file that is corrupt or belongs to another program is refused without being
opened for writing.
"""

from __future__ import annotations

import errno
import ipaddress
import smtplib
import socket
import sqlite3
import sys
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from community_app.db import sqlite_path
from community_app.settings import Settings, SmtpSettings

SQLITE_HEADER = b"SQLite format 3\x00"
CONNECT_TIMEOUT_SECONDS = 5


class PreflightError(RuntimeError):
    """A check failed; the message is the one line to show the user."""


def check_port_free(port: int, host: str = "0.0.0.0") -> None:
    """Refuse a port something listens on. SO_REUSEADDR, as the server itself sets it:
    without it, the TIME_WAIT connections a stopped or crashed server leaves behind for
    up to a minute would read as "busy" although nothing listens."""
    family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                raise PreflightError(
                    f"Port {port} is busy (another program is listening on it). "
                    f"Stop that program or choose another port: make run PORT={port + 1}"
                ) from error
            raise


def _known_revisions() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    root = Path(__file__).resolve().parent.parent
    config = Config(str(root / "alembic.ini"))
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not SQLite, is damaged, or holds another program's tables."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise PreflightError(
                f"{path} is not a SQLite database. It was left untouched: "
                "move it away or point DATABASE_URL at another file."
            )
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            (verdict,) = connection.execute("PRAGMA quick_check").fetchone()
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revisions = (
                {row[0] for row in connection.execute("SELECT version_num FROM alembic_version")}
                if "alembic_version" in tables
                else set()
            )
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise PreflightError(
            f"{path} is damaged ({error}). It was left untouched: restore a backup."
        ) from error
    if verdict != "ok":
        raise PreflightError(
            f"{path} failed its integrity check ({verdict}). It was left untouched."
        )
    user_tables = {name for name in tables if not name.startswith("sqlite_")}
    if user_tables and not revisions:
        raise PreflightError(
            f"{path} holds tables of another application. It was left untouched: "
            "point DATABASE_URL at another file."
        )
    unknown = revisions - _known_revisions()
    if unknown:
        raise PreflightError(
            f"{path} was migrated by a newer or different version of Tsudoi "
            f"(revision {', '.join(sorted(unknown))}). It was left untouched."
        )


def _redacted(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def check_database(database_url: str) -> None:
    path = sqlite_path(database_url)
    if path is not None:
        check_sqlite_file(path)
        return
    connect_args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
    engine = create_engine(database_url, connect_args=connect_args)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        raise PreflightError(
            f"Cannot reach the database at {_redacted(database_url)}: {reason}. Check DATABASE_URL."
        ) from error
    finally:
        engine.dispose()


def check_redis(redis_url: str) -> None:
    import redis

    client = redis.Redis.from_url(
        redis_url,
        socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
        socket_timeout=CONNECT_TIMEOUT_SECONDS,
    )
    try:
        client.ping()
    except redis.RedisError as error:
        raise PreflightError(
            f"Cannot reach Redis at {_redacted(redis_url)}: {error}. Check REDIS_URL."
        ) from error
    finally:
        client.close()


def check_dkim_key(path: Path) -> None:
    """A DKIM key that cannot sign would fail every mail: refuse it before serving."""
    from dkim.crypto import UnparsableKeyError, parse_pem_private_key

    try:
        parse_pem_private_key(path.read_bytes())
    except (OSError, UnparsableKeyError, ValueError) as error:
        raise PreflightError(
            f"DKIM_PRIVATE_KEY_FILE {path} is not a PEM private key ({error})."
        ) from error


def smtp_warning(smtp: SmtpSettings) -> str | None:
    """Why the SMTP server cannot be used right now, or None. Only a warning: mail
    waits in the outbox and goes out once the server answers."""
    from community_app.mail_transport import SmtpConfigurationError, connect

    try:
        connect(smtp, CONNECT_TIMEOUT_SECONDS).quit()
    except SmtpConfigurationError as error:
        return f"{smtp.redacted()}: {error}. Mails wait in the outbox; check SMTP_URL."
    except (OSError, smtplib.SMTPException) as error:
        reason = str(error).strip() or type(error).__name__
        return (
            f"Cannot reach the SMTP server at {smtp.redacted()} ({reason}). "
            "Mails wait in the outbox and go out once it answers."
        )
    return None


def forged_address_warning(settings: Settings) -> str | None:
    """The loud warning for a trusted proxy whose port is reachable around it, else None."""
    if not settings.exposes_forged_addresses:
        return None
    return (
        f"WARNING: TRUSTED_PROXY_HOPS={settings.trusted_proxy_hops} believes X-Forwarded-For, "
        f"but LISTEN_HOST={settings.listen_host} lets clients reach port {settings.port} "
        "without the proxy: anyone who does can forge their address and bypass the "
        "per-address log-in limits. Firewall the port so that only the proxy reaches it, "
        "or unset LISTEN_HOST (127.0.0.1)."
    )


def run_checks(settings: Settings, *, check_port: bool) -> None:
    """All checks ``make run`` needs before migrating and serving."""
    if check_port:
        check_port_free(settings.port, settings.listen_host)
    check_database(settings.database_url)
    if settings.redis_url:
        check_redis(settings.redis_url)
    if settings.dkim_private_key_file is not None:
        check_dkim_key(settings.dkim_private_key_file)
    if settings.smtp is not None:
        warning = smtp_warning(settings.smtp)
        if warning:
            print(f"warning: {warning}", file=sys.stderr)
