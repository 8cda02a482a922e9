"""Bench data, inserted in bulk: groups whose public feeds hold exactly 1 000 and
10 000 events, filler up to the total asked for (100 000 for the pages), and members."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert
from sqlmodel import Session

from community_app.domain.enums import EventFormat, EventKind, EventStatus, TierAllocation
from community_app.domain.models import Event, EventTag, Group, Member, ParticipationTier

BATCH = 5_000
KINDS = list(EventKind)
FORMATS = list(EventFormat)
TAGS = ("python", "子育て", "地域", "npo", "デザイン", "防災", "初心者歓迎", "もくもく会")
DESCRIPTION = (
    "## 今回のテーマ\n\n"
    "地域のみなさんと、最近の取り組みを紹介しあう**勉強会**です。"
    "初めての方も歓迎します。資料は [共有フォルダ](https://example.org/slides) にあります。\n\n"
    "- 自己紹介（5分）\n- 話題提供（20分）\n- 交流会（30分）\n"
)


@dataclass(frozen=True)
class Seeded:
    group_slugs: dict[int, str]  # feed size -> group slug
    event_slug: str  # an upcoming event of the small group, for the event page
    event_title: str
    first_title: str  # the soonest upcoming event (first card on the home page)
    total_events: int


def _group(session: Session, slug: str, name: str) -> int:
    group = Group(slug=slug, name=name, name_en=slug)
    session.add(group)
    session.flush()
    assert group.id is not None
    return group.id


def _event_rows(group_id: int, count: int, start: datetime, prefix: str) -> list[dict[str, object]]:
    rows = []
    for i in range(count):
        starts = start + timedelta(hours=3 * i + 1)
        rows.append(
            {
                "uid": f"{uuid.uuid4()}@tsudoi.bench",
                "slug": f"{prefix}-{i}",
                "group_id": group_id,
                "title": f"{prefix} 勉強会 第{i}回",
                "summary": "地域の仲間と学びあう、オンラインと会場の勉強会です。",
                "description": DESCRIPTION,
                "kind": KINDS[i % len(KINDS)],
                "format": FORMATS[i % len(FORMATS)],
                "status": EventStatus.APPROVED,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "timezone": "Asia/Tokyo",
                "venue_name": "市民活動センター 会議室A" if i % 3 else "",
                "venue_address": "東京都千代田区1-2-3" if i % 3 else "",
                "published_at": start - timedelta(days=30),
                "sequence": i % 3,
                "created_at": start - timedelta(days=30),
                "updated_at": start - timedelta(days=10, seconds=i),
            }
        )
    return rows


def _insert_events(engine: Engine, rows: list[dict[str, object]]) -> None:
    with Session(engine) as session:
        for begin in range(0, len(rows), BATCH):
            chunk = rows[begin : begin + BATCH]
            session.execute(insert(Event), chunk)
        session.commit()
        slugs = [row["slug"] for row in rows]
        ids = dict(
            session.execute(
                Event.__table__.select()  # type: ignore[attr-defined]
                .with_only_columns(Event.__table__.c.slug, Event.__table__.c.id)  # type: ignore[attr-defined]
                .where(Event.__table__.c.slug.in_(slugs[:1] + slugs[-1:]))  # type: ignore[attr-defined]
            ).all()
        )
        assert max(ids.values()) - min(ids.values()) + 1 == len(rows), "ids not contiguous"
        tags = []
        first_id = min(ids.values())
        for offset in range(len(rows)):
            tags.append({"event_id": first_id + offset, "tag": TAGS[offset % len(TAGS)]})
            tags.append({"event_id": first_id + offset, "tag": TAGS[(offset + 3) % len(TAGS)]})
        for begin in range(0, len(tags), 2 * BATCH):
            session.execute(insert(EventTag), tags[begin : begin + 2 * BATCH])
        created = rows[0]["created_at"]
        tiers = [
            {
                "event_id": first_id + offset,
                "name": "会場参加",
                "capacity": 30,
                "allocation": TierAllocation.FIRST_COME,
                "created_at": created,
            }
            for offset in range(len(rows))
        ]
        for begin in range(0, len(tiers), BATCH):
            session.execute(insert(ParticipationTier), tiers[begin : begin + BATCH])
        session.commit()


def seed_events(engine: Engine, *, total: int, now: datetime) -> Seeded:
    """Groups ``bench-1k`` and ``bench-10k`` (their feeds hold exactly that many events,
    fewer when ``total`` is smaller) and filler events up to ``total``."""
    start = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    sizes = [size for size in (1_000, 10_000) if size <= total] or [total]
    with Session(engine, expire_on_commit=False) as session:
        groups = {size: _group(session, f"bench-{size}", f"ベンチ {size}") for size in sizes}
        filler = _group(session, "bench-filler", "ベンチ その他")
        session.commit()
    used = 0
    for size, group_id in groups.items():
        # Each batch of events is contiguous in id, so its tags follow the same ids.
        _insert_events(engine, _event_rows(group_id, size, start, f"b{size}"))
        used += size
    if total > used:
        _insert_events(engine, _event_rows(filler, total - used, start, "filler"))
    small = min(sizes)
    return Seeded(
        group_slugs={size: f"bench-{size}" for size in sizes},
        event_slug=f"b{small}-5",
        event_title=f"b{small} 勉強会 第5回",
        first_title=f"b{small} 勉強会 第0回",
        total_events=max(total, used),
    )


def seed_members(engine: Engine, count: int) -> list[int]:
    """``count`` members, in id order."""
    now = now_utc()
    with Session(engine) as session:
        rows = [
            {
                "email": f"bench{i}-{uuid.uuid4().hex[:6]}@example.org",
                "display_name": f"メンバー{i}",
                "password_hash": "not-a-real-hash",
                "created_at": now,
                "updated_at": now,
            }
            for i in range(count)
        ]
        session.execute(insert(Member), rows)
        session.commit()
        return [
            row[0]
            for row in session.execute(
                Member.__table__.select()
                .with_only_columns(Member.__table__.c.id)
                .order_by(Member.__table__.c.id)
            ).all()
        ]  # type: ignore[attr-defined]


def now_utc() -> datetime:
    return datetime.now(UTC)
