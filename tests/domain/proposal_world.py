"""Test helpers for proposals: a valid event form, and events in any status."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from community_app.domain.enums import EventStatus, RsvpStatus
from community_app.domain.models import Event, EventTransition, Member, ParticipationTier, Rsvp
from tests.factories import START, make_event, make_tier

# Roles for proposals: the proposer is the World's ``member``; ``target`` is another
# member of the same group.
PROPOSAL_ROLES = ("visitor", "proposer", "target", "other_organiser", "organiser", "admin")


def event_form(**overrides: str) -> dict[str, str]:
    """A complete, valid form for a study session on 2026-12-05 19:00–21:00 in Tokyo."""
    values = {
        "title": "Python 勉強会 #3",
        "summary": "はじめてのデータ分析",
        "description": "## 内容\n\n- pandas 入門\n- 質問タイム",
        "kind": "study_session",
        "format": "hybrid",
        "timezone": "Asia/Tokyo",
        "start_date": "2026-12-05",
        "start_time": "19:00",
        "end_date": "2026-12-05",
        "end_time": "21:00",
        "venue_name": "桐生市民活動センター",
        "venue_address": "群馬県桐生市",
        "online_platform": "Zoom",
        "join_url": "https://zoom.example.com/j/123456",
        "tags": "python, データ分析",
        "hosts": "山田 花子 | NPO法人まちの先生 | 講師",
        "agenda": "自己紹介 | | 10\npandas 入門 | 山田 花子 | 60",
        "tiers": "会場参加 | 20\nオンライン参加",
    }
    return values | overrides


def make_proposal(
    session: Session, *, group_id: int, proposer: Member, status: EventStatus, **overrides: Any
) -> Event:
    published = status in (EventStatus.APPROVED, EventStatus.CANCELLED)
    values: dict[str, Any] = {
        "group_id": group_id,
        "proposer_id": proposer.id,
        "status": status,
        "published_at": START - timedelta(days=7) if published else None,
        "join_url": "https://meet.example.com/secret-room",
    }
    return make_event(session, **(values | overrides))


def add_rsvp(
    session: Session, event: Event, member: Member, status: RsvpStatus, *, tier_name: str = ""
) -> Rsvp:
    """An RSVP in the event's tier called ``tier_name``, or in a new tier."""
    tier = (
        session.exec(
            select(ParticipationTier).where(
                ParticipationTier.event_id == event.id, ParticipationTier.name == tier_name
            )
        ).one()
        if tier_name
        else make_tier(session, event_id=event.id)
    )
    rsvp = Rsvp(event_id=event.id, tier_id=tier.id, member_id=member.id, status=status)
    session.add(rsvp)
    session.flush()
    return rsvp


def transitions_of(session: Session, event: Event) -> list[tuple[Any, ...]]:
    rows = session.exec(
        select(EventTransition)
        .where(EventTransition.event_id == event.id)
        .order_by(col(EventTransition.id))
    ).all()
    return [(t.actor_id, t.from_status, t.to_status, t.reason) for t in rows]


def later(moment: datetime, **delta: float) -> datetime:
    return moment + timedelta(**delta)
