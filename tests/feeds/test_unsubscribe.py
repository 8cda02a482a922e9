"""One-click unsubscribe over HTTP: the link in a mail's List-Unsubscribe header works
without logging in (RFC 8058 POST), GET only asks, and forged or redirected links
change nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from community_app.domain.enums import MailCategory
from community_app.domain.mail import enqueue_mail
from community_app.domain.mail_kinds import MailKind
from community_app.domain.mail_preferences import mail_preferences, unsubscribe_signature
from community_app.feeds.app import create_feeds_app
from community_app.settings import get_settings
from tests.factories import make_member

pytestmark = pytest.mark.integration

SITE = "https://tsudoi.example"
DECIDED = {"group_name": "子育て", "approved": True, "group_path": "/groups/k"}


def _send(method: str, path: str, **kwargs: object) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_feeds_app())
        async with httpx.AsyncClient(transport=transport, base_url=SITE) as client:
            return await client.request(method, path, **kwargs)  # type: ignore[arg-type]

    return asyncio.run(go())


def _members(engine: Engine, *locales: str) -> list[int]:
    with Session(engine) as session:
        members = [make_member(session, locale=locale) for locale in locales]
        session.commit()
        return [member.id for member in members if member.id is not None]


def _link_of_a_real_mail(engine: Engine, member_id: int) -> str:
    with Session(engine) as session:
        from community_app.domain.models import Member

        member = session.get(Member, member_id)
        assert member is not None
        row = enqueue_mail(
            session,
            member=member,
            kind=MailKind.MEMBERSHIP_DECIDED,
            context=DECIDED,
            now=datetime.now(UTC),
        )
        assert row is not None
        session.commit()
        return row.list_unsubscribe_url.removeprefix(SITE)


def _receives(engine: Engine, member_id: int, category: MailCategory) -> bool:
    with Session(engine) as session:
        return mail_preferences(session, member_id=member_id)[category]


def _path(member_id: object, category: str, signature: str) -> str:
    return f"/mail/unsubscribe/{member_id}/{category}/{signature}"


def _signature(member_id: int, category: MailCategory) -> str:
    secret = get_settings().secret_key
    return unsubscribe_signature(member_id=member_id, category=category, secret=secret)


def test_one_click_post_from_the_mail_header_unsubscribes(app_database: Engine) -> None:
    (member_id,) = _members(app_database, "en")
    path = _link_of_a_real_mail(app_database, member_id)

    response = _send("POST", path, data={"List-Unsubscribe": "One-Click"})
    again = _send("POST", path, data={"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200 and again.status_code == 200
    assert 'lang="en"' in response.text and "no longer get mails of this kind" in response.text
    assert not _receives(app_database, member_id, MailCategory.PARTICIPATION)
    assert _receives(app_database, member_id, MailCategory.IDEAS)
    assert response.headers["referrer-policy"] == "no-referrer"


def test_opening_the_link_only_asks(app_database: Engine) -> None:
    (member_id,) = _members(app_database, "ja")
    path = _link_of_a_real_mail(app_database, member_id)

    response = _send("GET", path)

    assert response.status_code == 200
    assert 'lang="ja"' in response.text and 'method="post"' in response.text
    assert "参加登録・キャンセル待ち" in response.text
    assert _receives(app_database, member_id, MailCategory.PARTICIPATION)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_forged_and_redirected_links_change_nothing(app_database: Engine, method: str) -> None:
    owner, victim = _members(app_database, "ja", "ja")
    own = _signature(owner, MailCategory.PARTICIPATION)
    attempts = [
        _path(victim, "participation", own),  # the owner's signature on another member
        _path(owner, "ideas", own),  # ... on another category
        _path(owner, "participation", own[:-2] + "AA"),  # altered
        _path(owner, "account", _signature(owner, MailCategory.ACCOUNT)),  # never allowed
        _path("1e3", "participation", own),
        _path(99999999999, "participation", own),
    ]

    for path in attempts:
        response = _send(method, path, headers={"Accept-Language": "en"})
        assert response.status_code == 400, path
        assert "not valid" in response.text

    assert all(mail_preferences(Session(app_database), member_id=victim).values())
    assert all(mail_preferences(Session(app_database), member_id=owner).values())
    # Control: the owner's own link is genuine and works.
    assert _send(method, _path(owner, "participation", own)).status_code == 200
