"""A Hypothesis state machine drives RSVPs, cancellations, capacity changes, tier
switches and a lottery draw against the real domain code, and after every step compares
the database with a plain model and checks the invariants:

- nobody is seated beyond a tier's capacity;
- no free seat while someone waits in a first-come tier;
- the waitlist is in arrival (or drawn) order;
- every member has at most one RSVP per event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from sqlalchemy import create_engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, func, select

from community_app.domain.enums import EventStatus, RsvpStatus, TierAllocation
from community_app.domain.errors import DomainError
from community_app.domain.lottery import draw_lottery, drawn_order
from community_app.domain.models import ParticipationTier, Rsvp
from community_app.domain.permissions import Actor, load_actor
from community_app.domain.rsvps import cancel_rsvp, rsvp, set_tier_capacity, waitlist
from tests.domain.group_world import build_world
from tests.domain.proposal_world import make_proposal
from tests.factories import make_member

pytestmark = pytest.mark.unit
R = RsvpStatus
MEMBERS = 6
START = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


@dataclass
class TierModel:
    capacity: int | None
    lottery: bool = False
    drawn: bool = False
    going: set[int] = field(default_factory=set)
    queue: list[int] = field(default_factory=list)  # waitlist, head first
    applied: list[int] = field(default_factory=list)

    def free(self) -> bool:
        return self.capacity is None or len(self.going) < self.capacity

    def promote(self) -> None:
        if self.lottery and not self.drawn:
            return
        while self.queue and self.free():
            self.going.add(self.queue.pop(0))

    def arrive(self, member: int) -> None:
        if self.lottery and not self.drawn:
            self.applied.append(member)
        elif not self.queue and self.free():
            self.going.add(member)
        else:
            self.queue.append(member)

    def leave(self, member: int) -> None:
        held = member in self.going
        self.going.discard(member)
        self.queue = [m for m in self.queue if m != member]
        self.applied = [m for m in self.applied if m != member]
        if held:
            self.promote()

    def holds(self, member: int) -> bool:
        return member in self.going or member in self.queue or member in self.applied


class RsvpMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        engine = create_engine(
            "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
        )
        SQLModel.metadata.create_all(engine)
        self.session = Session(engine, expire_on_commit=False)
        world = build_world(self.session)
        self.organiser = world.actor(self.session, "organiser")
        self.event = make_proposal(
            self.session, group_id=world.group.id, proposer=world.organiser,
            status=EventStatus.APPROVED,
        )  # fmt: skip
        self.tiers: list[ParticipationTier] = []
        self.models: list[TierModel] = []
        for name, capacity, lottery in (
            ("会場", 2, False),
            ("オンライン", 3, False),
            ("抽選", 2, True),
        ):
            allocation = TierAllocation.LOTTERY if lottery else TierAllocation.FIRST_COME
            tier = ParticipationTier(
                event_id=self.event.id, name=name, capacity=capacity, allocation=allocation
            )
            self.session.add(tier)
            self.tiers.append(tier)
            self.models.append(TierModel(capacity=capacity, lottery=lottery))
        self.members: list[Actor] = [
            load_actor(self.session, member_id=make_member(self.session).id) for _ in range(MEMBERS)
        ]
        self.session.flush()
        self.clock = START

    def _now(self) -> datetime:
        self.clock += timedelta(seconds=1)
        return self.clock

    def _model_of(self, member: int) -> TierModel | None:
        return next((m for m in self.models if m.holds(member)), None)

    @rule(who=st.integers(0, MEMBERS - 1), which=st.integers(0, 2))
    def sign_up(self, who: int, which: int) -> None:
        actor, tier, model = self.members[who], self.tiers[which], self.models[which]
        member = actor.member_id or 0
        current = self._model_of(member)
        rsvp(
            self.session,
            actor=actor,
            event_id=self.event.id or 0,
            tier_id=tier.id or 0,
            now=self._now(),
        )
        if current is model:
            return  # a double click changes nothing
        if current is not None:
            current.leave(member)  # a switch: the old seat goes to that waitlist first
        model.arrive(member)

    @rule(who=st.integers(0, MEMBERS - 1))
    def cancel(self, who: int) -> None:
        actor = self.members[who]
        member = actor.member_id or 0
        current = self._model_of(member)
        try:
            cancel_rsvp(self.session, actor=actor, event_id=self.event.id or 0, now=self._now())
        except DomainError as error:
            assert current is None and error.code == "no_rsvp"
            return
        assert current is not None
        current.leave(member)

    @rule(which=st.integers(0, 2), capacity=st.one_of(st.none(), st.integers(0, 5)))
    def change_capacity(self, which: int, capacity: int | None) -> None:
        model = self.models[which]
        try:
            set_tier_capacity(
                self.session, actor=self.organiser, tier_id=self.tiers[which].id or 0,
                capacity=capacity, now=self._now(),
            )  # fmt: skip
        except DomainError as error:
            assert error.code == "capacity_below_going"
            assert capacity is not None and capacity < len(model.going)
            return
        model.capacity = capacity
        model.promote()

    @precondition(lambda self: not self.models[2].drawn)
    @rule(seed=st.text("abcdef0123", min_size=1, max_size=8))
    def draw(self, seed: str) -> None:
        tier, model = self.tiers[2], self.models[2]
        ids = {
            r.id: r.member_id
            for r in self.session.exec(
                select(Rsvp).where(Rsvp.tier_id == tier.id, Rsvp.status == R.APPLIED)
            ).all()
        }
        draw_lottery(
            self.session, actor=self.organiser, tier_id=tier.id or 0, now=self._now(), seed=seed
        )
        order = [ids[i] for i in drawn_order([i for i in ids if i], seed)]
        model.drawn, model.applied = True, []
        for member in order:
            if model.free():
                model.going.add(member)
            else:
                model.queue.append(member)

    @invariant()
    def database_matches_the_model(self) -> None:
        for tier, model in zip(self.tiers, self.models, strict=True):
            rows = self.session.exec(select(Rsvp).where(Rsvp.tier_id == tier.id)).all()
            going = {r.member_id for r in rows if r.status == R.GOING}
            applied = {r.member_id for r in rows if r.status == R.APPLIED}
            queue = [r.member_id for r in waitlist(self.session, tier.id or 0)]
            assert going == model.going
            assert queue == model.queue  # arrival (or drawn) order
            assert applied == set(model.applied)

    @invariant()
    def never_overbooked_and_no_idle_seat(self) -> None:
        for tier, model in zip(self.tiers, self.models, strict=True):
            capacity = self.session.get(ParticipationTier, tier.id).capacity
            assert capacity is None or len(model.going) <= capacity
            if not (model.lottery and not model.drawn) and model.queue:
                assert not model.free()

    @invariant()
    def at_most_one_rsvp_per_member(self) -> None:
        counts = self.session.exec(
            select(Rsvp.member_id, func.count()).group_by(Rsvp.member_id)
        ).all()
        assert all(count == 1 for _, count in counts)

    def teardown(self) -> None:
        self.session.close()


RsvpMachine.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestRsvpStateMachine = RsvpMachine.TestCase
