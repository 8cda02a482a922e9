"""Small factories with obvious defaults; pass overrides for what a test cares about."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel import Session

from community_app.domain.enums import EventStatus
from community_app.domain.events import new_event_uid
from community_app.domain.models import Event, Group, Member, ParticipationTier

_counter = itertools.count(1)
START = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # Sat 21:00 in Tokyo


def make_member(session: Session, **overrides: Any) -> Member:
    number = next(_counter)
    values: dict[str, Any] = {
        "email": f"member{number}@example.org",
        "display_name": f"メンバー{number}",
        "password_hash": "not-a-real-hash",
    }
    member = Member(**(values | overrides))
    session.add(member)
    session.flush()
    return member


def make_group(session: Session, **overrides: Any) -> Group:
    number = next(_counter)
    values: dict[str, Any] = {"slug": f"group-{number}", "name": f"グループ{number}"}
    group = Group(**(values | overrides))
    session.add(group)
    session.flush()
    return group


def make_event(session: Session, **overrides: Any) -> Event:
    number = next(_counter)
    if "group_id" not in overrides:
        overrides["group_id"] = make_group(session).id
    values: dict[str, Any] = {
        "uid": new_event_uid(),
        "slug": f"勉強会-{number}",
        "title": f"勉強会 {number}",
        "status": EventStatus.APPROVED,
        "starts_at": START,
        "ends_at": START + timedelta(hours=2),
        "published_at": START - timedelta(days=7),
    }
    event = Event(**(values | overrides))
    session.add(event)
    session.flush()
    return event


def make_tier(session: Session, **overrides: Any) -> ParticipationTier:
    if "event_id" not in overrides:
        overrides["event_id"] = make_event(session).id
    tier = ParticipationTier(**({"name": "オンライン参加", "capacity": 100} | overrides))
    session.add(tier)
    session.flush()
    return tier
