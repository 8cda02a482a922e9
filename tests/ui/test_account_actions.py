"""The account use cases with their own transactions: limits hold, failures are counted."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from community_app.domain import sessions
from community_app.domain.errors import DomainError
from community_app.domain.models import Member
from community_app.domain.rate_limits import LOGIN_LIMIT_PER_ACCOUNT
from community_app.ui import account_actions, account_mail_actions

pytestmark = pytest.mark.integration
PASSWORD = "tsukiyo-no-kai-77"
IP = "192.0.2.10"


def _sign_up(email: str = "mika@example.org") -> str:
    """Sign up (which logs nobody in) and log in: the token of that login."""
    account_mail_actions.sign_up(email=email, display_name="美香", password=PASSWORD, ip=IP)
    return _log_in(email, PASSWORD)


def _log_in(email: str, password: str, ip: str = IP) -> str:
    _member, token = account_actions.log_in(
        email=email, password=password, ip=ip, user_agent="pytest"
    )
    return token


def _change(token: str, current: str, new: str, ip: str = IP) -> str:
    return account_actions.change_password(
        token=token, current_password=current, new_password=new, ip=ip, user_agent="pytest"
    )


def test_a_new_account_logs_in_and_log_out_ends_it(app_database: Engine) -> None:
    token = _sign_up()
    signed_in = account_actions.resolve(token)
    assert signed_in is not None and signed_in.display_name == "美香"

    account_actions.log_out(token)

    assert account_actions.resolve(token) is None


def test_failed_logins_are_counted_until_even_the_right_password_is_refused(
    app_database: Engine,
) -> None:
    _sign_up()
    for _ in range(LOGIN_LIMIT_PER_ACCOUNT):
        with pytest.raises(DomainError) as failed:
            _log_in("mika@example.org", "not-the-password")
        assert failed.value.code == "invalid_credentials"

    with pytest.raises(DomainError) as limited:
        _log_in("mika@example.org", PASSWORD)
    assert limited.value.code == "rate_limited"


def test_the_owner_gets_in_from_a_clean_address_while_the_attacker_stays_locked(
    app_database: Engine,
) -> None:
    _sign_up()
    attacker = "203.0.113.66"
    for _ in range(LOGIN_LIMIT_PER_ACCOUNT):
        with pytest.raises(DomainError):
            _log_in("mika@example.org", "guess-guess-guess", ip=attacker)

    # The owner, from a network with no failures, signs in (on main: "rate_limited").
    assert _log_in("mika@example.org", PASSWORD, ip="198.51.100.5")
    # The attacker cannot guess on, not even with the right password.
    with pytest.raises(DomainError) as limited:
        _log_in("mika@example.org", PASSWORD, ip=attacker)
    assert limited.value.code == "rate_limited"


def test_a_successful_login_forgets_earlier_typos(app_database: Engine) -> None:
    _sign_up()
    for _ in range(LOGIN_LIMIT_PER_ACCOUNT - 1):
        with pytest.raises(DomainError):
            _log_in("mika@example.org", "typo-typo-typo")
    assert _log_in("mika@example.org", PASSWORD)
    with pytest.raises(DomainError) as again:
        _log_in("mika@example.org", "typo-typo-typo")
    assert again.value.code == "invalid_credentials"  # not rate_limited: the count restarted


def test_changing_the_password_logs_out_every_other_session(app_database: Engine) -> None:
    first = _sign_up()
    second = _log_in("mika@example.org", PASSWORD)

    fresh = _change(first, PASSWORD, "atarashii-kagi-88")

    assert account_actions.resolve(first) is None
    assert account_actions.resolve(second) is None
    assert account_actions.resolve(fresh) is not None
    assert _log_in("mika@example.org", "atarashii-kagi-88")


def test_a_bad_profile_changes_nothing(app_database: Engine) -> None:
    token = _sign_up()
    with pytest.raises(DomainError) as refused:
        account_actions.save_profile(
            token=token, display_name="x" * 10_000, locale="ja", timezone="Asia/Tokyo"
        )
    assert refused.value.code == "invalid_display_name"
    with Session(app_database) as session:
        member = session.exec(select(Member)).one()
    assert member.display_name == "美香"


def test_a_forged_token_can_change_nothing(app_database: Engine) -> None:
    _sign_up()
    with pytest.raises(DomainError) as refused:
        account_actions.save_profile(
            token="forged-token", display_name="乗っ取り", locale="en", timezone="UTC"
        )
    assert refused.value.code == "not_signed_in"
    with Session(app_database) as session:
        assert session.exec(select(Member)).one().display_name == "美香"


def test_wrong_current_passwords_are_limited_like_logins_and_the_right_one_is_then_refused(
    app_database: Engine,
) -> None:
    # Without the limit (before issue 21) the 26th guess, the right one, changed the password.
    token = _sign_up()
    for _ in range(LOGIN_LIMIT_PER_ACCOUNT):
        with pytest.raises(DomainError) as failed:
            _change(token, "a-wrong-guess", "atarashii-kagi-88")
        assert failed.value.code == "wrong_password"

    with pytest.raises(DomainError) as limited:
        _change(token, PASSWORD, "atarashii-kagi-88")

    assert limited.value.code == "rate_limited"
    with pytest.raises(DomainError):  # the password did not change: the login limit holds too
        _log_in("mika@example.org", "atarashii-kagi-88", ip="198.51.100.7")


def test_the_limit_is_checked_before_argon2_runs(
    app_database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = _sign_up()
    for _ in range(LOGIN_LIMIT_PER_ACCOUNT):
        with pytest.raises(DomainError):
            _change(token, "a-wrong-guess", "atarashii-kagi-88")
    verifications: list[str] = []
    real_verify = sessions.verify_password
    monkeypatch.setattr(
        sessions,
        "verify_password",
        lambda stored, password: verifications.append(password) or real_verify(stored, password),
    )

    for _ in range(5):
        with pytest.raises(DomainError):
            _change(token, "another-guess", "atarashii-kagi-88")

    assert verifications == []


def test_a_right_password_change_under_the_limit_forgets_earlier_typos(
    app_database: Engine,
) -> None:
    # The control for the two tests above: below the limit the right password works.
    token = _sign_up()
    for _ in range(LOGIN_LIMIT_PER_ACCOUNT - 1):
        with pytest.raises(DomainError):
            _change(token, "a-wrong-guess", "atarashii-kagi-88")

    fresh = _change(token, PASSWORD, "atarashii-kagi-88")

    assert account_actions.resolve(fresh) is not None
    with pytest.raises(DomainError) as again:
        _change(fresh, "a-wrong-guess", "mata-atarashii-99")
    assert again.value.code == "wrong_password"  # the account's count restarted
