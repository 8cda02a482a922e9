"""Password reset by mail (enumeration-safe, single use, an hour, every login ended) and
the change of address (confirmed at the new address, announced at the old one)."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, func, select

from community_app.domain.account_recovery import (
    confirm_email_change,
    request_email_change,
    request_password_reset,
    reset_password,
)
from community_app.domain.account_tokens import hash_token
from community_app.domain.errors import DomainError
from community_app.domain.mail import mark_undeliverable
from community_app.domain.models import AccountToken, MailMessage, Member
from community_app.domain.passwords import hash_password, verify_password
from community_app.domain.sessions import authenticate, resolve_session, start_session
from tests.domain.mail_world import SITE
from tests.factories import make_member

pytestmark = pytest.mark.unit
PASSWORD = "correct horse battery"
NEW_PASSWORD = "staple 電池 horse"
EMAIL = "kei@example.org"


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def member(session: Session, password_hash: str) -> Member:
    return make_member(session, email=EMAIL, display_name="圭", password_hash=password_hash)


def _mails(session: Session) -> list[MailMessage]:
    return list(session.exec(select(MailMessage).order_by(MailMessage.id)).all())  # type: ignore[arg-type]


def _token_of(mail: MailMessage) -> str:
    url = next(word for word in mail.text_body.split() if "token=" in word)
    return parse_qs(urlsplit(url).query)["token"][0]


def _reset_token(session: Session, now: datetime) -> str:
    request_password_reset(session, email=EMAIL, now=now, site=SITE)
    return _token_of(_mails(session)[-1])


# --- password reset ----------------------------------------------------------------


def test_a_reset_mails_a_one_hour_link_stored_only_hashed(
    session: Session, member: Member, now: datetime
) -> None:
    request_password_reset(session, email=" KEI@example.org ", now=now, site=SITE)

    (mail,) = _mails(session)
    assert (mail.kind, mail.to_address, mail.subject) == (
        "password_reset",
        EMAIL,
        "[Tsudoi] パスワードの再設定",
    )
    token = _token_of(mail)
    stored = session.exec(select(AccountToken)).one()
    assert stored.token_hash == hash_token(token)
    assert stored.expires_at == now + timedelta(hours=1)
    assert token not in stored.token_hash


@pytest.mark.parametrize("email", ["nobody@example.org", "not an address", None, "x" * 5000])
def test_an_unknown_address_gets_the_same_silent_answer_and_nothing_is_stored(
    session: Session, member: Member, now: datetime, email: object
) -> None:
    assert request_password_reset(session, email=email, now=now, site=SITE) is None
    assert _mails(session) == []
    assert session.exec(select(func.count()).select_from(AccountToken)).one() == 0


def test_a_disabled_account_gets_no_reset_mail(
    session: Session, member: Member, now: datetime
) -> None:
    member.is_disabled = True
    request_password_reset(session, email=EMAIL, now=now, site=SITE)
    assert _mails(session) == []


def test_resetting_sets_the_password_and_ends_every_login(
    session: Session, member: Member, now: datetime
) -> None:
    assert member.id is not None
    logins = [start_session(session, member_id=member.id, now=now) for _ in range(2)]
    token = _reset_token(session, now)

    reset_password(session, token=token, new_password=NEW_PASSWORD, now=now + timedelta(minutes=59))

    later = now + timedelta(hours=1)
    assert all(resolve_session(session, token=login, now=later) is None for login in logins)
    assert authenticate(session, email=EMAIL, password=NEW_PASSWORD, now=later) == member
    with pytest.raises(DomainError):
        authenticate(session, email=EMAIL, password=PASSWORD, now=later)
    with pytest.raises(DomainError) as reused:
        reset_password(session, token=token, new_password="another-one-99", now=later)
    assert reused.value.code == "link_used"


def test_an_expired_or_superseded_reset_link_changes_nothing(
    session: Session, member: Member, now: datetime
) -> None:
    old = _reset_token(session, now)
    newer = _reset_token(session, now)

    with pytest.raises(DomainError) as superseded:
        reset_password(session, token=old, new_password=NEW_PASSWORD, now=now)
    with pytest.raises(DomainError) as expired:
        reset_password(
            session, token=newer, new_password=NEW_PASSWORD, now=now + timedelta(hours=1)
        )

    assert (superseded.value.code, expired.value.code) == ("link_used", "link_expired")
    assert verify_password(member.password_hash, PASSWORD)


def test_a_too_short_password_keeps_the_link_usable(
    session: Session, member: Member, now: datetime
) -> None:
    token = _reset_token(session, now)
    with pytest.raises(DomainError) as short:
        reset_password(session, token=token, new_password="short", now=now)
    assert short.value.code == "password_too_short"
    reset_password(session, token=token, new_password=NEW_PASSWORD, now=now)


def test_a_reset_link_proves_the_address(session: Session, member: Member, now: datetime) -> None:
    member.email_verified_at = None
    reset_password(session, token=_reset_token(session, now), new_password=NEW_PASSWORD, now=now)
    assert member.email_verified_at == now


# --- change of address -------------------------------------------------------------


def _request_change(session: Session, member: Member, now: datetime, address: str) -> None:
    assert member.id is not None
    request_email_change(
        session,
        member_id=member.id,
        new_email=address,
        current_password=PASSWORD,
        now=now,
        site=SITE,
    )


def test_the_address_changes_only_when_the_new_one_confirms(
    session: Session, member: Member, now: datetime
) -> None:
    _request_change(session, member, now, "Kei.New@Example.org")

    (confirm,) = _mails(session)
    assert member.email == EMAIL  # nothing changed yet
    assert (confirm.kind, confirm.to_address) == ("email_change_confirm", "kei.new@example.org")

    confirm_email_change(session, token=_token_of(confirm), now=now, site=SITE)

    assert member.email == "kei.new@example.org" and member.email_verified_at == now
    notice = _mails(session)[-1]
    assert (notice.kind, notice.to_address) == ("email_changed", EMAIL)
    assert "k***@example.org" in notice.text_body and "kei.new@" not in notice.text_body
    with pytest.raises(DomainError) as reused:
        confirm_email_change(session, token=_token_of(confirm), now=now, site=SITE)
    assert reused.value.code == "link_used"


def test_changing_the_address_clears_the_undeliverable_mark(
    session: Session, member: Member, now: datetime
) -> None:
    mark_undeliverable(member, reason="550 no such user", now=now)
    _request_change(session, member, now, "kei@example.net")
    confirm_email_change(session, token=_token_of(_mails(session)[0]), now=now, site=SITE)
    assert member.email_undeliverable_at is None and member.email_undeliverable_reason == ""


def test_a_change_needs_the_current_password(
    session: Session, member: Member, now: datetime
) -> None:
    assert member.id is not None
    with pytest.raises(DomainError) as wrong:
        request_email_change(
            session,
            member_id=member.id,
            new_email="kei@example.net",
            current_password="guess",
            now=now,
            site=SITE,
        )
    assert wrong.value.code == "wrong_password" and _mails(session) == []


def test_an_address_of_another_account_gets_no_mail_and_the_same_answer(
    session: Session, member: Member, now: datetime
) -> None:
    make_member(session, email="taken@example.org")
    _request_change(session, member, now, "taken@example.org")
    assert _mails(session) == []


def test_an_address_taken_before_the_link_is_opened_is_refused(
    session: Session, member: Member, now: datetime
) -> None:
    _request_change(session, member, now, "kei@example.net")
    make_member(session, email="kei@example.net")
    with pytest.raises(DomainError) as taken:
        confirm_email_change(session, token=_token_of(_mails(session)[0]), now=now, site=SITE)
    assert taken.value.code == "email_unavailable"


def test_old_verification_and_reset_links_die_with_the_old_address(
    session: Session, member: Member, now: datetime
) -> None:
    reset = _reset_token(session, now)
    _request_change(session, member, now, "kei@example.net")
    confirm_email_change(session, token=_token_of(_mails(session)[-1]), now=now, site=SITE)
    with pytest.raises(DomainError):
        reset_password(session, token=reset, new_password=NEW_PASSWORD, now=now)
