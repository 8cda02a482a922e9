"""Typed settings: the only module that reads environment variables."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
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
    api_rate_limit: int = 120  # public API requests per minute per client address; 0: none

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
        trusted_proxy_hops=_trusted_proxy_hops(),
        api_rate_limit=_api_rate_limit(),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
