"""Mails about taking part: written in the same transaction as the RSVP, decision or
change, in the member's language, with a calendar invitation (iMIP) that shares the
feeds' UID and SEQUENCE, and the join URL only for members going, from the reveal time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from icalendar import Calendar
from sqlmodel import Session, col, select

from community_app.domain.attendees import decide_pending, move_attendee, remove_attendee
from community_app.domain.calendar import event_feed_entry, event_url
from community_app.domain.enums import EventStatus, MailCategory, RsvpStatus, TierAllocation
from community_app.domain.event_editing import update_event
from community_app.domain.feed_tokens import personal_feed_entries
from community_app.domain.idea_events import turn_idea_into_event
from community_app.domain.lottery import draw_lottery
from community_app.domain.mail_kinds import MailKind
from community_app.domain.mail_preferences import set_mail_preference
from community_app.domain.models import Event, MailMessage, Member, Notification, ParticipationTier
from community_app.domain.permissions import Actor, load_actor
from community_app.domain.proposals import change_status
from community_app.domain.review import form_values
from community_app.domain.rsvps import cancel_rsvp, rsvp
from community_app.settings import get_settings
from tests.domain.group_world import World, build_world
from tests.domain.idea_world import group_members, make_idea, support_by
from tests.domain.proposal_world import make_proposal
from tests.domain.test_query_counts import counted
from tests.factories import START, make_member

pytestmark = pytest.mark.unit
R = RsvpStatus
JOIN = "https://meet.example.com/secret-room"
SITE_URL = "https://tsudoi.example"


@pytest.fixture(autouse=True)
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("SITE_URL", "https://tsudoi.example")
    monkeypatch.setenv("SITE_NAME", "集い")
    monkeypatch.setenv("MAIL_FROM", "Tsudoi <events@tsudoi.example>")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _event(session: Session, world: World, **overrides: object) -> Event:
    return make_proposal(
        session, group_id=world.group.id, proposer=world.organiser, status=EventStatus.APPROVED,
        title="Python 勉強会", **overrides,
    )  # fmt: skip


def _tier(session: Session, event: Event, **values: object) -> ParticipationTier:
    tier = ParticipationTier(
        event_id=event.id, **({"name": "会場参加", "name_en": "In person", "capacity": 1} | values)
    )
    session.add(tier)
    session.flush()
    return tier


def _person(session: Session, locale: str = "ja") -> Actor:
    member = make_member(session, locale=locale, display_name=f"Hana {locale}")
    return load_actor(session, member_id=member.id)


def _mails(session: Session, actor: Actor) -> list[MailMessage]:
    session.flush()
    return list(
        session.exec(
            select(MailMessage)
            .where(MailMessage.member_id == actor.member_id)
            .order_by(col(MailMessage.id))
        ).all()
    )


def _ics(mail: MailMessage) -> tuple[Calendar, object]:
    calendar = Calendar.from_ical(mail.calendar_ics)
    (vevent,) = calendar.walk("VEVENT")
    return calendar, vevent


def _everything(mail: MailMessage) -> str:
    return mail.subject + mail.text_body + mail.html_body + mail.calendar_ics


def test_going_gets_a_confirmation_with_an_invitation_to_the_feeds_entry(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event)
    hana = _person(session, "ja")

    rsvp(session, actor=hana, event_id=event.id, tier_id=tier.id, now=now)

    (mail,) = _mails(session, hana)
    assert mail.kind == MailKind.RSVP_GOING and mail.category is MailCategory.PARTICIPATION
    assert mail.subject == "[集い] 「Python 勉強会」への参加が確定しました"
    assert "2026年11月28日(土) 21:00–23:00" in mail.text_body and "会場参加" in mail.text_body
    assert JOIN in mail.text_body and JOIN in mail.html_body  # going, no reveal time set
    assert mail.calendar_method == "REQUEST"
    calendar, vevent = _ics(mail)
    feed = event_feed_entry(session, slug=event.slug, now=now)
    personal = personal_feed_entries(session, member_id=hana.member_id, now=now)
    assert calendar["METHOD"] == "REQUEST"
    assert str(vevent["UID"]) == feed.uid == personal[0].uid == event.uid
    assert vevent["SEQUENCE"] == event.sequence == feed.sequence
    assert vevent["DTSTAMP"].dt == now  # the message's own time orders equal SEQUENCEs
    assert str(vevent["ORGANIZER"]) == "mailto:events@tsudoi.example"
    assert vevent["ORGANIZER"].params["CN"] == world.group.name
    member = session.get(Member, hana.member_id)
    attendee = vevent["ATTENDEE"]
    assert str(attendee) == f"mailto:{member.email}"
    assert attendee.params["PARTSTAT"] == "ACCEPTED" and attendee.params["RSVP"] == "FALSE"
    assert JOIN in str(vevent["DESCRIPTION"]) and str(vevent["CONFERENCE"]) == JOIN
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Asia/Tokyo"


def test_english_members_get_english_with_the_english_date(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event)
    ken = _person(session, "en")

    rsvp(session, actor=ken, event_id=event.id, tier_id=tier.id, now=now)

    (mail,) = _mails(session, ken)
    assert mail.locale == "en"
    assert mail.subject == "[集い] You're going to “Python 勉強会”"
    assert "Sat, 28 Nov 2026, 21:00–23:00" in mail.text_body and "In person" in mail.text_body
    assert 'lang="en"' in mail.html_body and "Hello Hana en," in mail.text_body


def test_the_waitlist_mail_gives_the_position_and_no_invitation_nor_join_url(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=1)
    first, second, third = _person(session), _person(session), _person(session, "en")
    for i, actor in enumerate((first, second, third)):
        rsvp(
            session, actor=actor, event_id=event.id, tier_id=tier.id, now=now + timedelta(seconds=i)
        )

    (ja,) = _mails(session, second)
    (en,) = _mails(session, third)
    assert ja.kind == MailKind.RSVP_WAITLISTED and "（1番目）" in ja.subject
    assert "現在 1 番目です" in ja.text_body
    assert en.subject.endswith("(number 2)") and "You are number 2." in en.text_body
    for mail in (ja, en):
        assert mail.calendar_method == "" and mail.calendar_ics == ""
        assert JOIN not in _everything(mail)


def test_cancelling_a_seat_sends_a_cancel_and_the_promoted_member_an_invitation(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=1)
    first, second = _person(session), _person(session)
    rsvp(session, actor=first, event_id=event.id, tier_id=tier.id, now=now)
    rsvp(session, actor=second, event_id=event.id, tier_id=tier.id, now=now)
    later = now + timedelta(hours=1)

    cancel_rsvp(session, actor=first, event_id=event.id, now=later)

    going, cancelled = _mails(session, first)
    assert cancelled.kind == MailKind.RSVP_CANCELLED and cancelled.calendar_method == "CANCEL"
    calendar, vevent = _ics(cancelled)
    assert calendar["METHOD"] == "CANCEL" and str(vevent["UID"]) == event.uid
    assert "STATUS" not in vevent  # one attendee uninvited: the event itself goes on
    assert vevent["DTSTAMP"].dt == later > _ics(going)[1]["DTSTAMP"].dt
    waitlisted, promoted = _mails(session, second)
    assert promoted.kind == MailKind.RSVP_PROMOTED and promoted.calendar_method == "REQUEST"
    assert JOIN in promoted.text_body and JOIN not in _everything(waitlisted)
    assert str(_ics(promoted)[1]["UID"]) == event.uid


def test_leaving_a_queue_sends_no_calendar_part(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=0)
    hana = _person(session)
    rsvp(session, actor=hana, event_id=event.id, tier_id=tier.id, now=now)

    cancel_rsvp(session, actor=hana, event_id=event.id, now=now)

    _, cancelled = _mails(session, hana)
    assert cancelled.kind == MailKind.RSVP_CANCELLED and cancelled.calendar_ics == ""


def test_the_join_url_waits_for_the_reveal_time_in_mail_and_invitation(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = _event(session, world, join_url_reveal_minutes=30)
    tier = _tier(session, event, capacity=1)
    early, late, waiting = _person(session), _person(session, "en"), _person(session)
    revealed = START - timedelta(minutes=30)

    rsvp(session, actor=early, event_id=event.id, tier_id=tier.id, now=now)
    cancel_rsvp(session, actor=early, event_id=event.id, now=revealed - timedelta(minutes=1))
    rsvp(session, actor=waiting, event_id=event.id, tier_id=tier.id, now=revealed)  # seat free
    cancel_rsvp(session, actor=waiting, event_id=event.id, now=revealed)
    rsvp(session, actor=late, event_id=event.id, tier_id=tier.id, now=revealed)

    before = _mails(session, early)[0]
    assert JOIN not in _everything(before)
    assert (
        "参加用URLは 2026年11月28日(土) 20:30 からイベントページに表示されます" in before.text_body
    )
    (after,) = _mails(session, late)
    assert JOIN in after.text_body and JOIN in after.html_body and JOIN in after.calendar_ics


def test_nobody_who_is_not_going_gets_the_join_url_even_after_the_reveal(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=1)
    going, waiting = _person(session), _person(session)
    pending_tier = _tier(session, event, name="承認制", capacity=None, requires_approval=True)
    pending = _person(session)
    rsvp(session, actor=going, event_id=event.id, tier_id=tier.id, now=now)
    rsvp(session, actor=waiting, event_id=event.id, tier_id=tier.id, now=now)
    rsvp(session, actor=pending, event_id=event.id, tier_id=pending_tier.id, now=now)
    organiser = world.actor(session, "organiser")
    form = form_values(session, event) | {"start_time": "22:00"}

    update_event(
        session, actor=organiser, event_id=event.id, form=form, now=START - timedelta(minutes=5)
    )

    changed = [mail for who in (going, waiting, pending) for mail in _mails(session, who)[-1:]]
    assert [mail.kind for mail in changed] == [MailKind.EVENT_CHANGED] * 3
    assert [JOIN in _everything(mail) for mail in changed] == [True, False, False]
    assert [mail.calendar_method for mail in changed] == ["REQUEST", "", ""]


def test_a_material_change_sends_the_invitation_again_with_a_higher_sequence(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = _event(session, world)
    hana = _person(session, "en")
    organiser = world.actor(session, "organiser")
    update_event(
        session, actor=organiser, event_id=event.id,
        form=form_values(session, event) | {"tiers": "会場参加 | 20", "hosts": ""}, now=now,
    )  # fmt: skip
    tier = session.exec(
        select(ParticipationTier).where(ParticipationTier.event_id == event.id)
    ).one()
    rsvp(session, actor=hana, event_id=event.id, tier_id=tier.id, now=now)
    form = form_values(session, event) | {"venue_name": "市民会館 <B>", "hosts": ""}

    update_event(
        session, actor=organiser, event_id=event.id, form=form, now=now + timedelta(days=1)
    )

    confirmed, changed = _mails(session, hana)
    assert changed.kind == MailKind.EVENT_CHANGED and changed.category is MailCategory.EVENT_CHANGES
    assert changed.subject == "[集い] “Python 勉強会” changed: venue"
    assert "市民会館 &lt;B&gt;" in changed.html_body and "市民会館 <B>" in changed.text_body
    first, second = _ics(confirmed)[1], _ics(changed)[1]
    assert str(first["UID"]) == str(second["UID"]) == event.uid
    assert second["SEQUENCE"] == first["SEQUENCE"] + 1 == event.sequence
    assert event_feed_entry(session, slug=event.slug, now=now).sequence == event.sequence


def test_cancelling_the_event_sends_cancel_with_the_reason(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=1)
    going, waiting = _person(session), _person(session, "en")
    rsvp(session, actor=going, event_id=event.id, tier_id=tier.id, now=now)
    rsvp(session, actor=waiting, event_id=event.id, tier_id=tier.id, now=now)
    organiser = world.actor(session, "organiser")

    change_status(
        session, actor=organiser, event_id=event.id, to=EventStatus.CANCELLED,
        reason="会場が使えなくなりました <ごめんなさい>", now=now,
    )  # fmt: skip

    ja, en = _mails(session, going)[-1], _mails(session, waiting)[-1]
    assert ja.kind == en.kind == MailKind.EVENT_CANCELLED
    assert ja.subject == "[集い] 「Python 勉強会」は中止になりました"
    assert "会場が使えなくなりました &lt;ごめんなさい&gt;" in ja.html_body
    assert "Reason: 会場が使えなくなりました <ごめんなさい>" in en.text_body
    calendar, vevent = _ics(ja)
    assert calendar["METHOD"] == "CANCEL" and str(vevent["STATUS"]) == "CANCELLED"
    assert vevent["SEQUENCE"] == event.sequence and JOIN not in _everything(ja)
    assert en.calendar_ics == ""  # never had the event in the calendar


def test_approving_declining_and_removing_tell_the_member_by_mail(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=None, requires_approval=True)
    yes, no = _person(session), _person(session, "en")
    organiser = world.actor(session, "organiser")
    ids = {}
    for actor in (yes, no):
        rsvp(session, actor=actor, event_id=event.id, tier_id=tier.id, now=now)
        ids[actor.member_id] = session.exec(
            select(Notification).where(Notification.member_id == actor.member_id)
        ).all()
    from community_app.domain.models import Rsvp

    def rsvp_id(actor: Actor) -> int:
        return session.exec(select(Rsvp.id).where(Rsvp.member_id == actor.member_id)).one()

    decide_pending(session, actor=organiser, rsvp_id=rsvp_id(yes), approve=True, now=now)
    decide_pending(session, actor=organiser, rsvp_id=rsvp_id(no), approve=False, now=now)
    remove_attendee(session, actor=organiser, rsvp_id=rsvp_id(yes), now=now)

    pending, approved, removed = _mails(session, yes)
    assert pending.kind == MailKind.RSVP_PENDING and "承認待ち" in pending.subject
    assert approved.kind == MailKind.RSVP_APPROVED and approved.calendar_method == "REQUEST"
    assert "参加が確定しました" in approved.text_body and JOIN in approved.text_body
    assert removed.kind == MailKind.RSVP_REMOVED and removed.calendar_method == "CANCEL"
    _, declined = _mails(session, no)
    assert declined.subject == "[集い] Your RSVP to “Python 勉強会” was declined"
    assert declined.calendar_ics == "" and JOIN not in _everything(declined)


def test_moving_a_going_member_to_a_full_tier_cancels_their_calendar_entry(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=1)
    full = _tier(session, event, name="オンライン", name_en="Online", capacity=0)
    hana = _person(session)
    rsvp(session, actor=hana, event_id=event.id, tier_id=tier.id, now=now)
    from community_app.domain.models import Rsvp

    row = session.exec(select(Rsvp).where(Rsvp.member_id == hana.member_id)).one()
    move_attendee(
        session, actor=world.actor(session, "organiser"), rsvp_id=row.id, tier_id=full.id, now=now
    )

    moved = _mails(session, hana)[-1]
    assert moved.kind == MailKind.RSVP_MOVED and "「オンライン」" in moved.subject
    assert "キャンセル待ち（1番目）" in moved.text_body and moved.calendar_method == "CANCEL"
    assert JOIN not in _everything(moved)


def test_the_lottery_mails_winners_an_invitation_and_the_others_their_place(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=1, allocation=TierAllocation.LOTTERY)
    people = [_person(session), _person(session, "en"), _person(session)]
    for actor in people:
        rsvp(session, actor=actor, event_id=event.id, tier_id=tier.id, now=now)

    result = draw_lottery(
        session, actor=world.actor(session, "organiser"), tier_id=tier.id, now=now, seed="s"
    )

    applied = [_mails(session, actor)[0] for actor in people]
    assert {mail.kind for mail in applied} == {MailKind.RSVP_APPLIED}
    assert all(mail.calendar_ics == "" for mail in applied)
    (winner,) = result.winners
    drawn = {actor.member_id: _mails(session, actor)[-1] for actor in people}
    assert drawn[winner].kind == MailKind.LOTTERY_WON and drawn[winner].calendar_method == "REQUEST"
    places = [drawn[m] for m in result.waitlisted]
    assert [mail.kind for mail in places] == [MailKind.LOTTERY_LOST] * 2
    assert [("1" in m.subject, "2" in m.subject) for m in places] == [(True, False), (False, True)]
    assert all(JOIN not in _everything(mail) and not mail.calendar_ics for mail in places)


def test_an_unsubscribed_category_still_reaches_the_bell(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=1)
    first, second = _person(session), _person(session)
    rsvp(session, actor=first, event_id=event.id, tier_id=tier.id, now=now)
    rsvp(session, actor=second, event_id=event.id, tier_id=tier.id, now=now)
    set_mail_preference(
        session, member_id=second.member_id, category="participation", enabled=False, now=now
    )

    cancel_rsvp(session, actor=first, event_id=event.id, now=now)

    assert [mail.kind for mail in _mails(session, second)] == [MailKind.RSVP_WAITLISTED]
    bell = session.exec(select(Notification).where(Notification.member_id == second.member_id))
    assert len(bell.all()) == 1  # the promotion


def test_proposal_decisions_reach_the_proposer_with_the_reason(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    proposer = load_actor(session, member_id=world.member.id)
    rejected = make_proposal(
        session, group_id=world.group.id, proposer=world.member, status=EventStatus.SUBMITTED
    )
    own = make_proposal(
        session, group_id=world.group.id, proposer=world.organiser, status=EventStatus.SUBMITTED
    )
    organiser = world.actor(session, "organiser")

    change_status(
        session, actor=organiser, event_id=rejected.id, to=EventStatus.REJECTED,
        reason="日程が<重なって>います", now=now,
    )  # fmt: skip
    change_status(session, actor=organiser, event_id=own.id, to=EventStatus.APPROVED, now=now)

    (mail,) = _mails(session, proposer)
    assert mail.kind == MailKind.PROPOSAL_DECIDED and mail.category is MailCategory.PROPOSALS
    assert "見送り" in mail.subject and "日程が&lt;重なって&gt;います" in mail.html_body
    assert mail.calendar_ics == "" and JOIN not in _everything(mail)
    assert _mails(session, world.actor(session, "organiser")) == []  # no mail to oneself


def test_mailing_thirty_members_about_a_change_reads_as_much_as_mailing_one(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    organiser = world.actor(session, "organiser")
    statements = {}
    for count in (1, 30):
        event = _event(session, world, slug=f"study-{count}")
        tier = _tier(session, event, capacity=None)
        for _ in range(count):
            rsvp(session, actor=_person(session), event_id=event.id, tier_id=tier.id, now=now)
        form = form_values(session, event) | {"venue_name": "市民会館"}
        session.flush()
        engine = session.get_bind()
        with counted(engine) as seen:
            update_event(session, actor=organiser, event_id=event.id, form=form, now=now)
            session.flush()
        statements[count] = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
        assert (
            len(session.exec(select(MailMessage).where(MailMessage.kind == "event_changed")).all())
            >= count
        )

    assert len(statements[30]) == len(statements[1])


def test_supporters_and_joiners_hear_by_mail_when_the_idea_is_published_as_an_event(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    idea = make_idea(session, world, now)
    supporters = group_members(session, world, 2)
    support_by(session, idea, supporters, now)
    set_mail_preference(
        session, member_id=supporters[1].id, category="ideas", enabled=False, now=now
    )
    organiser = world.actor(session, "organiser")
    ref = turn_idea_into_event(session, actor=organiser, idea_id=idea.id, now=now)
    event = session.get(Event, ref.event_id)
    event.starts_at, event.ends_at = START + timedelta(days=3), START + timedelta(days=3, hours=2)

    change_status(session, actor=organiser, event_id=ref.event_id, to=EventStatus.APPROVED, now=now)

    mails = session.exec(select(MailMessage).where(MailMessage.kind == "idea_scheduled")).all()
    assert sorted(m.member_id for m in mails) == sorted([world.member.id, supporters[0].id])
    mail = next(m for m in mails if m.member_id == supporters[0].id)
    assert mail.category is MailCategory.IDEAS and event_url(SITE_URL, ref.slug) in mail.text_body
    assert idea.title in mail.subject and mail.calendar_ics == ""
    assert JOIN not in _everything(mail)


def test_joining_every_occurrence_sends_one_mail_listing_the_dates(
    session: Session, now: datetime
) -> None:
    from community_app.domain.rsvps import join_every_occurrence
    from community_app.domain.series import repeat_event

    world = build_world(session)
    first = _event(session, world)
    tier = _tier(session, first, name="オンライン", capacity=None)
    repeat_event(
        session,
        actor=world.actor(session, "organiser"),
        event_id=first.id,
        rule={"frequency": "weekly", "count": "4"},
        now=now,
    )
    hana = _person(session, "en")

    join_every_occurrence(session, actor=hana, event_id=first.id, tier_id=tier.id, now=now)

    (mail,) = _mails(session, hana)
    assert mail.kind == MailKind.SERIES_JOINED and "4 dates" in mail.subject
    assert mail.text_body.count(": going") == 4 and mail.calendar_ics == ""
    assert "Sat, 5 Dec 2026, 21:00–23:00" in mail.text_body
