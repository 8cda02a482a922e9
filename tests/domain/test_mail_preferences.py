"""Mail switches per category, and unsubscribe links nobody can forge or redirect."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import Session

from community_app.domain.enums import MailCategory
from community_app.domain.errors import DomainError
from community_app.domain.mail_preferences import (
    check_unsubscribe_link,
    mail_preferences,
    set_mail_preference,
    unsubscribe_signature,
)
from tests.domain.mail_world import SITE
from tests.factories import make_member

pytestmark = pytest.mark.unit

P = MailCategory.PARTICIPATION


def _signature(member_id: int = 7, category: MailCategory = P, secret: str = SITE.secret) -> str:
    return unsubscribe_signature(member_id=member_id, category=category, secret=secret)


def test_a_genuine_link_names_its_member_and_category() -> None:
    assert check_unsubscribe_link(
        member_id=7, category="participation", signature=_signature(), secret=SITE.secret
    ) == (7, P)


@pytest.mark.parametrize(
    ("member_id", "category", "signature"),
    [
        (8, "participation", _signature()),  # another member with this member's signature
        (7, "ideas", _signature()),  # another category
        (7, "participation", _signature(secret="another-site-secret-0123456789abcdef")),
        (7, "participation", _signature()[:-1] + "A"),  # altered
        (7, "participation", ""),
        (7, "account", _signature(category=MailCategory.ACCOUNT)),  # never unsubscribable
        ("7", "participation", _signature()),
        (7, "nonsense", _signature()),
        (7, "participation", None),
    ],
)
def test_a_forged_or_redirected_link_is_refused(
    member_id: object, category: object, signature: object
) -> None:
    with pytest.raises(DomainError) as error:
        check_unsubscribe_link(
            member_id=member_id, category=category, signature=signature, secret=SITE.secret
        )
    assert error.value.code == "invalid_unsubscribe_link"


def test_switches_turn_categories_off_and_on(session: Session, now: datetime) -> None:
    member = make_member(session)
    assert all(mail_preferences(session, member_id=member.id).values())

    set_mail_preference(session, member_id=member.id, category="ideas", enabled=False, now=now)
    set_mail_preference(session, member_id=member.id, category="ideas", enabled=False, now=now)
    assert mail_preferences(session, member_id=member.id)[MailCategory.IDEAS] is False

    set_mail_preference(session, member_id=member.id, category="ideas", enabled=True, now=now)
    assert mail_preferences(session, member_id=member.id)[MailCategory.IDEAS] is True


@pytest.mark.parametrize(
    ("category", "enabled"), [("account", False), ("bogus", False), ("ideas", "no"), (None, True)]
)
def test_bad_switches_are_refused(
    session: Session, now: datetime, category: object, enabled: object
) -> None:
    member = make_member(session)

    with pytest.raises(DomainError):
        set_mail_preference(
            session, member_id=member.id, category=category, enabled=enabled, now=now
        )
