"""The account use cases with their own transactions: limits hold, failures are counted."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

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

    fresh = account_actions.change_password(
        token=first, current_password=PASSWORD, new_password="atarashii-kagi-88", user_agent="t"
    )

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
