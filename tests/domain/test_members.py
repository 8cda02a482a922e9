"""Accounts: what people type is checked, normalised and stored only when valid."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, func, select

from community_app.domain.errors import DomainError, NotFound
from community_app.domain.members import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    create_member,
    normalise_email,
    set_locale,
    set_password_hash,
    update_profile,
    validate_display_name,
    validate_email,
    validate_locale,
    validate_new_account,
    validate_password,
    validate_timezone,
)
from community_app.domain.models import AuditLogEntry, Member
from tests.factories import make_member

pytestmark = pytest.mark.unit

JUNK = [None, 42, 4.2, ["kei@example.org"], {"email": "kei@example.org"}, b"kei@example.org"]


def _code(raised: pytest.ExceptionInfo[DomainError]) -> str:
    return raised.value.code


def _new_member_id(session: Session, **overrides: Any) -> int:
    member_id = make_member(session, **overrides).id
    assert member_id is not None
    return member_id


def _member_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Member)).one()


# --- e-mail ---------------------------------------------------------------------------


def test_a_full_width_email_normalises_to_ascii_lower_case() -> None:
    assert normalise_email("　Ｋｅｉ＠Example.ORG ") == "kei@example.org"
    assert validate_email("Ｋｅｉ＠Example.ORG") == "kei@example.org"


@pytest.mark.parametrize(
    "email",
    [
        "",
        "   ",
        "kei.example.org",
        "kei @example.org",
        "kei@exa mple.org",
        "kei@@example.org",
        "kei@mail@example.org",
        "kei@example",
        "@example.org",
        "kei@",
        "kei\x00@example.org",
        "kei\u202e@example.org",
        "kei@example.org\n.evil",
        "k" * 10_000 + "@example.org",
    ],
)
def test_a_malformed_email_is_refused(email: str) -> None:
    with pytest.raises(DomainError) as raised:
        validate_email(email)
    assert _code(raised) == "invalid_email"


def test_an_email_of_254_characters_is_accepted_and_255_refused() -> None:
    domain = "@example.org"
    assert validate_email("k" * (254 - len(domain)) + domain)
    with pytest.raises(DomainError) as raised:
        validate_email("k" * (255 - len(domain)) + domain)
    assert _code(raised) == "invalid_email"


@pytest.mark.parametrize("junk", JUNK)
def test_an_email_that_is_not_a_string_is_refused(junk: Any) -> None:
    with pytest.raises(DomainError) as raised:
        validate_email(junk)
    assert _code(raised) == "invalid_email"


# --- display name -------------------------------------------------------------------


def test_a_display_name_is_stripped_and_may_hold_japanese_and_emoji() -> None:
    assert validate_display_name("  圭 👨‍👩‍👧  ") == "圭 👨‍👩‍👧"
    assert validate_display_name("名" * 80) == "名" * 80


@pytest.mark.parametrize(
    "name", ["", "   ", "\u3000", "x" * 81, "x" * 10_000, "ke\x00i", "ke\ni", "\u202eiek", *JUNK]
)
def test_an_empty_long_or_odd_display_name_is_refused(name: Any) -> None:
    with pytest.raises(DomainError) as raised:
        validate_display_name(name)
    assert _code(raised) == "invalid_display_name"


# --- password -----------------------------------------------------------------------


def test_the_password_limits_are_8_and_1000_characters() -> None:
    assert (MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH) == (8, 1000)


@pytest.mark.parametrize("password", ["p" * 8, "パスワード長いです", "p" * 1000])
def test_a_password_of_8_to_1000_characters_is_accepted(password: str) -> None:
    validate_password(password)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("", "password_too_short"),
        ("p" * 7, "password_too_short"),
        ("p" * 1001, "password_too_long"),
        ("p" * 10_000_000, "password_too_long"),
        ("pass\ud800word", "invalid_password"),
        *((junk, "invalid_password") for junk in JUNK),
    ],
)
def test_a_password_outside_the_rules_is_refused(password: Any, code: str) -> None:
    with pytest.raises(DomainError) as raised:
        validate_password(password)
    assert _code(raised) == code


def test_a_new_account_returns_the_normalised_email() -> None:
    email = validate_new_account(
        email="Ｋｅｉ＠Example.ORG", display_name="圭", password="correct horse"
    )
    assert email == "kei@example.org"


def test_a_new_account_reports_the_first_problem() -> None:
    with pytest.raises(DomainError) as raised:
        validate_new_account(email="nope", display_name="", password="short")
    assert _code(raised) == "invalid_email"


# --- create_member ------------------------------------------------------------------


def test_a_member_is_stored_with_the_normalised_email_and_audited(
    session: Session, now: datetime
) -> None:
    member = create_member(
        session, email="Ｋｅｉ＠Example.ORG", display_name=" 圭 ", password_hash="h", now=now
    )
    assert (member.email, member.display_name) == ("kei@example.org", "圭")
    entry = session.exec(select(AuditLogEntry).where(AuditLogEntry.target_id == member.id)).one()
    assert (entry.action, entry.target_type, entry.at) == ("create_member", "member", now)


def test_a_mixed_case_duplicate_email_is_refused_without_saying_it_is_registered(
    session: Session, now: datetime
) -> None:
    create_member(session, email="kei@example.org", display_name="圭", password_hash="h", now=now)
    with pytest.raises(DomainError) as raised:
        create_member(
            session, email="KEI@Example.org", display_name="偽", password_hash="h", now=now
        )
    assert _code(raised) == "email_taken"
    assert str(raised.value) == "This e-mail address cannot be used."
    assert _member_count(session) == 1


@pytest.mark.parametrize("junk", JUNK)
def test_create_member_with_junk_stores_nothing(session: Session, now: datetime, junk: Any) -> None:
    with pytest.raises(DomainError):
        create_member(session, email=junk, display_name="圭", password_hash="h", now=now)
    with pytest.raises(DomainError):
        create_member(
            session, email="kei@example.org", display_name=junk, password_hash="h", now=now
        )
    assert _member_count(session) == 0


def test_a_sign_up_losing_a_race_for_the_same_email_gets_email_taken(
    engine: Engine, session: Session, now: datetime
) -> None:
    """PostgreSQL only: there a second writer's look-up misses the first's uncommitted row
    and its insert waits on the unique index. (SQLite's write lock serialises them.)"""
    if engine.dialect.name != "postgresql":
        pytest.skip("the race needs concurrent writers (PostgreSQL)")
    create_member(session, email="kei@example.org", display_name="圭", password_hash="h", now=now)
    outcome: dict[str, Any] = {}

    def second_sign_up() -> None:
        with Session(engine) as other:
            outcome["pid"] = other.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar()
            try:
                create_member(
                    other, email="kei@example.org", display_name="偽", password_hash="h", now=now
                )
            except Exception as error:  # the assertion below names it
                outcome["error"] = error

    racer = threading.Thread(target=second_sign_up)
    racer.start()
    _wait_until_blocked_on_a_lock(engine, outcome)
    session.commit()
    racer.join(timeout=30)

    error = outcome.get("error")
    assert isinstance(error, DomainError) and error.code == "email_taken", error


def _wait_until_blocked_on_a_lock(engine: Engine, outcome: dict[str, Any]) -> None:
    deadline = time.monotonic() + 20
    with engine.connect() as observer:
        while time.monotonic() < deadline:
            if "pid" in outcome:
                waiting = observer.execute(
                    text("SELECT wait_event_type FROM pg_stat_activity WHERE pid = :pid"),
                    {"pid": outcome["pid"]},
                ).scalar()
                if waiting == "Lock":
                    return
            time.sleep(0.02)
    pytest.fail("the second sign-up never waited on the first one's row")


# --- profile and password hash ------------------------------------------------------


def test_a_member_updates_name_locale_and_timezone(session: Session, now: datetime) -> None:
    member_id = _new_member_id(session)
    later = now + timedelta(hours=1)
    update_profile(
        session,
        member_id=member_id,
        display_name=" Kei ",
        locale="en",
        timezone="Europe/London",
        now=later,
    )
    session.expire_all()
    stored = session.get(Member, member_id)
    assert stored is not None
    assert (stored.display_name, stored.locale, stored.timezone) == ("Kei", "en", "Europe/London")
    assert stored.updated_at == later


@pytest.mark.parametrize("locale", ["fr", "JA", "ja-JP", "", *JUNK])
def test_a_locale_other_than_japanese_or_english_is_refused(locale: Any) -> None:
    with pytest.raises(DomainError) as raised:
        validate_locale(locale)
    assert _code(raised) == "invalid_locale"


@pytest.mark.parametrize(
    "timezone",
    [
        "Mars/Olympus_Mons",
        "asia/tokyo",
        "JST",
        "../../etc/passwd",
        "/usr/share/zoneinfo/Asia/Tokyo",
        "Asia/Tokyo\x00",
        "",
        *JUNK,
    ],
)
def test_a_timezone_outside_the_iana_database_is_refused(timezone: Any) -> None:
    with pytest.raises(DomainError) as raised:
        validate_timezone(timezone)
    assert _code(raised) == "invalid_timezone"


@pytest.mark.parametrize("timezone", ["Asia/Tokyo", "UTC", "America/Argentina/Buenos_Aires"])
def test_an_iana_timezone_is_accepted(timezone: str) -> None:
    assert validate_timezone(timezone) == timezone


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("display_name", "x" * 10_000, "invalid_display_name"),
        ("locale", ["en"], "invalid_locale"),
        ("timezone", "Mars/Olympus_Mons", "invalid_timezone"),
    ],
)
def test_an_invalid_profile_change_is_refused_and_changes_nothing(
    session: Session, now: datetime, field: str, value: Any, code: str
) -> None:
    member_id = _new_member_id(session, display_name="圭")
    values: dict[str, Any] = {"display_name": "Kei", "locale": "en", "timezone": "UTC"}
    with pytest.raises(DomainError) as raised:
        update_profile(session, member_id=member_id, now=now, **(values | {field: value}))
    assert _code(raised) == code
    session.expire_all()
    stored = session.get(Member, member_id)
    assert stored is not None
    assert (stored.display_name, stored.locale, stored.timezone) == ("圭", "ja", "Asia/Tokyo")


