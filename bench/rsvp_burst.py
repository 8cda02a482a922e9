"""3. RSVP burst at the domain level: N members, one thread each, released together,
each calling community_app.domain.rsvps.rsvp in its own write_session (a real
transaction, as the RSVP handler does off the event loop). Not over the websocket
protocol: the table says so."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from bench.databases import scratch_database
from bench.seed import seed_events, seed_members
from bench.stats import percentile
from community_app.db import read_session, write_session
from community_app.domain.enums import RsvpStatus
from community_app.domain.models import Event, ParticipationTier, Rsvp
from community_app.domain.permissions import load_actor
from community_app.domain.rsvps import rsvp


def _tier(engine: Engine, capacity: int) -> tuple[int, int]:
    with Session(engine, expire_on_commit=False) as session:
        event = session.exec(select(Event).order_by(Event.id)).first()
        assert event is not None and event.id is not None
        tier = ParticipationTier(event_id=event.id, name="会場参加 (bench)", capacity=capacity)
        session.add(tier)
        session.commit()
        assert tier.id is not None
        return event.id, tier.id


def burst(engine: Engine, people: int, capacity: int) -> dict[str, object]:
    event_id, tier_id = _tier(engine, capacity)
    members = seed_members(engine, people)[-people:]
    barrier = threading.Barrier(people)
    answers: dict[int, float] = {}
    arrivals: dict[int, datetime] = {}
    errors: list[str] = []

    def member(i: int) -> None:
        barrier.wait()
        begin = time.perf_counter()
        arrivals[members[i]] = now = datetime.now(UTC)  # the handler takes its time on entry
        try:
            with write_session(engine) as session:
                actor = load_actor(session, member_id=members[i])
                rsvp(session, actor=actor, event_id=event_id, tier_id=tier_id, now=now)
        except Exception as error:  # reported in the table, not hidden
            errors.append(type(error).__name__)
            return
        answers[members[i]] = time.perf_counter() - begin

    threads = [threading.Thread(target=member, args=(i,)) for i in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    with read_session(engine) as session:
        rows = list(session.exec(select(Rsvp).where(Rsvp.tier_id == tier_id)).all())
    going = [row for row in rows if row.status == RsvpStatus.GOING]
    waiting = sorted(
        (row for row in rows if row.status == RsvpStatus.WAITLISTED),
        key=lambda row: (row.queued_at, row.id or 0),
    )
    waiting_arrivals = [arrivals[row.member_id] for row in waiting]
    in_order = waiting_arrivals == sorted(waiting_arrivals)
    last_going = max((arrivals[row.member_id] for row in going), default=None)
    # Informational: members who arrived earlier than someone going, yet wait.
    overtaken = sum(1 for moment in waiting_arrivals if last_going and moment < last_going)
    latencies = list(answers.values())
    correct = (
        not errors
        and len(rows) == people
        and len(going) == capacity
        and len(waiting) == people - capacity
        and in_order
    )
    return {
        "part": "rsvp burst",
        "n": people,
        "capacity": capacity,
        "p50_ms": 1000 * percentile(latencies, 0.50),
        "p95_ms": 1000 * percentile(latencies, 0.95),
        "p99_ms": 1000 * percentile(latencies, 0.99),
        "going": len(going),
        "waitlisted": len(waiting),
        "errors": errors[:5],
        "waitlist_in_arrival_order": in_order,
        "arrived_before_a_going_member_but_waiting": overtaken,
        "correct": correct,
        "method": "domain level: threads + real transactions (not the websocket protocol)",
    }


def run(backend: str, folder: Path, sizes: tuple[int, ...]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for people in sizes:
        with scratch_database(backend, folder, f"rsvp{people}") as (_url, engine):
            seed_events(engine, total=1, now=datetime.now(UTC) + timedelta(days=1))
            row = burst(engine, people, capacity=people // 4)
            rows.append({"backend": backend} | row)
    return rows
