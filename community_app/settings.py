"""Typed settings: the only module that reads environment variables."""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field
from email.utils import parseaddr
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
DEFAULT_SQLITE_PATH = DATA_DIR / "community.db"
SECRET_KEY_FILE = DATA_DIR / ".secret_key"

LOCALES = ("ja", "en")
PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev", "please-change-me"})
MIN_SECRET_LENGTH = 32
MAX_WEB_WORKERS = 32
MAX_PROXY_HOPS = 5
MAX_API_RATE_LIMIT = 100_000


class SettingsError(ValueError):
    """A setting is missing or wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where mail goes (``SMTP_URL``). ``implicit_tls`` for smtps:// (port 465); plain
    smtp:// upgrades with STARTTLS when the server offers it, and must when a password
    is to be sent. The password never appears in ``repr`` or messages."""

    host: str
    port: int
    implicit_tls: bool
    username: str = ""
    password: str = field(default="", repr=False)

    def redacted(self) -> str:
        scheme = "smtps" if self.implicit_tls else "smtp"
        user = f"{self.username}:***@" if self.username else ""
        return f"{scheme}://{user}{self.host}:{self.port}"


@dataclass(frozen=True)
class Settings:
    environment: str
    database_url: str
    redis_url: str | None
    site_url: str
    secret_key: str
    default_timezone: str
    default_locale: str
    seed_demo: bool
    port: int
    send_webhooks: bool = True  # off in the browser tests: no traffic leaves the machine
    fetch_calendars: bool = True  # import partners' calendars (off in the browser tests)
    web_workers: int = 1  # backend worker processes; more than one needs Redis
    trusted_proxy_hops: int = 0  # reverse proxies whose X-Forwarded-For is believed
    site_name: str = "Tsudoi"  # prefixed to every mail subject, shown in mail footers
    smtp: SmtpSettings | None = None  # None: mails are kept in the admin mailbox
    mail_from: str = ""  # the From header: "Name <address>" or an address
    dkim_private_key_file: Path | None = None
    dkim_selector: str = ""
    listen_host: str = "0.0.0.0"  # the address the server binds; loopback behind a proxy
    # The websocket limits (ui/socket_guard.py). Off only in tests that show the attacks
    # they stop still work without them; production refuses to start with them off.
    websocket_guard: bool = True
    api_rate_limit: int = 120  # public API requests per minute per client address; 0: none

    @property
    def is_https(self) -> bool:
        return self.site_url.startswith("https://")

    @property
    def exposes_forged_addresses(self) -> bool:
        """X-Forwarded-For is believed, yet clients can reach the port without the proxy:
        anyone could then claim any address and walk past the per-address limits."""
        return (
            self.trusted_proxy_hops > 0 and not ipaddress.ip_address(self.listen_host).is_loopback
        )

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def cors_allowed_origins(self) -> list[str]:
        # In production the websocket only accepts the site's own origin; a local run
        # may be opened as localhost or 127.0.0.1 on any port the harness picks.
        return [self.site_url] if self.is_production else ["*"]


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip()


def _parse_bool(name: str, raw: str) -> bool:
    lowered = raw.lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, not {raw!r}")


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at psycopg 3, whatever scheme spelling the user chose."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith(("sqlite:", "postgresql+psycopg://")):
        return url
    raise SettingsError(
        f"DATABASE_URL must start with sqlite:/// or postgresql://, not {url.split(':', 1)[0]!r}"
    )


def _local_secret_key() -> str:
    """A random key kept in data/.secret_key so local sessions survive restarts."""
    if SECRET_KEY_FILE.exists():
        return SECRET_KEY_FILE.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    SECRET_KEY_FILE.write_text(key + "\n")
    SECRET_KEY_FILE.chmod(0o600)
    return key


