"""5. Mail enqueue: what writing an RSVP's mails to the outbox adds to the RSVP itself.

Each member's RSVP runs in its own write transaction, as the handler runs it. Every
other RSVP runs as the app runs it: ``rsvps.rsvp`` renders and queues the member's
confirmation (``participation_mail``: the participation mail in the member's language,
its one-click unsubscribe link and the iMIP invitation built from the personal feed's
entry); the ones between run with that hook switched off. The two kinds alternate, so
drift hits both alike; the difference of the medians is what the mail costs. Issue
14's target: under 5 ms.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from bench.databases import scratch_database
from bench.seed import seed_events, seed_members
from bench.stats import median, percentile
from community_app.db import write_session
from community_app.domain import participation_mail
from community_app.domain.models import Event, MailMessage, ParticipationTier
from community_app.domain.permissions import load_actor
from community_app.domain.rsvps import rsvp

TARGET_MS = 5.0


def _event(engine: Engine) -> tuple[int, int]:
    with Session(engine, expire_on_commit=False) as session:
        event = session.exec(select(Event).order_by(Event.id)).first()
        assert event is not None and event.id is not None
        tier = ParticipationTier(event_id=event.id, name="オンライン (bench)", capacity=None)
        session.add(tier)
        session.commit()
        assert tier.id is not None
        return event.id, tier.id


def _no_mail(*_: object, **__: object) -> int:
    return 0


def _one(engine: Engine, member_id: int, event_id: int, tier_id: int, mail: bool) -> float:
    hook = participation_mail.mail_rsvp_outcome
    if not mail:
        participation_mail.mail_rsvp_outcome = _no_mail  # type: ignore[assignment]
    try:
        begin = time.perf_counter()
        now = datetime.now(UTC)
        with write_session(engine) as session:
            actor = load_actor(session, member_id=member_id)
            rsvp(session, actor=actor, event_id=event_id, tier_id=tier_id, now=now)
        return (time.perf_counter() - begin) * 1000
    finally:
        participation_mail.mail_rsvp_outcome = hook  # type: ignore[assignment]


def measure(backend: str, folder: Path, pairs: int) -> list[dict[str, object]]:
    with scratch_database(backend, folder, "mail") as (_url, engine):
        seed_events(engine, total=1, now=datetime.now(UTC))
        event_id, tier_id = _event(engine)
        members = seed_members(engine, 2 * pairs + 10)
        for warm in members[:10]:  # templates, statements and connections warm
            _one(engine, warm, event_id, tier_id, mail=True)
        plain: list[float] = []
        with_mail: list[float] = []
        for index in range(pairs):
            plain.append(_one(engine, members[10 + 2 * index], event_id, tier_id, False))
            with_mail.append(_one(engine, members[11 + 2 * index], event_id, tier_id, True))
        with Session(engine) as session:
            queued = len(session.exec(select(MailMessage.id)).all())
            invitations = len(
                session.exec(
                    select(MailMessage.id).where(MailMessage.calendar_method == "REQUEST")
                ).all()
            )
    added = median(with_mail) - median(plain)
    return [
        {
            "part": "mail enqueue",
            "backend": backend,
            "variant": "its confirmation + invitation",
            "pairs": pairs,
            "rsvp_p50_ms": median(plain),
            "rsvp_p90_ms": percentile(plain, 0.9),
            "rsvp_mail_p50_ms": median(with_mail),
            "rsvp_mail_p90_ms": percentile(with_mail, 0.9),
            "added_ms": added,
            "within_target": added < TARGET_MS,
            "mails_queued": queued,
            "invitations": invitations,
        }
    ]
