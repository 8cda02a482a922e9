"""Logins: random tokens stored hashed, expiring, revocable; credentials checked in Argon2."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, func, select

from community_app.domain.errors import DomainError
from community_app.domain.models import AuditLogEntry, AuthSession, Member
from community_app.domain.passwords import hash_password, verify_password
from community_app.domain.sessions import (
    SESSION_ABSOLUTE_LIFETIME,
    SESSION_IDLE_TIMEOUT,
    authenticate,
    change_password,
    end_session,
    hash_token,
    log_in,
    new_token,
    resolve_session,
    revoke_all_sessions,
    start_session,
)
from tests.factories import make_member

pytestmark = pytest.mark.unit

PASSWORD = "correct horse battery"
NEW_PASSWORD = "staple 電池 horse"
EMAIL = "kei@example.org"


@pytest.fixture(scope="module")
def password_hash() -> str:
    """One real Argon2 hash for the whole module: hashing is slow on purpose."""
    return hash_password(PASSWORD)


@pytest.fixture
def member(session: Session, password_hash: str) -> Member:
    return make_member(session, email=EMAIL, display_name="圭", password_hash=password_hash)


def _start(session: Session, member: Member, now: datetime) -> str:
    assert member.id is not None
    return start_session(session, member_id=member.id, now=now)


def _refused(raised: pytest.ExceptionInfo[DomainError]) -> tuple[str, str]:
    return raised.value.code, str(raised.value)


# --- tokens -------------------------------------------------------------------------


def test_a_new_token_carries_at_least_128_random_bits() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(len(token) >= 43 for token in tokens)  # 32 bytes in URL-safe base64


def test_the_database_stores_the_hash_of_the_token_not_the_token(
    session: Session, member: Member, now: datetime
) -> None:
    token = _start(session, member, now)
    stored = session.exec(select(AuthSession)).one()
    assert stored.token_hash == hash_token(token) != token
    assert token not in (stored.token_hash, stored.user_agent)


def test_a_session_expires_absolutely_after_60_days(
    session: Session, member: Member, now: datetime
) -> None:
    _start(session, member, now)
    stored = session.exec(select(AuthSession)).one()
    assert stored.expires_at == now + SESSION_ABSOLUTE_LIFETIME == now + timedelta(days=60)
    assert timedelta(days=14) == SESSION_IDLE_TIMEOUT


def test_a_session_keeps_a_printable_bounded_user_agent(
    session: Session, member: Member, now: datetime
) -> None:
    assert member.id is not None
    start_session(session, member_id=member.id, now=now, user_agent="Firefox\x00\ud800" + "x" * 999)
    stored = session.exec(select(AuthSession)).one()
    assert stored.user_agent == ("Firefox" + "x" * 999)[:255]


# --- resolving ----------------------------------------------------------------------


def test_a_started_session_resolves_to_its_member(
    session: Session, member: Member, now: datetime
) -> None:
    token = _start(session, member, now)
    assert resolve_session(session, token=token, now=now) == member


def test_a_forged_token_resolves_to_nobody(session: Session, member: Member, now: datetime) -> None:
    token = _start(session, member, now)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert resolve_session(session, token=new_token(), now=now) is None
    assert resolve_session(session, token=tampered, now=now) is None
    assert resolve_session(session, token=hash_token(token), now=now) is None


JUNK_TOKENS = [None, 0, 42, 4.2, [], ["t"], {"t": 1}, b"token", "", "é" * 20, "\ud800", "x" * 513]


def test_any_junk_token_resolves_to_nobody(session: Session, now: datetime) -> None:
    for junk in JUNK_TOKENS:
        assert resolve_session(session, token=junk, now=now) is None, junk
        end_session(session, token=junk, now=now)  # and logging it out is a harmless no-op


def test_an_overlong_token_is_refused_even_if_its_hash_were_stored(
    session: Session, member: Member, now: datetime
) -> None:
    huge = "x" * 513
    assert member.id is not None
    session.add(
        AuthSession(
            member_id=member.id,
            token_hash=hash_token(huge),
            created_at=now,
            last_seen_at=now,
            expires_at=now + SESSION_ABSOLUTE_LIFETIME,
        )
    )
    session.flush()
    assert resolve_session(session, token=huge, now=now) is None


def test_a_session_idle_for_14_days_still_resolves(
    session: Session, member: Member, now: datetime
) -> None:
    token = _start(session, member, now)
    assert resolve_session(session, token=token, now=now + SESSION_IDLE_TIMEOUT) == member


def test_a_session_idle_for_longer_than_14_days_resolves_to_nobody(
    session: Session, member: Member, now: datetime
) -> None:
    token = _start(session, member, now)
    later = now + SESSION_IDLE_TIMEOUT + timedelta(seconds=1)
    assert resolve_session(session, token=token, now=later) is None


def test_using_a_session_keeps_it_alive_past_the_idle_timeout(
    session: Session, member: Member, now: datetime
) -> None:
    token = _start(session, member, now)
    assert resolve_session(session, token=token, now=now + timedelta(days=10)) == member
    assert resolve_session(session, token=token, now=now + timedelta(days=20)) == member


def test_a_session_in_daily_use_still_ends_after_its_absolute_lifetime(
    session: Session, member: Member, now: datetime
) -> None:
    token = _start(session, member, now)
    for day in range(1, 60):
        assert resolve_session(session, token=token, now=now + timedelta(days=day)) == member
    assert resolve_session(session, token=token, now=now + SESSION_ABSOLUTE_LIFETIME) is None


def test_last_seen_is_written_at_most_once_a_minute(
    session: Session, member: Member, now: datetime
) -> None:
    token = _start(session, member, now)
    stored = session.exec(select(AuthSession)).one()
    resolve_session(session, token=token, now=now + timedelta(seconds=59))
    assert stored.last_seen_at == now
    resolve_session(session, token=token, now=now + timedelta(seconds=60))
    assert stored.last_seen_at == now + timedelta(seconds=60)


def test_a_read_that_does_not_touch_leaves_last_seen_alone(
    session: Session, member: Member, now: datetime
) -> None:
    token = _start(session, member, now)
    stored = session.exec(select(AuthSession)).one()
    later = now + timedelta(minutes=5)
    assert resolve_session(session, token=token, now=later, touch=False) == member
    assert stored.last_seen_at == now
    assert not session.dirty and not session.new


def test_a_disabled_members_sessions_resolve_to_nobody(
    session: Session, member: Member, now: datetime
) -> None:
    token = _start(session, member, now)
    member.is_disabled = True
    session.flush()
    assert resolve_session(session, token=token, now=now) is None


# --- logging out --------------------------------------------------------------------


def test_a_revoked_token_resolves_to_nobody_and_other_logins_survive(
    session: Session, member: Member, now: datetime
) -> None:
    phone, laptop = _start(session, member, now), _start(session, member, now)
    end_session(session, token=phone, now=now)
    assert resolve_session(session, token=phone, now=now) is None
    assert resolve_session(session, token=laptop, now=now) == member


def test_ending_an_unknown_session_changes_nothing(
    session: Session, member: Member, now: datetime
) -> None:
    token = _start(session, member, now)
    end_session(session, token=new_token(), now=now)
    assert resolve_session(session, token=token, now=now) == member


def test_logging_out_everywhere_revokes_every_login_of_that_member_only(
    session: Session, member: Member, now: datetime
) -> None:
    tokens = [_start(session, member, now) for _ in range(3)]
    other = make_member(session)
    others_token = _start(session, other, now)
    end_session(session, token=tokens[0], now=now)

    assert member.id is not None
    assert revoke_all_sessions(session, member_id=member.id, now=now) == 2

    assert all(resolve_session(session, token=token, now=now) is None for token in tokens)
    assert resolve_session(session, token=others_token, now=now) == other


# --- credentials (each call runs Argon2) --------------------------------------------


def test_the_right_password_authenticates_whatever_the_email_case_or_width(
    session: Session, member: Member, now: datetime
) -> None:
    assert authenticate(session, email="Ｋｅｉ＠Example.ORG", password=PASSWORD, now=now) == member


def test_unknown_email_and_wrong_password_fail_with_the_same_code_and_message(
    session: Session, member: Member, now: datetime
) -> None:
    with pytest.raises(DomainError) as wrong_password:
        authenticate(session, email=EMAIL, password="wrong password", now=now)
    with pytest.raises(DomainError) as unknown_email:
        authenticate(session, email="nobody@example.org", password=PASSWORD, now=now)
    assert _refused(wrong_password) == _refused(unknown_email)
    assert _refused(unknown_email)[0] == "invalid_credentials"


def test_an_unknown_email_costs_an_argon2_verification_too(
    session: Session, member: Member, now: datetime
) -> None:
    def fastest_failure(email: str) -> float:
        durations = []
        for _ in range(2):
            started = time.perf_counter()
            with pytest.raises(DomainError):
                authenticate(session, email=email, password="wrong password", now=now)
            durations.append(time.perf_counter() - started)
        return min(durations)

    # Without the dummy verification an unknown e-mail answers ~100 times faster; the
    # generous margin keeps a busy test machine from failing this.
    assert fastest_failure("nobody@example.org") > fastest_failure(EMAIL) / 10


def test_a_disabled_member_cannot_log_in(session: Session, member: Member, now: datetime) -> None:
    member.is_disabled = True
    session.flush()
    with pytest.raises(DomainError) as raised:
        log_in(session, email=EMAIL, password=PASSWORD, now=now)
    assert _refused(raised) == (
        "invalid_credentials",
        "The e-mail address or password is incorrect.",
    )
    assert session.exec(select(func.count()).select_from(AuthSession)).one() == 0


@pytest.mark.parametrize(
    ("email", "password"),
    [
        (None, PASSWORD),
        ([EMAIL], PASSWORD),
        (EMAIL, None),
        (EMAIL, [PASSWORD]),
        (EMAIL, PASSWORD + "x" * 1000),
        (EMAIL, PASSWORD + "\ud800"),
    ],
)
def test_junk_credentials_fail_like_wrong_ones(
    session: Session, member: Member, now: datetime, email: Any, password: Any
) -> None:
    with pytest.raises(DomainError) as raised:
        log_in(session, email=email, password=password, now=now)
    assert raised.value.code == "invalid_credentials"


def test_every_login_gets_a_new_token_and_both_stay_valid_until_logout(
    session: Session, member: Member, now: datetime
) -> None:
    _, first = log_in(session, email=EMAIL, password=PASSWORD, now=now)
    _, second = log_in(session, email=EMAIL, password=PASSWORD, now=now, user_agent="Safari")
    assert first != second
    assert resolve_session(session, token=first, now=now) == member
    assert resolve_session(session, token=second, now=now) == member
    end_session(session, token=first, now=now)
    assert resolve_session(session, token=first, now=now) is None
    assert resolve_session(session, token=second, now=now) == member


# --- password change ----------------------------------------------------------------


def test_changing_the_password_logs_out_everywhere(
    session: Session, member: Member, now: datetime
) -> None:
    assert member.id is not None
    old_tokens = [_start(session, member, now) for _ in range(2)]

    fresh = change_password(
        session, member_id=member.id, current_password=PASSWORD, new_password=NEW_PASSWORD, now=now
    )

    assert all(resolve_session(session, token=token, now=now) is None for token in old_tokens)
    assert resolve_session(session, token=fresh, now=now) == member
    assert authenticate(session, email=EMAIL, password=NEW_PASSWORD, now=now) == member
    assert not verify_password(member.password_hash, PASSWORD)
    entry = session.exec(select(AuditLogEntry).where(AuditLogEntry.action == "change_password"))
    assert entry.one().target_id == member.id


@pytest.mark.parametrize(
    ("current", "new", "code"),
    [
        ("wrong password", NEW_PASSWORD, "wrong_password"),
        (None, NEW_PASSWORD, "wrong_password"),
        (PASSWORD, "p" * 7, "password_too_short"),
        (PASSWORD, "p" * 1001, "password_too_long"),
        (PASSWORD, None, "invalid_password"),
    ],
)
def test_a_refused_password_change_keeps_password_and_logins(
    session: Session,
    member: Member,
    now: datetime,
    password_hash: str,
    current: Any,
    new: Any,
    code: str,
) -> None:
    assert member.id is not None
    token = _start(session, member, now)
    with pytest.raises(DomainError) as raised:
        change_password(
            session, member_id=member.id, current_password=current, new_password=new, now=now
        )
    assert raised.value.code == code
    assert member.password_hash == password_hash
    assert resolve_session(session, token=token, now=now) == member
