"""The demo seed: realistic content relative to `now`, consistent, and created only once."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func
from sqlmodel import Session, SQLModel, select

from community_app.domain.demo import has_any_data, seed_demo
from community_app.domain.enums import (
    EventFormat,
    EventKind,
    EventStatus,
    GroupRole,
    IdeaStatus,
    IdeaSupportKind,
    JoinPolicy,
    MembershipStatus,
    RsvpStatus,
    TierAllocation,
)
from community_app.domain.models import (
    AgendaItem,
    AuditLogEntry,
    Event,
    EventHost,
    EventTag,
    EventTransition,
    Group,
    IdeaSupport,
    Member,
    Membership,
    ParticipationTier,
    ProjectIdea,
    Rsvp,
    Series,
)

pytestmark = pytest.mark.unit

TOKYO = ZoneInfo("Asia/Tokyo")
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
SEATED = {RsvpStatus.GOING, RsvpStatus.ATTENDED, RsvpStatus.NO_SHOW}


@pytest.fixture
def seeded(session: Session, now: datetime) -> Session:
    seed_demo(session, now=now, password_hash="x")
    session.commit()
    return session


def _count(session: Session, model: type[SQLModel]) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_an_empty_database_has_no_data_and_a_seeded_one_has(
    session: Session, now: datetime
) -> None:
    assert has_any_data(session) is False
    seed_demo(session, now=now, password_hash="x")
    assert has_any_data(session) is True


def test_a_naive_now_is_refused(session: Session) -> None:
    with pytest.raises(ValueError):
        seed_demo(session, now=datetime(2026, 11, 22, 12, 0), password_hash="x")
    assert has_any_data(session) is False


def test_the_summary_lists_accounts_of_every_role_that_exist_in_the_database(
    session: Session, now: datetime
) -> None:
    summary = seed_demo(session, now=now, password_hash="x")

    roles = Counter(account.role for account in summary.accounts)
    assert summary.created is True
    assert roles["admin"] == 1 and roles["organiser"] >= 2 and roles["member"] >= 4
    members = {member.email: member for member in session.exec(select(Member))}
    assert set(members) == {account.email for account in summary.accounts}
    for account in summary.accounts:
        member = members[account.email]
        assert account.email.endswith("@tsudoi.example")
        assert JAPANESE.search(account.display_name)
        assert member.display_name == account.display_name
        assert member.is_admin is (account.role == "admin")
        assert member.password_hash == "x"
    assert members["admin@tsudoi.example"].is_admin
    assert summary.groups == _count(session, Group)
    assert summary.events == _count(session, Event)
    assert summary.ideas == _count(session, ProjectIdea)


def test_organiser_accounts_organise_a_group(seeded: Session, now: datetime) -> None:
    summary = seed_demo(seeded, now=now, password_hash="x")
    organiser_emails = {a.email for a in summary.accounts if a.role == "organiser"}

    rows = seeded.exec(
        select(Member.email)
        .join(Membership, Membership.member_id == Member.id)  # type: ignore[arg-type]
        .where(Membership.role == GroupRole.ORGANISER)
        .where(Membership.status == MembershipStatus.ACTIVE)
    ).all()

    assert organiser_emails <= set(rows)


def test_groups_have_ascii_slugs_bilingual_names_organisers_and_a_pending_request(
    seeded: Session,
) -> None:
    groups = seeded.exec(select(Group)).all()
    memberships = seeded.exec(select(Membership)).all()

    assert len(groups) >= 3
    for group in groups:
        assert group.slug.isascii() and group.slug == group.slug.lower()
        assert JAPANESE.search(group.name) and not JAPANESE.search(group.name_en)
        assert group.description and group.description_en
        assert any(m.group_id == group.id and m.role == GroupRole.ORGANISER for m in memberships)
    assert any(group.join_policy == JoinPolicy.APPROVAL for group in groups)
    assert any(m.status == MembershipStatus.PENDING for m in memberships)


def test_events_cover_every_kind_and_every_format(seeded: Session) -> None:
    events = seeded.exec(select(Event)).all()

    assert len(events) >= 12
    assert {event.kind for event in events} == set(EventKind)
    assert {event.format for event in events} == set(EventFormat)


def test_published_events_lie_both_in_the_past_and_in_the_next_sixty_days(
    seeded: Session, now: datetime
) -> None:
    approved = seeded.exec(select(Event).where(Event.status == EventStatus.APPROVED)).all()

    past = [e for e in approved if e.starts_at < now]
    upcoming = [e for e in approved if now < e.starts_at <= now + timedelta(days=60)]
    assert len(past) >= 3
    assert len(upcoming) >= 6
    assert all(e.published_at is not None and e.published_at <= now for e in approved)


def test_a_proposal_a_draft_and_a_cancelled_event_are_included(
    seeded: Session, now: datetime
) -> None:
    by_status = Counter(e.status for e in seeded.exec(select(Event)))
    cancelled = seeded.exec(select(Event).where(Event.status == EventStatus.CANCELLED)).one()
    submitted = seeded.exec(select(Event).where(Event.status == EventStatus.SUBMITTED)).one()
    proposer = seeded.get(Member, submitted.proposer_id)

    assert by_status[EventStatus.DRAFT] >= 1
    assert cancelled.cancelled_at is not None and cancelled.cancelled_at <= now
    assert cancelled.status_reason
    assert cancelled.sequence >= 1
    assert submitted.published_at is None
    assert proposer is not None and not proposer.is_admin


def test_every_status_has_a_history_ending_in_it(seeded: Session, now: datetime) -> None:
    for event in seeded.exec(select(Event)):
        history = seeded.exec(
            select(EventTransition)
            .where(EventTransition.event_id == event.id)
            .order_by(EventTransition.at)  # type: ignore[arg-type]
        ).all()

        assert history[0].from_status is None
        assert history[0].to_status == EventStatus.DRAFT
        for earlier, later in pairwise(history):
            assert later.from_status == earlier.to_status
        assert history[-1].to_status == event.status
        assert all(step.actor_id is not None and step.at <= now for step in history)


def test_every_event_is_complete_for_its_format_and_kind(seeded: Session) -> None:
    for event in seeded.exec(select(Event)):
        tiers = seeded.exec(
            select(ParticipationTier).where(ParticipationTier.event_id == event.id)
        ).all()
        hosts = seeded.exec(select(EventHost).where(EventHost.event_id == event.id)).all()
        tags = seeded.exec(select(EventTag).where(EventTag.event_id == event.id)).all()

        assert event.uid.endswith("@tsudoi")
        assert event.timezone == "Asia/Tokyo"
        assert event.proposer_id is not None
        assert event.summary and event.description
        assert event.ends_at > event.starts_at
        assert tiers and hosts and tags
        assert all(tier.name and tier.name_en for tier in tiers)
        if event.format != EventFormat.ONLINE:
            assert event.venue_name and event.venue_address
        if event.format != EventFormat.IN_PERSON:
            assert event.online_platform
            assert event.join_url.startswith("https://meet.example.com/")
            assert any(tier.is_online for tier in tiers)


def test_study_sessions_have_agendas_and_invited_speakers(seeded: Session) -> None:
    sessions = seeded.exec(select(Event).where(Event.kind == EventKind.STUDY_SESSION)).all()
    speakers = seeded.exec(select(EventHost).where(EventHost.role == "speaker")).all()

    assert sessions
    for event in sessions:
        agenda = seeded.exec(select(AgendaItem).where(AgendaItem.event_id == event.id)).all()
        assert len(agenda) >= 3
    assert any(s.member_id is None and "NPO" in s.affiliation for s in speakers)


def test_hybrid_event_offers_in_person_online_and_lightning_talk_tiers(seeded: Session) -> None:
    names = set(seeded.exec(select(ParticipationTier.name)).all())

    assert {"会場参加", "オンライン参加", "LT枠"} <= names


def test_a_lottery_tier_draws_before_its_event(seeded: Session, now: datetime) -> None:
    tier = seeded.exec(
        select(ParticipationTier).where(ParticipationTier.allocation == TierAllocation.LOTTERY)
    ).one()
    event = seeded.get(Event, tier.event_id)

    assert event is not None
    assert tier.lottery_draw_at is not None
    assert now < tier.lottery_draw_at < event.starts_at


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 11, 25, 10, 0, tzinfo=UTC),  # Wednesday evening in Tokyo
        datetime(2026, 11, 28, 20, 59, tzinfo=TOKYO),  # Saturday, just before the café
        datetime(2026, 11, 28, 21, 30, tzinfo=TOKYO),  # Saturday, during the café
        datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # already New Year's Day in Tokyo
    ],
)
def test_the_weekly_series_meets_on_saturdays_at_21_in_tokyo(
    session: Session, moment: datetime
) -> None:
    seed_demo(session, now=moment, password_hash="x")
    series = session.exec(select(Series)).one()
    occurrences = session.exec(
        select(Event).where(Event.series_id == series.id).order_by(Event.starts_at)  # type: ignore[arg-type]
    ).all()

    assert series.rrule == "FREQ=WEEKLY;BYDAY=SA"
    assert len(occurrences) >= 4
    for event in occurrences:
        local_start = event.starts_at.astimezone(TOKYO)
        local_end = event.ends_at.astimezone(TOKYO)
        assert local_start.weekday() == 5
        assert local_start.time() == time(21, 0)
        assert local_end.time() == time(22, 30)
        assert event.slug.endswith(local_start.date().isoformat())
    upcoming = [e for e in occurrences if e.starts_at > moment]
    assert len(upcoming) >= 3
    assert len(occurrences) - len(upcoming) >= 1
    assert upcoming[0].starts_at - moment <= timedelta(days=7)


def test_no_tier_is_overbooked_and_waitlists_only_form_on_full_tiers(seeded: Session) -> None:
    tiers = {tier.id: tier for tier in seeded.exec(select(ParticipationTier))}
    rsvps = seeded.exec(select(Rsvp)).all()
    seated: Counter[int | None] = Counter(r.tier_id for r in rsvps if r.status in SEATED)
    going: Counter[int | None] = Counter(r.tier_id for r in rsvps if r.status == "going")

    for tier_id, tier in tiers.items():
        if tier.capacity is not None:
            assert going[tier_id] <= seated[tier_id] <= tier.capacity
    waitlisted = [r for r in rsvps if r.status == RsvpStatus.WAITLISTED]
    assert waitlisted
    for rsvp in waitlisted:
        assert seated[rsvp.tier_id] == tiers[rsvp.tier_id].capacity
    assert {RsvpStatus.GOING, RsvpStatus.CANCELLED} <= {r.status for r in rsvps}
    assert all(tiers[r.tier_id].event_id == r.event_id for r in rsvps)


def test_japanese_titles_keep_readable_unique_slugs(seeded: Session) -> None:
    slugs = seeded.exec(select(Event.slug)).all()

    assert len(set(slugs)) == len(slugs)
    assert sum(1 for slug in slugs if JAPANESE.search(slug)) >= len(slugs) // 2
    assert all(slug == slug.lower() and " " not in slug for slug in slugs)


def test_ideas_gather_support_and_one_became_an_event(seeded: Session) -> None:
    ideas = seeded.exec(select(ProjectIdea)).all()
    supports = seeded.exec(select(IdeaSupport)).all()
    linked = seeded.exec(select(Event).where(Event.idea_id.is_not(None))).all()  # type: ignore[union-attr]

    assert len(ideas) >= 3
    assert {IdeaStatus.OPEN, IdeaStatus.GATHERING, IdeaStatus.READY} <= {i.status for i in ideas}
    assert {s.kind for s in supports} == set(IdeaSupportKind)
    assert all(s.role for s in supports if s.kind == IdeaSupportKind.JOIN)
    for idea in ideas:
        backers = sum(1 for s in supports if s.idea_id == idea.id and s.kind == "support")
        if idea.status == IdeaStatus.READY:
            assert backers >= idea.support_threshold
        if idea.status in (IdeaStatus.OPEN, IdeaStatus.GATHERING):
            assert backers < idea.support_threshold
    assert linked


def test_seeding_is_recorded_in_the_audit_log(seeded: Session) -> None:
    entry = seeded.exec(select(AuditLogEntry).where(AuditLogEntry.action == "seed_demo")).one()
    admin = seeded.get(Member, entry.actor_id)

    assert admin is not None and admin.is_admin


def test_seeding_twice_creates_nothing_the_second_time(seeded: Session, now: datetime) -> None:
    tables: list[type[SQLModel]] = [
        Member,
        Group,
        Membership,
        Event,
        Rsvp,
        ProjectIdea,
        AuditLogEntry,
    ]
    before = {model: _count(seeded, model) for model in tables}

    again = seed_demo(seeded, now=now + timedelta(days=3), password_hash="x")
    seeded.commit()

    assert again.created is False
    assert len(again.accounts) == before[Member]
    assert {model: _count(seeded, model) for model in tables} == before
