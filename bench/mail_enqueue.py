"""5. Mail enqueue: what writing an RSVP's mail to the outbox adds to the RSVP itself.

Each member's RSVP runs in its own write transaction, as the handler runs it. Three
kinds alternate, so drift hits all alike: the RSVP alone; the RSVP that also renders
and queues its mail (a participation mail with its one-click unsubscribe link); and the
same with an iMIP part built from the event with ``calendar.build_calendar`` (the shape
of an RSVP confirmation). The difference of the medians is what the mail costs. Issue
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
from community_app.domain.calendar import FeedHeader, build_calendar, event_feed_entry
from community_app.domain.mail import CalendarPart, MailSite, enqueue_mail
from community_app.domain.mail_kinds import MailKind
from community_app.domain.models import Event, MailMessage, Member, ParticipationTier
from community_app.domain.permissions import load_actor
from community_app.domain.rsvps import rsvp

TARGET_MS = 5.0
SITE = MailSite("Tsudoi", "https://tsudoi.example", "bench-secret-" * 4, "tsudoi.example")


def _event(engine: Engine) -> tuple[int, int, str]:
    with Session(engine, expire_on_commit=False) as session:
        event = session.exec(select(Event).order_by(Event.id)).first()
        assert event is not None and event.id is not None
        tier = ParticipationTier(event_id=event.id, name="オンライン (bench)", capacity=None)
        session.add(tier)
        session.commit()
        assert tier.id is not None
        return event.id, tier.id, event.slug


def _invitation(session: Session, slug: str, now: datetime) -> CalendarPart:
    entry = event_feed_entry(session, slug=slug, now=now)
    assert entry is not None
    header = FeedHeader(entry.title, entry.summary, SITE.url, entry.timezone)
    ics = build_calendar([entry], header).replace(
        b"BEGIN:VEVENT", b"METHOD:REQUEST\r\nBEGIN:VEVENT", 1
    )
    return CalendarPart(method="REQUEST", ics=ics)


def _one(
    engine: Engine, member_id: int, event_id: int, tier_id: int, slug: str, mail: bool
) -> float:
    begin = time.perf_counter()
    now = datetime.now(UTC)
    with write_session(engine) as session:
        actor = load_actor(session, member_id=member_id)
        rsvp(session, actor=actor, event_id=event_id, tier_id=tier_id, now=now)
        if mail:
            member = session.get(Member, member_id)
            assert member is not None
            context = {"group_name": slug, "approved": True, "group_path": "/events"}
            enqueue_mail(
                session,
                member=member,
                kind=MailKind.MEMBERSHIP_DECIDED,
                context=context,
                now=now,
                calendar=_invitation(session, slug, now) if mail == "mail+ics" else None,
                site=SITE,
            )
    return (time.perf_counter() - begin) * 1000


def measure(backend: str, folder: Path, pairs: int) -> list[dict[str, object]]:
    with scratch_database(backend, folder, "mail") as (_url, engine):
        seed_events(engine, total=1, now=datetime.now(UTC))
        event_id, tier_id, slug = _event(engine)
        members = seed_members(engine, 3 * pairs + 10)
        for warm in members[:10]:  # templates, statements and connections warm
            _one(engine, warm, event_id, tier_id, slug, mail="mail+ics")
        times: dict[str, list[float]] = {"": [], "mail": [], "mail+ics": []}
        for index in range(pairs):
            for offset, mail in enumerate(times):
                member = members[10 + len(times) * index + offset]
                times[mail].append(_one(engine, member, event_id, tier_id, slug, mail=mail))
        with Session(engine) as session:
            queued = len(session.exec(select(MailMessage.id)).all())
    plain = times[""]
    rows: list[dict[str, object]] = []
    for mail in ("mail", "mail+ics"):
        added = median(times[mail]) - median(plain)
        rows.append(
            {
                "part": "mail enqueue",
                "backend": backend,
                "variant": mail,
                "pairs": pairs,
                "rsvp_p50_ms": median(plain),
                "rsvp_p90_ms": percentile(plain, 0.9),
                "rsvp_mail_p50_ms": median(times[mail]),
                "rsvp_mail_p90_ms": percentile(times[mail], 0.9),
                "added_ms": added,
                "within_target": added < TARGET_MS,
                "mails_queued": queued,
            }
        )
    return rows
