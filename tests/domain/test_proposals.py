"""The proposal workflow: every transition for every role, reasons, races, notices."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from community_app.domain.enums import EventStatus, NotificationKind, RsvpStatus
from community_app.domain.errors import DomainError, PermissionDenied
from community_app.domain.models import Event, Notification, Webhook, WebhookDelivery
from community_app.domain.permissions import load_actor
from community_app.domain.proposals import ALLOWED_TRANSITIONS, TRANSITIONS, Mover, change_status
from tests.databases import BACKENDS, temporary_database
from tests.domain.group_world import World, build_world, make_organiser
from tests.domain.proposal_world import PROPOSAL_ROLES, add_rsvp, make_proposal, transitions_of
from tests.factories import make_member

pytestmark = pytest.mark.unit
S = EventStatus
WHO_MAY = {
    Mover.PROPOSER: {"proposer"},
    Mover.REVIEWER: {"organiser", "admin"},
    Mover.PUBLISHER: set(),  # the proposer here is not a reviewer: see the tests below
}


def _actor(session: Session, world: World, role: str):  # type: ignore[no-untyped-def]
    return world.actor(session, "member" if role == "proposer" else role)


@pytest.mark.parametrize("role", PROPOSAL_ROLES)
@pytest.mark.parametrize(
    "move", sorted(TRANSITIONS), ids=lambda move: f"{move[0].value}->{move[1].value}"
)
def test_each_transition_is_allowed_exactly_for_its_mover(
    session: Session, now: datetime, move: tuple[EventStatus, EventStatus], role: str
) -> None:
    world = build_world(session)
    origin, to = move
    event = make_proposal(session, group_id=world.group.id, proposer=world.member, status=origin)
    actor = _actor(session, world, role)

    if role in WHO_MAY[TRANSITIONS[move]]:
        change_status(session, actor=actor, event_id=event.id, to=to, reason="理由です", now=now)
        assert session.get(Event, event.id).status == to
        assert transitions_of(session, event) == [(actor.member_id, origin, to, "理由です")]
    else:
        with pytest.raises(PermissionDenied):
            change_status(session, actor=actor, event_id=event.id, to=to, reason="理由", now=now)
        assert session.get(Event, event.id).status == origin
        assert transitions_of(session, event) == []


MISSING = [
    (origin, to) for origin in S for to in S if to != origin and (origin, to) not in TRANSITIONS
]


@pytest.mark.parametrize("role", ["proposer", "organiser", "admin"])
@pytest.mark.parametrize("move", MISSING, ids=lambda move: f"{move[0].value}->{move[1].value}")
def test_moves_outside_the_table_are_refused_for_everyone(
    session: Session, now: datetime, move: tuple[EventStatus, EventStatus], role: str
) -> None:
    world = build_world(session)
    origin, to = move
    event = make_proposal(session, group_id=world.group.id, proposer=world.member, status=origin)

    with pytest.raises(DomainError) as raised:
        change_status(
            session,
            actor=_actor(session, world, role),
            event_id=event.id,
            to=to,
            reason="x",
            now=now,
        )

    assert raised.value.code in ("transition_not_allowed", "permission_denied")
    assert session.get(Event, event.id).status == origin


def test_the_table_is_closed_over_the_statuses() -> None:
    assert set(ALLOWED_TRANSITIONS) == set(S)
    assert ALLOWED_TRANSITIONS[S.REJECTED] == ALLOWED_TRANSITIONS[S.CANCELLED] == frozenset()
    assert ALLOWED_TRANSITIONS[S.SUBMITTED] == {
        S.APPROVED,
        S.REJECTED,
        S.CHANGES_REQUESTED,
        S.WITHDRAWN,
    }


@pytest.mark.parametrize("role", ["organiser", "admin"])
def test_organisers_and_admins_publish_their_own_drafts_directly(
    session: Session, now: datetime, role: str
) -> None:
    world = build_world(session)
    proposer = getattr(world, role)  # an admin may propose in any group
    event = make_proposal(session, group_id=world.group.id, proposer=proposer, status=S.DRAFT)

    change_status(
        session, actor=world.actor(session, role), event_id=event.id, to=S.APPROVED, now=now
    )

    assert session.get(Event, event.id).status == S.APPROVED
    assert session.get(Event, event.id).published_at == now


def test_an_organiser_cannot_see_or_publish_a_members_draft(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    draft = make_proposal(session, group_id=world.group.id, proposer=world.member, status=S.DRAFT)

    with pytest.raises(PermissionDenied):
        change_status(
            session,
            actor=world.actor(session, "organiser"),
            event_id=draft.id,
            to=S.APPROVED,
            now=now,
        )


@pytest.mark.parametrize("to", [S.REJECTED, S.CHANGES_REQUESTED])
def test_rejecting_and_asking_for_changes_need_a_reason(
    session: Session, now: datetime, to: EventStatus
) -> None:
    world = build_world(session)
    event = make_proposal(
        session, group_id=world.group.id, proposer=world.member, status=S.SUBMITTED
    )

    with pytest.raises(DomainError) as raised:
        change_status(
            session,
            actor=world.actor(session, "organiser"),
            event_id=event.id,
            to=to,
            reason="  ",
            now=now,
        )

    assert raised.value.code == "reason_required"
    assert session.get(Event, event.id).status == S.SUBMITTED


def test_cancelling_needs_a_reason_and_bumps_the_sequence(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = make_proposal(
        session, group_id=world.group.id, proposer=world.member, status=S.APPROVED
    )
    organiser = world.actor(session, "organiser")
    with pytest.raises(DomainError):
        change_status(session, actor=organiser, event_id=event.id, to=S.CANCELLED, now=now)

    change_status(
        session, actor=organiser, event_id=event.id, to=S.CANCELLED, reason="台風のため", now=now
    )

    cancelled = session.get(Event, event.id)
    assert (cancelled.status, cancelled.sequence, cancelled.cancelled_at) == (S.CANCELLED, 1, now)
    assert cancelled.status_reason == "台風のため"


def test_approving_an_already_rejected_proposal_is_refused(session: Session, now: datetime) -> None:
    world = build_world(session)
    event = make_proposal(
        session, group_id=world.group.id, proposer=world.member, status=S.SUBMITTED
    )
    organiser = world.actor(session, "organiser")
    change_status(
        session, actor=organiser, event_id=event.id, to=S.REJECTED, reason="日程が重複", now=now
    )

    with pytest.raises(DomainError) as raised:
        change_status(
            session,
            actor=world.actor(session, "co_organiser"),
            event_id=event.id,
            to=S.APPROVED,
            now=now,
        )

    assert raised.value.code == "transition_not_allowed"
    assert session.get(Event, event.id).status == S.REJECTED


@pytest.mark.parametrize("to", [S.SUBMITTED, S.APPROVED])
def test_an_event_that_already_started_cannot_be_submitted_or_published(
    session: Session, now: datetime, to: EventStatus
) -> None:
    world = build_world(session)
    proposer = world.organiser if to == S.APPROVED else world.member
    event = make_proposal(
        session,
        group_id=world.group.id,
        proposer=proposer,
        status=S.DRAFT,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
    )
    actor = load_actor(session, member_id=proposer.id)

    with pytest.raises(DomainError) as raised:
        change_status(session, actor=actor, event_id=event.id, to=to, now=now)

    assert raised.value.code == "starts_in_past"


def _notifications(session: Session) -> list[tuple[int, NotificationKind, str]]:
    rows = session.exec(select(Notification).order_by(col(Notification.id))).all()
    return [(n.member_id, n.kind, n.message_en) for n in rows]


def test_submitting_tells_the_groups_organisers_and_deciding_tells_the_proposer(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = make_proposal(
        session, group_id=world.group.id, proposer=world.member, status=S.DRAFT, title="親子で工作"
    )

    change_status(
        session, actor=world.actor(session, "member"), event_id=event.id, to=S.SUBMITTED, now=now
    )
    to_organisers = _notifications(session)
    change_status(
        session,
        actor=world.actor(session, "organiser"),
        event_id=event.id,
        to=S.CHANGES_REQUESTED,
        reason="会場を書いてください",
        now=now,
    )

    assert {member for member, _, _ in to_organisers} == {world.organiser.id, world.co_organiser.id}
    assert {kind for _, kind, _ in to_organisers} == {NotificationKind.PROPOSAL_SUBMITTED}
    last = _notifications(session)[-1]
    assert last[0] == world.member.id and last[1] == NotificationKind.PROPOSAL_DECIDED
    assert "親子で工作" in last[2] and "会場を書いてください" in last[2]
    japanese = session.exec(
        select(Notification.message).order_by(col(Notification.id).desc())
    ).first()
    assert "修正" in japanese


def test_cancelling_tells_members_with_a_place_and_nobody_else(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    event = make_proposal(
        session, group_id=world.group.id, proposer=world.member, status=S.APPROVED
    )
    going, waiting, gone = make_member(session), make_member(session), make_member(session)
    add_rsvp(session, event, going, RsvpStatus.GOING)
    add_rsvp(session, event, waiting, RsvpStatus.WAITLISTED)
    add_rsvp(session, event, gone, RsvpStatus.CANCELLED)

    change_status(
        session,
        actor=world.actor(session, "organiser"),
        event_id=event.id,
        to=S.CANCELLED,
        reason="講師の体調不良",
        now=now,
    )

    told = {(member, kind) for member, kind, _ in _notifications(session)}
    assert told == {
        (going.id, NotificationKind.EVENT_CANCELLED),
        (waiting.id, NotificationKind.EVENT_CANCELLED),
    }


def test_publishing_and_cancelling_queue_the_groups_webhooks(
    session: Session, now: datetime
) -> None:
    world = build_world(session)
    session.add(Webhook(group_id=world.group.id, kind="slack", url="https://hooks.example.org/x"))
    session.add(
        Webhook(group_id=world.other_group.id, kind="json", url="https://other.example.org/")
    )
    event = make_proposal(
        session, group_id=world.group.id, proposer=world.member, status=S.SUBMITTED
    )
    organiser = world.actor(session, "organiser")

    change_status(session, actor=organiser, event_id=event.id, to=S.APPROVED, now=now)
    change_status(
        session, actor=organiser, event_id=event.id, to=S.CANCELLED, reason="雨天", now=now
    )

    deliveries = session.exec(select(WebhookDelivery).order_by(col(WebhookDelivery.id))).all()
    assert [d.action.value for d in deliveries] == ["published", "cancelled"]
    assert all("secret-room" not in d.payload for d in deliveries)


def _race(
    engine: Engine, event_id: int, deciders: list[tuple[int, EventStatus]], now: datetime
) -> list[str]:
    """Each decider acts in its own thread and transaction, all released together."""
    from community_app.db import write_session

    barrier = threading.Barrier(len(deciders))
    outcomes: list[str] = []

    def decide(member_id: int, to: EventStatus) -> None:
        barrier.wait()
        try:
            with write_session(engine) as session:
                actor = load_actor(session, member_id=member_id)
                change_status(
                    session, actor=actor, event_id=event_id, to=to, reason="判断", now=now
                )
            outcomes.append(f"won:{to.value}")
        except DomainError as error:
            outcomes.append(f"told:{error.code}")

    threads = [threading.Thread(target=decide, args=decider) for decider in deciders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


@pytest.mark.integration
@pytest.mark.parametrize("backend", BACKENDS)
def test_two_organisers_deciding_at_once_one_wins_and_the_other_is_told(
    backend: str, tmp_path: Path, now: datetime
) -> None:
    with temporary_database(backend, tmp_path, tables=True) as (_url, engine):
        with Session(engine, expire_on_commit=False) as session:
            world = build_world(session)
            event = make_proposal(
                session, group_id=world.group.id, proposer=world.member, status=S.SUBMITTED
            )
            third = make_organiser(session, world.group)
            session.commit()
        deciders = [
            (world.organiser.id, S.APPROVED),
            (world.co_organiser.id, S.REJECTED),
            (third.id, S.APPROVED),
        ]

        outcomes = _race(engine, event.id, deciders, now)

        with Session(engine) as session:
            final = session.get(Event, event.id)
            history = transitions_of(session, final)
        assert len([o for o in outcomes if o.startswith("won")]) == 1
        assert outcomes.count("told:transition_not_allowed") == 2
        assert len(history) == 1 and f"won:{final.status.value}" in outcomes
