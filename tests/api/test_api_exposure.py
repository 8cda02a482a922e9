"""Nothing private leaves through the API or the widget: over the demo data, for every
event, group and idea and every filter value, no join URL, check-in code, e-mail
address, answer, unpublished event or private field appears in any answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from community_app.domain.demo import seed_demo
from community_app.domain.enums import EventFormat, EventKind, EventStatus
from community_app.domain.idea_board import IdeaFilter
from community_app.domain.models import Event, EventTag, Group, Member, ProjectIdea
from tests.factories import make_event
from tests.feeds.client import get

pytestmark = pytest.mark.integration

PRIVATE_KEYS = {"join_url", "email", "checkin_code", "password_hash", "lottery_seed", "answers"}


def _world(engine: Engine) -> dict[str, list[str]]:
    """The demo data plus an unpublished proposal with a tag of its own; what must not
    appear, and the slugs and tags to ask for."""
    with Session(engine, expire_on_commit=False) as session:
        seed_demo(session, now=datetime.now(UTC), password_hash="not-used")
        group = session.exec(select(Group)).first()
        assert group is not None
        hidden = make_event(
            session, group_id=group.id, slug="まだ秘密の下書き", title="まだ秘密の提案",
            status=EventStatus.SUBMITTED, published_at=None, join_url="https://meet.example/x1",
            checkin_code="ZX81QQ",
        )  # fmt: skip
        session.add(EventTag(event_id=hidden.id, tag="秘密タグ"))
        session.commit()
        events = session.exec(select(Event)).all()
        secrets = [e.join_url for e in events if e.join_url]
        secrets += [e.checkin_code for e in events if e.checkin_code]
        secrets += list(session.exec(select(Member.email)).all())
        unpublished = [
            e.title for e in events if e.status not in EventStatus.public() or not e.published_at
        ]
        slugs = list(
            session.exec(select(Event.slug).where(col(Event.published_at).is_not(None))).all()
        )
        groups = list(session.exec(select(Group.slug)).all())
        ideas = list(session.exec(select(ProjectIdea.slug)).all())
        tags = list(session.exec(select(EventTag.tag).distinct()).all())
    return {
        "secrets": secrets,
        "unpublished": [*unpublished, "まだ秘密の下書き"],
        "slugs": slugs,
        "groups": groups,
        "ideas": ideas,
        "tags": tags,
    }


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_no_answer_carries_anything_private_or_unpublished(app_database: Engine) -> None:
    world = _world(app_database)
    secrets, unpublished, slugs = world["secrets"], world["unpublished"], world["slugs"]
    groups, ideas, tags = world["groups"], world["ideas"], world["tags"]
    paths = [f"/api/v1/events/{quote(s)}" for s in slugs]
    paths += [f"/api/v1/groups/{quote(g)}" for g in groups]
    paths += [
        f"/api/v1/groups/{quote(g)}/events?when={w}" for g in groups for w in ("upcoming", "past")
    ]
    paths += [f"/api/v1/ideas/{quote(i)}" for i in ideas]
    paths += [f"/api/v1/ideas?status={s.value}&limit=100" for s in IdeaFilter]
    paths += ["/api/v1/groups?limit=100", "/api/v1/events?q=秘密", "/embed/events?limit=20"]
    for when in ("upcoming", "past"):
        paths += [f"/api/v1/events?when={when}&limit=100"]
        paths += [f"/api/v1/events?when={when}&kind={k.value}&limit=100" for k in EventKind]
        paths += [f"/api/v1/events?when={when}&format={f.value}&limit=100" for f in EventFormat]
        paths += [f"/api/v1/events?when={when}&tag={quote(t)}&limit=100" for t in tags]
    paths += [
        f"/embed/groups/{quote(g)}?limit=20&lang={lang}" for g in groups for lang in ("ja", "en")
    ]

    answers = {path: get(path) for path in paths}

    assert all(r.status_code == 200 for r in answers.values()), [
        (p, r.status_code) for p, r in answers.items() if r.status_code != 200
    ]
    assert secrets and len(slugs) > 10
    assert get(f"/api/v1/events/{quote('まだ秘密の下書き')}").status_code == 404
    assert json.loads(get(f"/api/v1/events?tag={quote('秘密タグ')}").content)["items"] == []
    for path, response in answers.items():
        text = response.text
        assert not [s for s in secrets if s in text], path
        assert not [t for t in unpublished if t in text], path
        if path.startswith("/api/"):
            assert not _keys(json.loads(response.content)) & PRIVATE_KEYS, path