def test_updating_the_profile_of_nobody_is_not_found(session: Session, now: datetime) -> None:
    with pytest.raises(NotFound):
        update_profile(
            session, member_id=999_999, display_name="Kei", locale="en", timezone="UTC", now=now
        )


def test_the_language_switch_is_remembered_without_touching_the_profile_time(
    session: Session,
) -> None:
    member_id = _new_member_id(session)
    before = session.get(Member, member_id)
    assert before is not None and before.locale == "ja"
    updated_at = before.updated_at
    set_locale(session, member_id=member_id, locale="en")
    session.expire_all()
    stored = session.get(Member, member_id)
    assert stored is not None
    assert (stored.locale, stored.updated_at) == ("en", updated_at)


@pytest.mark.parametrize("locale", ["fr", "", None, ["en"], "EN"])
def test_an_unknown_language_is_refused_and_changes_nothing(session: Session, locale: Any) -> None:
    member_id = _new_member_id(session)
    with pytest.raises(DomainError) as raised:
        set_locale(session, member_id=member_id, locale=locale)
    assert _code(raised) == "invalid_locale"
    session.expire_all()
    stored = session.get(Member, member_id)
    assert stored is not None and stored.locale == "ja"


def test_setting_a_password_hash_stores_it(session: Session, now: datetime) -> None:
    member_id = _new_member_id(session)
    set_password_hash(session, member_id=member_id, password_hash="$argon2id$new", now=now)
    session.expire_all()
    stored = session.get(Member, member_id)
    assert stored is not None
    assert (stored.password_hash, stored.updated_at) == ("$argon2id$new", now)