def _secret_key(environment: str) -> str:
    key = _env("SECRET_KEY")
    if environment != "production":
        return key or _local_secret_key()
    if key is None or key.lower() in PLACEHOLDER_SECRETS or len(key) < MIN_SECRET_LENGTH:
        raise SettingsError(
            "SECRET_KEY must be set to a random value of at least "
            f"{MIN_SECRET_LENGTH} characters in production "
            '(python -c "import secrets; print(secrets.token_urlsafe(48))")'
        )
    return key


def _web_workers(redis_url: str | None) -> int:
    """WEB_WORKERS, or a default: one process without Redis (Reflex keeps state in its
    memory then), one per core but at least two with Redis (state is shared there)."""
    raw = _env("WEB_WORKERS")
    if raw is None:
        return 1 if redis_url is None else min(max(2, os.cpu_count() or 1), 8)
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_WEB_WORKERS:
        raise SettingsError(
            f"WEB_WORKERS must be a number between 1 and {MAX_WEB_WORKERS}, not {raw!r}"
        )
    if int(raw) > 1 and redis_url is None:
        raise SettingsError(
            "WEB_WORKERS above 1 needs REDIS_URL: the workers share the pages' state there"
        )
    return int(raw)


def _trusted_proxy_hops() -> int:
    raw = _env("TRUSTED_PROXY_HOPS", "0") or "0"
    if not raw.isdigit() or int(raw) > MAX_PROXY_HOPS:
        raise SettingsError(
            f"TRUSTED_PROXY_HOPS must be a number between 0 and {MAX_PROXY_HOPS}, not {raw!r}"
        )
    return int(raw)


def parse_smtp_url(raw: str) -> SmtpSettings:
    """``smtp://user:pass@host:587`` or ``smtps://host:465``; one-line errors that never
    repeat the password."""
    parts = urlsplit(raw)
    if parts.scheme not in {"smtp", "smtps"}:
        raise SettingsError(
            "SMTP_URL must start with smtp:// or smtps:// (e.g. smtp://user:pass@host:587)"
        )
    try:
        port = parts.port
        host = parts.hostname
    except ValueError:
        raise SettingsError(
            "SMTP_URL has a malformed port (e.g. smtp://user:pass@host:587)"
        ) from None
    if not host or parts.path not in {"", "/"} or parts.query or parts.fragment:
        raise SettingsError(
            "SMTP_URL must be smtp://user:pass@host:port with nothing after the port"
        )
    implicit_tls = parts.scheme == "smtps"
    return SmtpSettings(
        host=host,
        port=port or (465 if implicit_tls else 587),
        implicit_tls=implicit_tls,
        username=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
    )


def _mail_from(smtp: SmtpSettings | None, site_url: str) -> str:
    raw = _env("MAIL_FROM")
    if raw is None:
        if smtp is not None:
            raise SettingsError(
                "MAIL_FROM must be set with SMTP_URL, e.g. MAIL_FROM='Tsudoi <noreply@example.org>'"
            )
        return f"noreply@{urlsplit(site_url).hostname or 'localhost'}"
    _name, address = parseaddr(raw)
    if "\r" in raw or "\n" in raw or "@" not in address or "." not in address.split("@")[-1]:
        raise SettingsError(f"MAIL_FROM must be an address like noreply@example.org, not {raw!r}")
    return raw


def _dkim() -> tuple[Path | None, str]:
    key_file, selector = _env("DKIM_PRIVATE_KEY_FILE"), _env("DKIM_SELECTOR", "") or ""
    if key_file is None:
        return None, ""
    path = Path(key_file)
    if not path.is_file():
        raise SettingsError(f"DKIM_PRIVATE_KEY_FILE {key_file!r} is not a readable file")
    if not selector.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise SettingsError("DKIM_SELECTOR must be set with DKIM_PRIVATE_KEY_FILE (e.g. tsudoi)")
    return path, selector


def _listen_host(trusted_proxy_hops: int) -> str:
    """LISTEN_HOST, or 127.0.0.1 behind a trusted proxy (only the proxy may connect:
    the X-Forwarded-For it sets is believed) and 0.0.0.0 otherwise."""
    default = "127.0.0.1" if trusted_proxy_hops else "0.0.0.0"
    raw = _env("LISTEN_HOST", default) or default
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError as error:
        raise SettingsError(
            f"LISTEN_HOST must be an IP address such as 127.0.0.1 or 0.0.0.0, not {raw!r}"
        ) from error


