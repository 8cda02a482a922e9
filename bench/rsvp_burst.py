"""3. RSVP burst, twice side by side: at the domain level (N threads, each calling
community_app.domain.rsvps.rsvp in its own write_session, a real transaction as the
handler runs it off the event loop) and over the real websocket protocol (N tabs of
tests/ws_client.py against the production build, each pressing the tier's button on
the event page and waiting for the delta that answers it)."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from bench.databases import scratch_database
from bench.seed import seed_events, seed_members
from bench.stats import percentile
from community_app.db import read_session, write_session
from community_app.domain.enums import EventStatus, RsvpStatus
from community_app.domain.events import new_event_uid
from community_app.domain.models import Event, Group, ParticipationTier, Rsvp
from community_app.domain.permissions import load_actor
from community_app.domain.rsvps import rsvp, waitlist
from community_app.domain.sessions import start_session
from tests.ws_burst import Member, rsvp_burst
from tests.ws_client import LOCALE_STATE, ReflexTab, run_tabs


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


# --- the same burst over the real websocket protocol ----------------------------------


def _open_event_with_tier(engine: Engine, capacity: int) -> tuple[int, str, int]:
    """A published event starting tomorrow with one tier: (event id, slug, tier id)."""
    now = datetime.now(UTC)
    with Session(engine, expire_on_commit=False) as session:
        group = session.exec(select(Group).order_by(Group.id)).first()
        assert group is not None and group.id is not None
        event = Event(
            uid=new_event_uid(),
            slug=f"ws-burst-{uuid.uuid4().hex[:8]}",
            title="ベンチの勉強会 (websocket)",
            group_id=group.id,
            status=EventStatus.APPROVED,
            starts_at=now + timedelta(days=1),
            ends_at=now + timedelta(days=1, hours=2),
            published_at=now,
        )
        session.add(event)
        session.flush()
        assert event.id is not None
        tier = ParticipationTier(event_id=event.id, name="会場参加 (bench)", capacity=capacity)
        session.add(tier)
        session.commit()
        assert tier.id is not None
        return event.id, event.slug, tier.id


def _signed_in_members(engine: Engine, people: int) -> list[Member]:
    ids = seed_members(engine, people)[-people:]
    now = datetime.now(UTC)
    with Session(engine) as session:
        members = [Member(i, start_session(session, member_id=i, now=now)) for i in ids]
        session.commit()
    return members


def _epoch(moment: datetime) -> float:
    """Seconds since the epoch of a stored time (SQLite gives it back naive, in UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _ms(values: list[float], fraction: float) -> float:
    return 1000 * percentile(values, fraction)


def websocket_burst(
    base_url: str, engine: Engine, people: int, capacity: int, *, setup: str
) -> dict[str, object]:
    """N signed-in tabs on the event page press the tier's button at once (tests/ws_burst);
    time from each send to the delta that answers it; then check the tier's rows."""
    event_id, slug, tier_id = _open_event_with_tier(engine, capacity)
    members = _signed_in_members(engine, people)
    answers = run_tabs(rsvp_burst(base_url, members, slug=slug, event_id=event_id, tier_id=tier_id))
    with Session(engine) as session:
        rows = list(session.exec(select(Rsvp).where(Rsvp.tier_id == tier_id)).all())
    by_member = {row.member_id: row for row in rows}
    told = {item.member_id: item.answer for item in answers}
    going = [row for row in rows if row.status == RsvpStatus.GOING]
    with Session(engine) as session:
        queue = [row.member_id for row in waitlist(session, tier_id)]  # the app's order
    # Arrival = the server's clock when the handler took the request (queued_at), as in
    # the domain row and tests/domain/test_rsvp_concurrency.py. The order the events left
    # the clients (one process, one clock, within a few ms) is reported beside it.
    waiting = sorted(
        (row for row in rows if row.status == RsvpStatus.WAITLISTED),
        key=lambda row: (row.queued_at, row.id or 0),
    )
    last_going = max((row.queued_at for row in going), default=None)
    sent_order = sorted(queue, key=lambda member: told[member].sent)
    errors = [item.answer.error for item in answers if item.answer.error]
    positions = sorted(a.position for a in told.values() if a.position is not None)
    latencies = [item.answer.seconds for item in answers]
    # Where the time goes: client send -> handler start (queued_at, the server's clock on
    # entry) and handler start -> answer received.
    to_handler = [
        _epoch(by_member[m].queued_at) - a.sent_wall for m, a in told.items() if m in by_member
    ]
    in_handler = [
        a.sent_wall + a.seconds - _epoch(by_member[m].queued_at)
        for m, a in told.items()
        if m in by_member
    ]
    stored_as_told = all(
        m in by_member and by_member[m].status.value == a.status for m, a in told.items()
    )
    in_order = queue == [row.member_id for row in waiting]
    correct = (
        not errors
        and len(answers) == people
        and len(rows) == people
        and len(by_member) == people
        and len(going) == capacity
        and len(waiting) == people - capacity
        and stored_as_told
        and in_order
    )
    return {
        "part": "rsvp burst",
        "n": people,
        "capacity": capacity,
        "p50_ms": _ms(latencies, 0.50),
        "p95_ms": _ms(latencies, 0.95),
        "p99_ms": _ms(latencies, 0.99),
        "going": len(going),
        "waitlisted": len(waiting),
        "errors": errors[:5],
        "waitlist_in_arrival_order": in_order,
        "arrived_before_a_going_member_but_waiting": sum(
            1 for row in waiting if last_going is not None and row.queued_at < last_going
        ),
        "waitlist_in_client_send_order": queue == sent_order,
        "told_as_stored": stored_as_told,
        "positions_told_unique": positions == list(range(1, len(positions) + 1)),
        "send_to_handler_p50_ms": _ms(to_handler, 0.50),
        "send_to_handler_p95_ms": _ms(to_handler, 0.95),
        "handler_to_answer_p50_ms": _ms(in_handler, 0.50),
        "handler_to_answer_p95_ms": _ms(in_handler, 0.95),
        "correct": correct,
        "method": f"websocket: {people} tabs of tests/ws_client.py, production build, {setup}",
    }


def websocket_baseline(base_url: str, people: int, *, setup: str) -> dict[str, object]:
    """The same number of tabs each sending a handler that touches no database (the
    language toggle): what the websocket, the state and the delta cost alone."""

    async def burst() -> list[float]:
        tabs = [ReflexTab(base_url) for _ in range(people)]
        gate = asyncio.Semaphore(25)

        async def load(tab: ReflexTab) -> None:
            async with gate:
                await tab.open("/login")

        try:
            await asyncio.gather(*(load(tab) for tab in tabs))
            toggle = f"{LOCALE_STATE}.toggle_locale"
            return list(
                await asyncio.gather(
                    *(tab.round_trip(toggle, {}, LOCALE_STATE, "locale") for tab in tabs)
                )
            )
        finally:
            await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)

    latencies = run_tabs(burst())
    return {
        "part": "websocket baseline",
        "n": people,
        "p50_ms": _ms(latencies, 0.50),
        "p95_ms": _ms(latencies, 0.95),
        "p99_ms": _ms(latencies, 0.99),
        "method": f"language toggle (no database), {setup}",
    }


def run_websocket(
    base_url: str, engine: Engine, backend: str, sizes: tuple[int, ...], *, setup: str
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for people in sizes:
        rows.append({"backend": backend} | websocket_baseline(base_url, people, setup=setup))
        burst_row = websocket_burst(base_url, engine, people, people // 4, setup=setup)
        rows.append({"backend": backend} | burst_row)
    return rows
