"""The account mail use cases with their own transactions and limits: sign-up answers
alike, a reset ends every login and lifts a lock-out, the limits hold per address and
per IP, and the mails reach a real SMTP server in the member's language."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from community_app.domain.account_limits import (
    EMAIL_CHANGE_LIMIT_PER_MEMBER,
    RESEND_LIMIT_PER_MEMBER,
    RESET_LIMIT_PER_ACCOUNT,
    RESET_LIMIT_PER_IP,
)
from community_app.domain.errors import DomainError
from community_app.domain.models import AuthSession, MailMessage, Member
from community_app.domain.rate_limits import LOGIN_LIMIT_PER_ACCOUNT
from community_app.mail_delivery import deliver_due
from community_app.ui import account_actions, account_mail_actions
from tests.mail_server import MailServer

pytestmark = pytest.mark.integration
PASSWORD = "tsukiyo-no-kai-77"
NEW_PASSWORD = "atarashii-kagi-88"
IP = "192.0.2.10"
EMAIL = "mika@example.org"


def _sign_up(email: str = EMAIL, *, ip: str = IP, locale: str | None = None) -> None:
    account_mail_actions.sign_up(
        email=email, display_name="美香", password=PASSWORD, ip=ip, locale=locale
    )


def _log_in(email: str, password: str, ip: str = IP) -> str:
    _member, token = account_actions.log_in(
        email=email, password=password, ip=ip, user_agent="pytest"
    )
    return token


def _outbox(engine: Engine) -> list[MailMessage]:
    with Session(engine) as session:
        return list(session.exec(select(MailMessage).order_by(MailMessage.id)).all())  # type: ignore[arg-type]


def _token_in(mail: MailMessage) -> str:
    url = next(word for word in mail.text_body.split() if "token=" in word)
    return parse_qs(urlsplit(url).query)["token"][0]


def test_sign_up_answers_alike_for_a_new_and_a_registered_address(app_database: Engine) -> None:
    first = account_mail_actions.sign_up(email=EMAIL, display_name="美香", password=PASSWORD, ip=IP)
    again = account_mail_actions.sign_up(
        email=EMAIL.upper(), display_name="偽物", password="another-pass-1", ip=IP
    )

    assert first is None and again is None  # no error either way: "check your mailbox"
    verify, notice = _outbox(app_database)
    assert (verify.kind, notice.kind) == ("verify_email", "signup_existing")
    assert verify.to_address == notice.to_address == EMAIL
    with Session(app_database) as session:
        assert session.exec(select(func.count()).select_from(Member)).one() == 1
        assert session.exec(select(func.count()).select_from(AuthSession)).one() == 0


def test_a_new_member_logs_in_before_verifying_and_the_link_verifies(
    app_database: Engine,
) -> None:
    _sign_up()
    token = _log_in(EMAIL, PASSWORD)
    signed_in = account_actions.resolve(token)
    assert signed_in is not None and not signed_in.verified

    account_mail_actions.verify_email(_token_in(_outbox(app_database)[0]))

    signed_in = account_actions.resolve(token)
    assert signed_in is not None and signed_in.verified
    status = account_mail_actions.address_status(token=token)
    assert (status.email, status.verified, status.undeliverable) == (EMAIL, True, False)


def test_resending_the_verification_is_limited(app_database: Engine) -> None:
    _sign_up()
    token = _log_in(EMAIL, PASSWORD)
    for _ in range(RESEND_LIMIT_PER_MEMBER):
        account_mail_actions.resend_verification(token=token)
    with pytest.raises(DomainError) as limited:
        account_mail_actions.resend_verification(token=token)
    assert limited.value.code == "rate_limited"
    assert len(_outbox(app_database)) == 1 + RESEND_LIMIT_PER_MEMBER


def test_a_reset_ends_every_login_lifts_the_lock_out_and_refuses_the_old_password(
    app_database: Engine,
) -> None:
    _sign_up()
    logins = [_log_in(EMAIL, PASSWORD) for _ in range(2)]
    # The owner forgot the password and tried until the account locked.
    for _ in range(LOGIN_LIMIT_PER_ACCOUNT):
        with pytest.raises(DomainError):
            _log_in(EMAIL, "was-it-this-one")
    with pytest.raises(DomainError) as locked:
        _log_in(EMAIL, PASSWORD)
    assert locked.value.code == "rate_limited"  # the control: locked before the reset

    account_mail_actions.request_password_reset(email=EMAIL, ip=IP)
    reset_mail = _outbox(app_database)[-1]
    assert reset_mail.kind == "password_reset"
    account_mail_actions.reset_password(
        token=_token_in(reset_mail), new_password=NEW_PASSWORD, ip=IP
    )

    assert all(account_actions.resolve(login) is None for login in logins)
    with pytest.raises(DomainError) as old:
        _log_in(EMAIL, PASSWORD)
    assert old.value.code == "invalid_credentials"
    assert _log_in(EMAIL, NEW_PASSWORD)


def test_reset_requests_are_limited_per_address_known_or_not(app_database: Engine) -> None:
    _sign_up()
    for address in (EMAIL, "nobody@example.org"):
        for _ in range(RESET_LIMIT_PER_ACCOUNT):
            account_mail_actions.request_password_reset(email=address, ip=IP)
        with pytest.raises(DomainError) as limited:
            account_mail_actions.request_password_reset(email=address, ip=IP)
        assert limited.value.code == "rate_limited"
    resets = [mail for mail in _outbox(app_database) if mail.kind == "password_reset"]
    assert len(resets) == RESET_LIMIT_PER_ACCOUNT  # none for the unknown address


def test_reset_requests_are_limited_per_ip(app_database: Engine) -> None:
    for number in range(RESET_LIMIT_PER_IP):
        account_mail_actions.request_password_reset(email=f"p{number}@example.org", ip=IP)
    with pytest.raises(DomainError) as limited:
        account_mail_actions.request_password_reset(email="one-more@example.org", ip=IP)
    assert limited.value.code == "rate_limited"
    account_mail_actions.request_password_reset(email="one-more@example.org", ip="192.0.2.99")


def test_a_wrong_password_for_a_change_of_address_counts_as_a_failed_login(
    app_database: Engine,
) -> None:
    _sign_up()
    token = _log_in(EMAIL, PASSWORD)
    for _ in range(EMAIL_CHANGE_LIMIT_PER_MEMBER):
        with pytest.raises(DomainError) as wrong:
            account_mail_actions.request_email_change(
                token=token, new_email="m@example.net", current_password="guess-guess", ip=IP
            )
        assert wrong.value.code == "wrong_password"
    with pytest.raises(DomainError) as limited:
        account_mail_actions.request_email_change(
            token=token, new_email="m@example.net", current_password=PASSWORD, ip=IP
        )
    assert limited.value.code == "rate_limited"
    # The guesses also counted against the log-in limit: the rest of it, and it is locked.
    for _ in range(LOGIN_LIMIT_PER_ACCOUNT - EMAIL_CHANGE_LIMIT_PER_MEMBER):
        with pytest.raises(DomainError):
            _log_in(EMAIL, "guess-guess")
    with pytest.raises(DomainError) as locked:
        _log_in(EMAIL, PASSWORD)
    assert locked.value.code == "rate_limited"


@pytest.mark.parametrize("address", ["a..b@docomo.ne.jp", "ab.@ezweb.ne.jp"])
def test_account_mails_reach_an_smtp_server_with_their_link_and_language(
    app_database: Engine, mail_server: MailServer, address: str
) -> None:
    _sign_up(address, locale="en")
    account_mail_actions.request_password_reset(email=address, ip=IP)

    report = asyncio.run(deliver_due(now=datetime.now(UTC), sender=mail_server.sender()))

    assert report.sent == 2
    verify, reset = mail_server.messages
    assert verify.recipients == reset.recipients == [address]
    assert verify.message["To"].addresses[0].addr_spec == address
    assert verify.message["Subject"] == "[Tsudoi] Confirm your e-mail address"
    assert reset.message["Subject"] == "[Tsudoi] Reset your password"
    assert verify.message["Auto-Submitted"] == "auto-generated"
    assert verify.message["List-Unsubscribe"] is None  # account mails cannot be turned off
    link = "https://tsudoi.example/verify-email?token="
    assert link in verify.part("text/plain") and link in verify.part("text/html")
    assert "https://tsudoi.example/reset-password?token=" in reset.part("text/plain")
    assert "Hello 美香," in verify.part("text/plain")