def _api_rate_limit() -> int:
    raw = _env("API_RATE_LIMIT", "120") or "120"
    if not raw.isdigit() or int(raw) > MAX_API_RATE_LIMIT:
        raise SettingsError(
            f"API_RATE_LIMIT must be a number of requests per minute from 0 (no limit) "
            f"to {MAX_API_RATE_LIMIT}, not {raw!r}"
        )
    return int(raw)


def load_settings() -> Settings:
    """Read and validate the environment; raise SettingsError with a one-line reason."""
    environment = _env("APP_ENV", "development") or "development"
    if environment not in {"development", "production", "test"}:
        raise SettingsError(f"APP_ENV must be development, production or test, not {environment!r}")
    raw_port = _env("PORT", "3000") or "3000"
    if not raw_port.isdigit() or not 0 < int(raw_port) < 65536:
        raise SettingsError(f"PORT must be a number between 1 and 65535, not {raw_port!r}")
    port = int(raw_port)
    timezone = _env("DEFAULT_TIMEZONE", "Asia/Tokyo") or "Asia/Tokyo"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise SettingsError(
            f"DEFAULT_TIMEZONE {timezone!r} is not a known IANA time zone"
        ) from error
    locale = _env("DEFAULT_LOCALE", "ja") or "ja"
    if locale not in LOCALES:
        raise SettingsError(f"DEFAULT_LOCALE must be one of {', '.join(LOCALES)}, not {locale!r}")
    database_url = normalise_database_url(
        _env("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE_PATH}") or ""
    )
    redis_url = _env("REDIS_URL")
    if redis_url is not None and not redis_url.startswith(("redis://", "rediss://")):
        raise SettingsError("REDIS_URL must start with redis:// or rediss://")
    site_url = (_env("SITE_URL", f"http://localhost:{port}") or "").rstrip("/")
    if not site_url.startswith(("http://", "https://")):
        raise SettingsError(f"SITE_URL must start with http:// or https://, not {site_url!r}")
    smtp_url = _env("SMTP_URL")
    smtp = parse_smtp_url(smtp_url) if smtp_url else None
    dkim_key_file, dkim_selector = _dkim()
    hops = _trusted_proxy_hops()
    websocket_guard = _parse_bool("WEBSOCKET_GUARD", _env("WEBSOCKET_GUARD", "true") or "true")
    if not websocket_guard and environment == "production":
        raise SettingsError("WEBSOCKET_GUARD=false is for tests only, never in production")
    return Settings(
        environment=environment,
        database_url=database_url,
        redis_url=redis_url,
        site_url=site_url,
        secret_key=_secret_key(environment),
        default_timezone=timezone,
        default_locale=locale,
        seed_demo=_parse_bool("SEED_DEMO", _env("SEED_DEMO", "true") or "true"),
        port=port,
        send_webhooks=_parse_bool("SEND_WEBHOOKS", _env("SEND_WEBHOOKS", "true") or "true"),
        fetch_calendars=_parse_bool("FETCH_CALENDARS", _env("FETCH_CALENDARS", "true") or "true"),
        web_workers=_web_workers(redis_url),
        site_name=_site_name(),
        smtp=smtp,
        mail_from=_mail_from(smtp, site_url),
        dkim_private_key_file=dkim_key_file,
        dkim_selector=dkim_selector,
        trusted_proxy_hops=hops,
        listen_host=_listen_host(hops),
        websocket_guard=websocket_guard,
        api_rate_limit=_api_rate_limit(),
    )


def _site_name() -> str:
    name = _env("SITE_NAME", "Tsudoi") or "Tsudoi"
    if len(name) > 60 or any(ord(char) < 32 for char in name):
        raise SettingsError("SITE_NAME must be one line of at most 60 characters")
    return name


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
