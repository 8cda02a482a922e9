"""Settings: safe local defaults, and production refuses what would be unsafe."""

from __future__ import annotations

import pytest

from community_app.settings import SettingsError, load_settings, normalise_database_url

pytestmark = pytest.mark.unit
STRONG_SECRET = "k" * 48


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "APP_ENV",
        "DATABASE_URL",
        "REDIS_URL",
        "SITE_URL",
        "SECRET_KEY",
        "PORT",
        "DEFAULT_TIMEZONE",
        "DEFAULT_LOCALE",
        "SEED_DEMO",
        "SEND_WEBHOOKS",
        "WEB_WORKERS",
        "TRUSTED_PROXY_HOPS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", STRONG_SECRET)


def test_defaults_give_a_local_sqlite_site_in_tokyo() -> None:
    settings = load_settings()
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("data/community.db")
    assert settings.default_timezone == "Asia/Tokyo"
    assert settings.default_locale == "ja"
    assert settings.port == 3000 and settings.site_url == "http://localhost:3000"
    assert settings.seed_demo is True and settings.redis_url is None
    assert settings.send_webhooks is True


@pytest.mark.parametrize("placeholder", ["changeme", "secret", "short-but-real"])
def test_production_refuses_placeholder_or_short_secret_keys(
    monkeypatch: pytest.MonkeyPatch, placeholder: str
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", placeholder)
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        load_settings()


def test_production_accepts_a_strong_secret_and_locks_cors_to_the_site(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SITE_URL", "https://tsudoi.example/")
    settings = load_settings()
    assert settings.site_url == "https://tsudoi.example"
    assert settings.cors_allowed_origins == ["https://tsudoi.example"]


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PORT", "eighty", "PORT"),
        ("PORT", "70000", "PORT"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus", "DEFAULT_TIMEZONE"),
        ("DEFAULT_LOCALE", "fr", "DEFAULT_LOCALE"),
        ("DATABASE_URL", "mysql://db/x", "DATABASE_URL"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL"),
        ("SEED_DEMO", "maybe", "SEED_DEMO"),
        ("APP_ENV", "staging", "APP_ENV"),
    ],
)
def test_bad_values_are_refused_with_the_setting_named(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message):
        load_settings()


@pytest.mark.parametrize(
    "url", ["postgres://u@h/db", "postgresql://u@h/db", "postgresql+psycopg2://u@h/db"]
)
def test_postgresql_urls_use_psycopg_3(url: str) -> None:
    assert normalise_database_url(url) == "postgresql+psycopg://u@h/db"


def test_one_worker_without_redis_and_several_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().web_workers == 1
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    assert load_settings().web_workers >= 2
    monkeypatch.setenv("WEB_WORKERS", "3")
    assert load_settings().web_workers == 3


@pytest.mark.parametrize("raw", ["0", "-1", "two", "33"])
def test_web_workers_must_be_a_sensible_count(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("WEB_WORKERS", raw)
    with pytest.raises(SettingsError, match="WEB_WORKERS"):
        load_settings()


def test_several_workers_without_redis_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each worker would keep its own copy of every page's state: a reconnect to
    # another worker would find the page empty.
    monkeypatch.setenv("WEB_WORKERS", "2")
    with pytest.raises(SettingsError, match="REDIS_URL"):
        load_settings()


def test_proxy_hops_default_to_none_and_refuse_nonsense(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().trusted_proxy_hops == 0
    monkeypatch.setenv("TRUSTED_PROXY_HOPS", "1")
    assert load_settings().trusted_proxy_hops == 1
    monkeypatch.setenv("TRUSTED_PROXY_HOPS", "yes")
    with pytest.raises(SettingsError, match="TRUSTED_PROXY_HOPS"):
        load_settings()


def test_the_api_rate_limit_defaults_to_120_a_minute_and_refuses_nonsense(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("API_RATE_LIMIT", raising=False)
    assert load_settings().api_rate_limit == 120
    monkeypatch.setenv("API_RATE_LIMIT", "0")
    assert load_settings().api_rate_limit == 0
    monkeypatch.setenv("API_RATE_LIMIT", "-5")
    with pytest.raises(SettingsError, match="API_RATE_LIMIT"):
        load_settings()
