"""Never overbooked under concurrency, on SQLite and PostgreSQL — with a negative control
showing the race when the tier lock is bypassed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from community_app.db import read_session, write_session
from community_app.domain.enums import EventStatus, NotificationKind, RsvpStatus
from community_app.domain.errors import DomainError
from community_app.domain.models import Notification, ParticipationTier, Rsvp
from community_app.domain.permissions import load_actor
from community_app.domain.rsvps import cancel_rsvp, rsvp, seated_count
from tests.databases import BACKENDS, temporary_database
from tests.factories import make_event, make_member

pytestmark = pytest.mark.integration
PEOPLE = 50
CAPACITY = 5
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def world(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Engine, int, int, list[int]]]:
    """An engine, an event with a tier of capacity 5, and 50 members."""
    with (
        temporary_database(request.param, tmp_path, tables=True) as (_url, engine),
        Session(engine, expire_on_commit=False) as session,
    ):
        event = make_event(session, status=EventStatus.APPROVED)
        tier = ParticipationTier(event_id=event.id, name="会場参加", capacity=CAPACITY)
        session.add(tier)
        members = [make_member(session).id for _ in range(PEOPLE)]
        session.commit()
        yield engine, event.id, tier.id, members


def _all_at_once(count: int, work: Callable[[int], None]) -> list[str]:
    """Run ``work(i)`` in ``count`` threads released together; collect errors."""
    barrier = threading.Barrier(count)
    errors: list[str] = []

    def run(i: int) -> None:
        barrier.wait()
        try:
            work(i)
        except DomainError as error:
            errors.append(error.code)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def _rows(engine: Engine, tier_id: int) -> list[Rsvp]:
    with read_session(engine) as session:
        return list(session.exec(select(Rsvp).where(Rsvp.tier_id == tier_id)).all())


def test_fifty_simultaneous_rsvps_for_five_seats_give_five_going_and_a_waitlist_in_arrival_order(
    world: tuple[Engine, int, int, list[int]],
) -> None:
    engine, event_id, tier_id, members = world

    def sign_up(i: int) -> None:
        with write_session(engine) as session:
            actor = load_actor(session, member_id=members[i])
            # Arrival: each request carries its own time, as a handler takes it on entry.
            rsvp(
                session,
                actor=actor,
                event_id=event_id,
                tier_id=tier_id,
                now=NOW + timedelta(milliseconds=i),
            )

    errors = _all_at_once(PEOPLE, sign_up)

    rows = _rows(engine, tier_id)
    going = [r for r in rows if r.status == RsvpStatus.GOING]
    waiting = sorted(
        (r for r in rows if r.status == RsvpStatus.WAITLISTED), key=lambda r: (r.queued_at, r.id)
    )
    assert errors == []
    assert len(rows) == PEOPLE and len({r.member_id for r in rows}) == PEOPLE
    assert len(going) == CAPACITY and len(waiting) == PEOPLE - CAPACITY
    # Nobody who arrived later holds a waitlist place ahead of someone earlier.
    arrivals = [members.index(r.member_id) for r in waiting]
    assert arrivals == sorted(arrivals)


def _unsafe_rsvp(
    engine: Engine, event_id: int, tier_id: int, member_id: int, checked: threading.Barrier
) -> None:
    """The unsafe path: count the seats in one transaction, decide, write in another."""
    with read_session(engine) as session:
        free = seated_count(session, tier_id) < CAPACITY
    checked.wait()  # everyone has looked before anyone writes: the race, made certain
    with write_session(engine) as session:
        status = RsvpStatus.GOING if free else RsvpStatus.WAITLISTED
        session.add(Rsvp(event_id=event_id, tier_id=tier_id, member_id=member_id, status=status))


def test_negative_control_bypassing_the_lock_overbooks(
    world: tuple[Engine, int, int, list[int]],
) -> None:
    engine, event_id, tier_id, members = world
    count = 10
    checked = threading.Barrier(count)

    _all_at_once(count, lambda i: _unsafe_rsvp(engine, event_id, tier_id, members[i], checked))

    going = [r for r in _rows(engine, tier_id) if r.status == RsvpStatus.GOING]
    assert len(going) > CAPACITY  # the race the safe path prevents


def test_simultaneous_cancellations_promote_each_waiting_member_once_in_order(
    world: tuple[Engine, int, int, list[int]],
) -> None:
    engine, event_id, tier_id, members = world
    with write_session(engine) as session:
        for i, member_id in enumerate(members[:15]):
            actor = load_actor(session, member_id=member_id)
            rsvp(
                session,
                actor=actor,
                event_id=event_id,
                tier_id=tier_id,
                now=NOW + timedelta(seconds=i),
            )

    def cancel(i: int) -> None:
        with write_session(engine) as session:
            cancel_rsvp(
                session,
                actor=load_actor(session, member_id=members[i]),
                event_id=event_id,
                now=NOW + timedelta(minutes=1),
            )

    errors = _all_at_once(CAPACITY, cancel)

    rows = {r.member_id: r.status for r in _rows(engine, tier_id)}
    assert errors == []
    assert [m for m in members[:15] if rows[m] == RsvpStatus.GOING] == members[5:10]
    assert [m for m in members[:15] if rows[m] == RsvpStatus.WAITLISTED] == members[10:15]
    with read_session(engine) as session:
        promoted = session.exec(
            select(Notification.member_id)
            .where(Notification.kind == NotificationKind.WAITLIST_PROMOTED)
            .order_by(col(Notification.member_id))
        ).all()
    assert sorted(promoted) == sorted(members[5:10])  # each once
