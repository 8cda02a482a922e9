"""The mail outbox: who gets which mail, rendered in their language, with one-click
unsubscribe for optional categories and headers nobody can inject into."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import Session, select

from community_app.domain.enums import MailCategory, MailStatus
from community_app.domain.mail import (
    clear_undeliverable,
    enqueue_mail,
    enqueue_mail_to_address,
    mark_undeliverable,
)
from community_app.domain.mail_kinds import MailKind
from community_app.domain.mail_preferences import set_mail_preference
from community_app.domain.models import MailMessage
from tests.domain.mail_world import SITE
from tests.factories import make_member

pytestmark = pytest.mark.unit

DECIDED = {"group_name": "子育て", "approved": True, "group_path": "/groups/k"}


def _decided(session: Session, member_id: int, now: datetime) -> MailMessage | None:
    from community_app.domain.models import Member

    member = session.get(Member, member_id)
    assert member is not None
    return enqueue_mail(
        session,
        member=member,
        kind=MailKind.MEMBERSHIP_DECIDED,
        context=DECIDED,
        now=now,
        site=SITE,
    )


def test_a_mail_is_queued_in_the_members_language(session: Session, now: datetime) -> None:
    member = make_member(session, locale="en", display_name="Hana")

    row = _decided(session, member.id, now)
    session.commit()

    assert row is not None
    stored = session.exec(select(MailMessage)).one()
    assert (stored.to_address, stored.to_name, stored.locale) == (member.email, "Hana", "en")
    assert stored.subject == "[Tsudoi] Your request to join “子育て” was approved"
    assert stored.status is MailStatus.QUEUED and stored.next_attempt_at == now
    assert stored.category is MailCategory.PARTICIPATION
    assert stored.message_id.startswith("<") and stored.message_id.endswith("@tsudoi.example>")
    assert "Hello Hana," in stored.text_body and "<html" in stored.html_body


def test_optional_mails_carry_an_unsubscribe_link_for_this_member_and_category(
    session: Session, now: datetime
) -> None:
    member = make_member(session)

    row = _decided(session, member.id, now)

    assert row is not None
    prefix = f"{SITE.url}/mail/unsubscribe/{member.id}/participation/"
    assert row.list_unsubscribe_url.startswith(prefix)
    assert row.list_unsubscribe_url in row.text_body


def test_account_mails_have_no_unsubscribe_link(session: Session, now: datetime) -> None:
    member = make_member(session)

    row = enqueue_mail(
        session,
        member=member,
        kind=MailKind.TEST,
        context={"requested_by": "admin"},
        now=now,
        site=SITE,
    )

    assert row is not None and row.list_unsubscribe_url == ""


def test_a_category_turned_off_sends_nothing_but_account_mails_still_go(
    session: Session, now: datetime
) -> None:
    member = make_member(session)
    set_mail_preference(
        session, member_id=member.id, category="participation", enabled=False, now=now
    )

    assert _decided(session, member.id, now) is None
    test_mail = enqueue_mail(
        session,
        member=member,
        kind=MailKind.TEST,
        context={"requested_by": "a"},
        now=now,
        site=SITE,
    )
    assert test_mail is not None


def test_an_undeliverable_address_gets_nothing_until_it_changes(
    session: Session, now: datetime
) -> None:
    member = make_member(session)
    mark_undeliverable(member, reason="550 5.1.1 no such user\r\nX: y", now=now)

    assert _decided(session, member.id, now) is None
    assert member.email_undeliverable_reason == "550 5.1.1 no such user X: y"

    clear_undeliverable(member)
    assert _decided(session, member.id, now) is not None


def test_a_disabled_member_gets_nothing(session: Session, now: datetime) -> None:
    member = make_member(session, is_disabled=True)

    assert _decided(session, member.id, now) is None


def test_line_breaks_in_names_and_titles_stay_on_one_line(session: Session, now: datetime) -> None:
    member = make_member(session, display_name="Eve\r\nBcc: victim@example.org")

    row = enqueue_mail(
        session,
        member=member,
        kind=MailKind.MEMBERSHIP_DECIDED,
        context=DECIDED | {"group_name": "G\r\nBcc: victim@example.org"},
        now=now,
        site=SITE,
    )

    assert row is not None
    assert row.to_name == "Eve Bcc: victim@example.org"
    assert "\n" not in row.subject and "\r" not in row.subject


def test_raw_address_mails_are_account_mails_only(session: Session, now: datetime) -> None:
    row = enqueue_mail_to_address(
        session,
        address="a..b@docomo.ne.jp",
        name="",
        locale="fr",
        kind=MailKind.TEST,
        context={"requested_by": "admin"},
        now=now,
        site=SITE,
    )
    assert (row.to_address, row.locale, row.member_id) == ("a..b@docomo.ne.jp", "ja", None)

    with pytest.raises(ValueError, match="not an account mail"):
        enqueue_mail_to_address(
            session,
            address="x@example.org",
            name="",
            locale="ja",
            kind=MailKind.MEMBERSHIP_DECIDED,
            context=DECIDED,
            now=now,
            site=SITE,
        )


def test_a_join_decision_mails_the_member_in_their_language_unless_turned_off(
    session: Session, now: datetime
) -> None:
    from community_app.domain.enums import JoinPolicy
    from community_app.domain.memberships import (
        decide_join_request,
        join_group,
        list_join_requests,
    )
    from community_app.domain.permissions import load_actor
    from tests.domain.group_world import make_organiser
    from tests.factories import make_group

    group = make_group(session, join_policy=JoinPolicy.APPROVAL, name="子育て", name_en="Parents")
    organiser = load_actor(session, member_id=make_organiser(session, group).id)
    english, quiet = make_member(session, locale="en"), make_member(session)
    set_mail_preference(
        session, member_id=quiet.id, category="participation", enabled=False, now=now
    )
    for member in (english, quiet):
        join_group(
            session, actor=load_actor(session, member_id=member.id), group_id=group.id, now=now
        )
    for request in list_join_requests(session, actor=organiser, group_id=group.id):
        decide_join_request(
            session, actor=organiser, membership_id=request.membership_id, approve=True, now=now
        )

    (mail,) = session.exec(select(MailMessage)).all()
    assert mail.member_id == english.id
    assert mail.subject.endswith("Your request to join “Parents” was approved")
    assert f"/groups/{group.slug}" in mail.text_body


@pytest.mark.parametrize(
    "address", ["a..b@docomo.ne.jp", "ab.@ezweb.ne.jp", "x.-y_@softbank.ne.jp"]
)
def test_addresses_japanese_carriers_handed_out_can_sign_up(address: str) -> None:
    from community_app.domain.members import validate_new_account

    assert validate_new_account(email=address, display_name="携帯", password="long-enough-1") == (
        address
    )
