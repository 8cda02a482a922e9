"""Sign-up answers alike for new and registered addresses, and a new address is
verified by a single-use, expiring link whose token is stored only as a hash."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, func, select

from community_app.domain.account_tokens import hash_token
from community_app.domain.enums import MailCategory
from community_app.domain.errors import DomainError
from community_app.domain.mail import enqueue_mail, may_receive
from community_app.domain.mail_kinds import MailKind
from community_app.domain.models import AccountToken, AuthSession, MailMessage, Member
from community_app.domain.passwords import verify_password
from community_app.domain.registration import resend_verification, sign_up, verify_email
from tests.domain.mail_world import SITE
from tests.factories import make_member

pytestmark = pytest.mark.unit
PASSWORD = "correct horse battery"


def _sign_up(session: Session, now: datetime, **overrides: Any) -> None:
    values: dict[str, Any] = {"email": "sato@example.org", "display_name": "佐藤"}
    sign_up(session, password=PASSWORD, now=now, site=SITE, **(values | overrides))


def _mails(session: Session) -> list[MailMessage]:
    return list(session.exec(select(MailMessage).order_by(MailMessage.id)).all())  # type: ignore[arg-type]


def _token_of(mail: MailMessage) -> str:
    url = next(word for word in mail.text_body.split() if "token=" in word)
    return parse_qs(urlsplit(url).query)["token"][0]


def _member(session: Session, email: str) -> Member:
    return session.exec(select(Member).where(Member.email == email)).one()


def test_signing_up_creates_an_unverified_member_and_mails_the_link(
    session: Session, now: datetime
) -> None:
    _sign_up(session, now, email="Ｓａｔｏ＠Example.ORG", display_name=" 佐藤 ")

    member = _member(session, "sato@example.org")
    assert member.display_name == "佐藤" and member.email_verified_at is None
    assert verify_password(member.password_hash, PASSWORD)
    # Nobody is logged in by signing up: the answer must not differ from a taken address.
    assert session.exec(select(func.count()).select_from(AuthSession)).one() == 0
    (mail,) = _mails(session)
    assert (mail.kind, mail.to_address, mail.member_id) == ("verify_email", member.email, member.id)
    assert mail.subject == "[Tsudoi] メールアドレスの確認"
    assert f"{SITE.url}/verify-email?token=" in mail.text_body


def test_a_registered_address_gets_a_notice_and_the_same_silent_answer(
    session: Session, now: datetime
) -> None:
    owner = make_member(session, email="kei@example.org", locale="en", password_hash="h")

    result = sign_up(
        session,
        email="KEI@EXAMPLE.org",
        display_name="偽",
        password=PASSWORD,
        now=now,
        site=SITE,
    )

    assert result is None  # no error, no account: the visitor sees "check your mailbox"
    assert session.exec(select(func.count()).select_from(Member)).one() == 1
    assert owner.password_hash == "h" and owner.display_name != "偽"
    (mail,) = _mails(session)
    assert (mail.kind, mail.to_address, mail.locale) == ("signup_existing", owner.email, "en")
    assert mail.subject == "[Tsudoi] Someone tried to sign up with your address"
    assert f"{SITE.url}/login" in mail.text_body and f"{SITE.url}/forgot-password" in mail.text_body
    assert session.exec(select(func.count()).select_from(AccountToken)).one() == 0


def test_signing_up_keeps_the_language_the_visitor_was_using(
    session: Session, now: datetime
) -> None:
    _sign_up(session, now, email="amy@example.org", display_name="Amy", locale="en")
    assert _member(session, "amy@example.org").locale == "en"
    assert _mails(session)[0].subject == "[Tsudoi] Confirm your e-mail address"
    with pytest.raises(DomainError):
        _sign_up(session, now, email="bo@example.org", display_name="Bo", locale="fr")


@pytest.mark.parametrize("address", ["a..b@docomo.ne.jp", "ab.@ezweb.ne.jp"])
def test_japanese_carrier_addresses_can_sign_up(
    session: Session, now: datetime, address: str
) -> None:
    _sign_up(session, now, email=address)
    assert _member(session, address).email == address
    assert _mails(session)[0].to_address == address


@pytest.mark.parametrize(
    "overrides",
    [
        {"email": None},
        {"email": ["sato@example.org"]},
        {"email": "not-an-address"},
        {"display_name": ""},
        {"display_name": "x" * 10_000},
        {"password": None},
        {"password": "p" * 7},
        {"password": "p" * 1001},
    ],
)
def test_signing_up_with_junk_stores_and_mails_nothing(
    session: Session, now: datetime, overrides: dict[str, Any]
) -> None:
    values: dict[str, Any] = {
        "email": "sato@example.org",
        "display_name": "佐藤",
        "password": PASSWORD,
    }
    with pytest.raises(DomainError):
        sign_up(session, now=now, site=SITE, **(values | overrides))
    assert session.exec(select(func.count()).select_from(Member)).one() == 0
    assert _mails(session) == []


def test_the_link_verifies_the_address_once_and_is_stored_only_hashed(
    session: Session, now: datetime
) -> None:
    _sign_up(session, now)
    token = _token_of(_mails(session)[0])
    stored = session.exec(select(AccountToken)).one()
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash

    member = verify_email(session, token=token, now=now + timedelta(hours=47))

    assert member.email_verified_at == now + timedelta(hours=47)
    with pytest.raises(DomainError) as reused:
        verify_email(session, token=token, now=now + timedelta(hours=47))
    assert reused.value.code == "link_used"


def test_an_expired_or_altered_link_verifies_nothing(session: Session, now: datetime) -> None:
    _sign_up(session, now)
    token = _token_of(_mails(session)[0])

    with pytest.raises(DomainError) as expired:
        verify_email(session, token=token, now=now + timedelta(hours=48))
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(DomainError) as wrong:
        verify_email(session, token=altered, now=now)
    for junk in (None, "", 42, "x" * 10_000, "トークン"):
        with pytest.raises(DomainError) as junked:
            verify_email(session, token=junk, now=now)
        assert junked.value.code == "link_invalid"

    assert (expired.value.code, wrong.value.code) == ("link_expired", "link_invalid")
    assert _member(session, "sato@example.org").email_verified_at is None


def test_an_unverified_member_gets_account_mails_only(session: Session, now: datetime) -> None:
    _sign_up(session, now)
    member = _member(session, "sato@example.org")
    context = {"group_name": "子育て", "approved": True, "group_path": "/groups/k"}

    assert not may_receive(session, member, MailCategory.PARTICIPATION)
    assert may_receive(session, member, MailCategory.ACCOUNT)
    kind = MailKind.MEMBERSHIP_DECIDED
    assert (
        enqueue_mail(session, member=member, kind=kind, context=context, now=now, site=SITE) is None
    )

    verify_email(session, token=_token_of(_mails(session)[0]), now=now)
    assert enqueue_mail(session, member=member, kind=kind, context=context, now=now, site=SITE)


def test_resending_mails_a_new_link_and_the_old_one_still_works(
    session: Session, now: datetime
) -> None:
    _sign_up(session, now)
    member = _member(session, "sato@example.org")
    assert member.id is not None

    resend_verification(session, member_id=member.id, now=now, site=SITE)

    first, second = (_token_of(mail) for mail in _mails(session))
    assert first != second
    verify_email(session, token=first, now=now)
    with pytest.raises(DomainError) as again:
        resend_verification(session, member_id=member.id, now=now, site=SITE)
    assert again.value.code == "already_verified"


def test_accounts_made_by_others_count_as_verified(session: Session) -> None:
    # Factories, the demo and admin tools build members directly: they are not sign-ups.
    assert make_member(session).email_verified_at is not None
