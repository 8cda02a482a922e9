"""RSVPs: going, waitlisted with a position, promotion, switching, windows, lotteries,
join URLs — and every refusal of the issue's bad-input list."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from community_app.domain.enums import (
    EventStatus,
    NotificationKind,
    RsvpStatus,
    TierAllocation,
)
from community_app.domain.errors import DomainError, NotFound, PermissionDenied
from community_app.domain.lottery import draw_due_lotteries, draw_lottery, drawn_order
from community_app.domain.models import (
    AuditLogEntry,
    Event,
    Member,
    Notification,
    ParticipationTier,
    Rsvp,
)
from community_app.domain.participation import rsvp_panel
from community_app.domain.permissions import Actor, load_actor
from community_app.domain.rsvps import (
    cancel_rsvp,
    join_every_occurrence,
    rsvp,
    set_tier_capacity,
    switch_tier,
)
from tests.domain.group_world import World, build_world
from tests.domain.proposal_world import make_proposal
from tests.factories import START, make_member

pytestmark = pytest.mark.unit
R = RsvpStatus


def _event(session: Session, world: World, **overrides: object) -> Event:
    return make_proposal(
        session, group_id=world.group.id, proposer=world.organiser, status=EventStatus.APPROVED,
        **overrides,
    )  # fmt: skip


def _tier(session: Session, event: Event, **values: object) -> ParticipationTier:
    tier = ParticipationTier(event_id=event.id, **({"name": "会場参加", "capacity": 1} | values))
    session.add(tier)
    session.flush()
    return tier


def _people(session: Session, count: int) -> list[Actor]:
    return [load_actor(session, member_id=make_member(session).id) for _ in range(count)]


def _statuses(session: Session, tier: ParticipationTier) -> list[tuple[int, RsvpStatus]]:
    rows = session.exec(select(Rsvp).where(Rsvp.tier_id == tier.id).order_by(col(Rsvp.id))).all()
    return [(r.member_id, r.status) for r in rows]


def test_the_first_goes_and_the_second_waits_with_position_one(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=1)
    first, second, third = _people(session, 3)

    outcomes = [
        rsvp(session, actor=a, event_id=event.id, tier_id=tier.id, now=now + timedelta(seconds=i))
        for i, a in enumerate((first, second, third))
    ]

    assert [(o.status, o.position) for o in outcomes] == [
        (R.GOING, None), (R.WAITLISTED, 1), (R.WAITLISTED, 2),
    ]  # fmt: skip


def test_cancelling_promotes_the_oldest_waitlisted_member_and_tells_them(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=1)
    first, second, third = _people(session, 3)
    for i, actor in enumerate((first, second, third)):
        rsvp(
            session, actor=actor, event_id=event.id, tier_id=tier.id, now=now + timedelta(seconds=i)
        )

    cancel_rsvp(session, actor=first, event_id=event.id, now=now + timedelta(minutes=1))

    assert _statuses(session, tier) == [
        (first.member_id, R.CANCELLED),
        (second.member_id, R.GOING),
        (third.member_id, R.WAITLISTED),
    ]
    notice = session.exec(select(Notification)).one()
    assert (notice.member_id, notice.kind) == (second.member_id, NotificationKind.WAITLIST_PROMOTED)
    assert rsvp_panel(session, actor=third, event=event, now=now).mine.position == 1


def test_applying_again_after_cancelling_goes_to_the_back(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=0)  # 0 means full, not unlimited
    first, second = _people(session, 2)
    rsvp(session, actor=first, event_id=event.id, tier_id=tier.id, now=now)
    rsvp(session, actor=second, event_id=event.id, tier_id=tier.id, now=now + timedelta(seconds=1))

    cancel_rsvp(session, actor=first, event_id=event.id, now=now + timedelta(seconds=2))
    again = rsvp(
        session, actor=first, event_id=event.id, tier_id=tier.id, now=now + timedelta(seconds=3)
    )

    assert (again.status, again.position) == (R.WAITLISTED, 2)
    assert len(session.exec(select(Rsvp).where(Rsvp.member_id == first.member_id)).all()) == 1


def test_a_double_click_changes_nothing(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=None)  # no limit
    (member,) = _people(session, 1)

    first = rsvp(session, actor=member, event_id=event.id, tier_id=tier.id, now=now)
    second = rsvp(
        session, actor=member, event_id=event.id, tier_id=tier.id, now=now + timedelta(seconds=1)
    )

    assert first == second and first.status == R.GOING
    assert session.exec(select(Rsvp)).one().queued_at == now


def test_switching_tier_frees_the_seat_for_that_waitlist(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = _event(session, world)
    venue, online = (
        _tier(session, event, capacity=1),
        _tier(session, event, name="オンライン", capacity=None),
    )
    mover, waiting = _people(session, 2)
    rsvp(session, actor=mover, event_id=event.id, tier_id=venue.id, now=now)
    rsvp(
        session, actor=waiting, event_id=event.id, tier_id=venue.id, now=now + timedelta(seconds=1)
    )

    outcome = switch_tier(
        session, actor=mover, event_id=event.id, tier_id=online.id, now=now + timedelta(seconds=2)
    )

    assert outcome.status == R.GOING and outcome.tier_id == online.id
    assert _statuses(session, venue) == [(waiting.member_id, R.GOING)]


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (EventStatus.DRAFT, "event_not_open"),
        (EventStatus.SUBMITTED, "event_not_open"),
        (EventStatus.REJECTED, "event_not_open"),
        (EventStatus.CANCELLED, "event_not_open"),
    ],
)
def test_only_published_events_take_rsvps(
    session: Session, now: datetime, status: EventStatus, code: str
) -> None:
    world = build_world(session)
    event = make_proposal(session, group_id=world.group.id, proposer=world.organiser, status=status)
    tier = _tier(session, event)
    with pytest.raises(DomainError) as raised:
        rsvp(session, actor=_people(session, 1)[0], event_id=event.id, tier_id=tier.id, now=now)
    assert raised.value.code == code


def test_past_events_windows_and_other_events_tiers_are_refused(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    (member,) = _people(session, 1)
    past = _event(
        session, world, starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=1)
    )
    later = _event(session, world)
    opens = _tier(session, later, name="先行", rsvp_opens_at=now + timedelta(days=1))
    closed = _tier(session, later, name="締切", rsvp_closes_at=now - timedelta(minutes=1))
    elsewhere = _tier(session, past)

    cases = [
        (past.id, _tier(session, past, name="過去").id, "event_over"),
        (later.id, opens.id, "rsvp_not_open_yet"),
        (later.id, closed.id, "rsvp_closed"),
        (later.id, elsewhere.id, "tier_not_found"),
    ]
    for event_id, tier_id, code in cases:
        with pytest.raises(DomainError) as raised:
            rsvp(session, actor=member, event_id=event_id, tier_id=tier_id, now=now)
        assert raised.value.code == code
    assert session.exec(select(Rsvp)).all() == []


@pytest.mark.parametrize("bad", ["3", 3.0, None, True, -1, 2**40, [1]])
def test_malformed_ids_are_refused(session: Session, now: datetime, bad: object) -> None:
    world = build_world(session)
    event = _event(session, world)
    with pytest.raises(DomainError):
        rsvp(session, actor=_people(session, 1)[0], event_id=event.id, tier_id=bad, now=now)  # type: ignore[arg-type]


def test_visitors_cannot_rsvp(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = _event(session, world)
    with pytest.raises(PermissionDenied):
        rsvp(
            session,
            actor=world.actor(session, "visitor"),
            event_id=event.id,
            tier_id=_tier(session, event).id,
            now=now,
        )


def test_approval_tiers_keep_people_pending(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, requires_approval=True, capacity=10)
    outcome = rsvp(
        session, actor=_people(session, 1)[0], event_id=event.id, tier_id=tier.id, now=now
    )
    assert outcome.status == R.PENDING


def _fill(
    session: Session, event: Event, tier: ParticipationTier, actors: list[Actor], now: datetime
) -> None:
    for i, actor in enumerate(actors):
        rsvp(
            session, actor=actor, event_id=event.id, tier_id=tier.id, now=now + timedelta(seconds=i)
        )


def test_lowering_capacity_below_the_number_going_is_refused(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=3)
    _fill(session, event, tier, _people(session, 3), now)

    with pytest.raises(DomainError, match="capacity_below_going"):
        set_tier_capacity(
            session, actor=world.actor(session, "organiser"), tier_id=tier.id, capacity=2, now=now
        )
    for bad in (-1, 10**9, "5"):
        with pytest.raises(DomainError, match="invalid_capacity"):
            set_tier_capacity(
                session,
                actor=world.actor(session, "organiser"),
                tier_id=tier.id,
                capacity=bad,
                now=now,
            )  # type: ignore[arg-type]
    assert session.get(ParticipationTier, tier.id).capacity == 3


def test_raising_capacity_promotes_the_waitlist_in_order(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=1)
    people = _people(session, 4)
    _fill(session, event, tier, people, now)

    promoted = set_tier_capacity(
        session, actor=world.actor(session, "organiser"), tier_id=tier.id, capacity=3, now=now
    )

    assert promoted == [people[1].member_id, people[2].member_id]
    with pytest.raises(PermissionDenied):
        set_tier_capacity(
            session, actor=world.actor(session, "member"), tier_id=tier.id, capacity=9, now=now
        )


def test_a_lottery_draws_reproducibly_and_records_its_seed(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = _event(session, world)
    tier = _tier(session, event, capacity=2, allocation=TierAllocation.LOTTERY)
    people = _people(session, 6)
    _fill(session, event, tier, people, now)
    assert {status for _, status in _statuses(session, tier)} == {R.APPLIED}
    rsvp_ids = [r.id for r in session.exec(select(Rsvp).order_by(col(Rsvp.id))).all()]
    by_rsvp = {r.id: r.member_id for r in session.exec(select(Rsvp)).all()}

    result = draw_lottery(
        session,
        actor=world.actor(session, "organiser"),
        tier_id=tier.id,
        now=now,
        seed="fixed-seed",
    )

    expected = [by_rsvp[i] for i in drawn_order(rsvp_ids, "fixed-seed")]
    assert list(result.winners) == expected[:2] and list(result.waitlisted) == expected[2:]
    waiting = rsvp_panel(
        session, actor=load_actor(session, member_id=expected[2]), event=event, now=now
    )
    assert waiting.mine.position == 1
    audit = session.exec(select(AuditLogEntry).where(AuditLogEntry.action == "draw_lottery")).one()
    assert "seed=fixed-seed" in audit.detail
    with pytest.raises(DomainError, match="lottery_already_drawn"):
        draw_lottery(session, actor=world.actor(session, "organiser"), tier_id=tier.id, now=now)


def test_due_lotteries_are_drawn_by_the_scheduler_and_visitors_cannot_draw(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = _event(session, world)
    due = _tier(
        session,
        event,
        allocation=TierAllocation.LOTTERY,
        lottery_draw_at=now - timedelta(minutes=1),
    )
    later = _tier(
        session,
        event,
        name="後日",
        allocation=TierAllocation.LOTTERY,
        lottery_draw_at=now + timedelta(days=1),
    )
    with pytest.raises(PermissionDenied):
        draw_lottery(session, actor=world.actor(session, "visitor"), tier_id=due.id, now=now)

    results = draw_due_lotteries(session, now=now)

    assert [r.tier_id for r in results] == [due.id]
    assert session.get(ParticipationTier, later.id).lottery_drawn_at is None


def test_the_join_url_shows_only_for_going_members_from_the_reveal_time_and_organisers(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = _event(
        session,
        world,
        join_url_reveal_minutes=30,
        starts_at=now + timedelta(hours=2),
        ends_at=now + timedelta(hours=4),
    )
    tier = _tier(session, event, capacity=1)
    going, waiting = _people(session, 2)
    _fill(session, event, tier, [going, waiting], now)

    def url(actor: Actor, at: datetime) -> str:
        return rsvp_panel(session, actor=actor, event=event, now=at).join_url

    assert url(going, now) == ""  # two hours before: not yet
    assert url(going, now + timedelta(hours=1, minutes=31)) == event.join_url
    assert url(waiting, now + timedelta(hours=1, minutes=31)) == ""
    assert url(world.actor(session, "visitor"), now + timedelta(hours=2)) == ""
    assert url(world.actor(session, "organiser"), now) == event.join_url


def test_join_every_upcoming_occurrence_of_a_series(session: Session, now: datetime) -> None:
    from community_app.domain.series import repeat_event

    world = build_world(session)
    first = _event(session, world)
    _tier(session, first, name="オンライン", capacity=None)
    repeat_event(
        session,
        actor=world.actor(session, "organiser"),
        event_id=first.id,
        rule={"frequency": "weekly", "count": "4"},
        now=now,
    )
    tier = session.exec(
        select(ParticipationTier).where(ParticipationTier.event_id == first.id)
    ).one()
    (member,) = _people(session, 1)

    signup = join_every_occurrence(
        session, actor=member, event_id=first.id, tier_id=tier.id, now=now
    )

    assert (signup.joined, signup.skipped) == (4, 0)
    assert {r.status for r in session.exec(select(Rsvp)).all()} == {R.GOING}


def test_cancelling_without_an_rsvp_says_so(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = _event(session, world)
    with pytest.raises(DomainError, match="no_rsvp"):
        cancel_rsvp(session, actor=_people(session, 1)[0], event_id=event.id, now=now)


def test_unknown_events_are_not_found(session: Session, now: datetime) -> None:
    with pytest.raises(NotFound):
        rsvp(
            session,
            actor=Actor(member_id=make_member(session).id),
            event_id=999_999,
            tier_id=1,
            now=now,
        )
    assert session.exec(select(Member)).first() is not None
    assert now < START  # the factories' events are upcoming for these tests
