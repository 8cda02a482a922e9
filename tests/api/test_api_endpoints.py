"""The public API over HTTP: lists, filters, cursors, one event/group/idea, ETag and
304, caching and CORS headers, and a JSON 400 or 404 for bad input."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from community_app.domain.enums import EventFormat, EventKind, EventStatus, RsvpStatus
from community_app.domain.models import AgendaItem, EventHost, EventTag, ProjectIdea
from tests.domain.proposal_world import add_rsvp
from tests.factories import make_event, make_group, make_member, make_tier
from tests.feeds.client import get, request

pytestmark = pytest.mark.integration

SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
JOIN = "https://meet.example.com/secret-room"


def _world(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as session:
        wlb = make_group(session, slug="wlb", name="WLB 夜カフェ", name_en="WLB night cafe")
        npo = make_group(session, slug="npo", name="NPO 勉強会")
        for number in range(5):
            starts = SOON + timedelta(days=number)
            event = make_event(
                session, group_id=wlb.id, slug=f"cafe-{number}", title=f"夜カフェ {number}",
                starts_at=starts, ends_at=starts + timedelta(hours=2), join_url=JOIN,
                timezone="Asia/Tokyo",
            )  # fmt: skip
            session.add(EventTag(event_id=event.id, tag="子育て"))
        study = make_event(
            session, group_id=npo.id, slug="npo-study", title="NPO 勉強会",
            kind=EventKind.STUDY_SESSION, format=EventFormat.HYBRID, join_url=JOIN,
            starts_at=SOON, ends_at=SOON + timedelta(hours=1), venue_name="市民会館",
        )  # fmt: skip
        tier = make_tier(session, event_id=study.id, name="会場", capacity=2)
        add_rsvp(session, study, make_member(session), RsvpStatus.GOING, tier_name=tier.name)
        session.add(EventHost(event_id=study.id, name="山田", affiliation="NPO"))
        session.add(AgendaItem(event_id=study.id, title="基調講演", duration_minutes=30))
        make_event(
            session, group_id=npo.id, slug="draft-one", title="下書き",
            status=EventStatus.SUBMITTED, published_at=None, starts_at=SOON,
            ends_at=SOON + timedelta(hours=1),
        )  # fmt: skip
        author = make_member(session, display_name="提案者")
        session.add(
            ProjectIdea(
                slug="ひみつ基地", title="ひみつ基地を作りたい", author_id=author.id,
                group_id=npo.id, help_needed="大工さん", created_at=SOON - timedelta(days=9),
                updated_at=SOON - timedelta(days=9),
            )
        )  # fmt: skip
        session.commit()


def _json(path: str) -> dict:
    response = get(path)
    assert response.status_code == 200, (path, response.text)
    assert response.headers["content-type"] == "application/json"
    return json.loads(response.content)


def test_events_list_filters_and_pages_with_a_cursor(app_database: Engine) -> None:
    _world(app_database)

    first = _json("/api/v1/events?group=wlb&limit=2")
    second = _json(first["next_url"])
    third = _json(f"/api/v1/events?group=wlb&limit=2&cursor={second['next_cursor']}")
    study = _json("/api/v1/events?kind=study_session")["items"]

    slugs = [item["slug"] for page in (first, second, third) for item in page["items"]]
    assert slugs == [f"cafe-{n}" for n in range(5)]
    assert third["next_cursor"] is None and third["next_url"] is None
    assert [item["slug"] for item in study] == ["npo-study"]
    assert study[0]["group"]["slug"] == "npo" and study[0]["timezone"] == "Asia/Tokyo"
    assert study[0]["starts_at"].endswith("+09:00")
    assert datetime.fromisoformat(study[0]["starts_at"]) == SOON


def test_one_event_has_its_tiers_seats_hosts_and_agenda_but_never_the_join_url(
    app_database: Engine,
) -> None:
    _world(app_database)

    response = get("/api/v1/events/npo-study")
    event = json.loads(response.content)

    assert JOIN not in response.text and "secret" not in response.text
    assert (event["tiers"][0]["capacity"], event["tiers"][0]["going"]) == (2, 1)
    assert event["tiers"][0]["seats_left"] == 1
    assert event["hosts"] == [{"name": "山田", "role": "host", "affiliation": "NPO"}]
    assert event["agenda"][0]["title"] == "基調講演"
    assert event["url"] == "https://tsudoi.example/events/npo-study"
    assert get("/api/v1/events/draft-one").status_code == 404


def test_groups_and_a_groups_events(app_database: Engine) -> None:
    _world(app_database)

    groups = _json("/api/v1/groups?limit=1")
    rest = _json(groups["next_url"])
    group = _json("/api/v1/groups/wlb")
    events = _json("/api/v1/groups/wlb/events?limit=50")

    assert [g["slug"] for g in groups["items"] + rest["items"]] == ["npo", "wlb"]
    assert group["name_en"] == "WLB night cafe" and group["upcoming_event_count"] == 5
    assert len(events["items"]) == 5 and events["next_cursor"] is None
    assert get("/api/v1/groups/nope/events").status_code == 404


def test_ideas_list_and_one_idea(app_database: Engine) -> None:
    _world(app_database)

    ideas = _json("/api/v1/ideas?group=npo")
    idea = _json(f"/api/v1/ideas/{quote('ひみつ基地')}")

    assert [i["slug"] for i in ideas["items"]] == ["ひみつ基地"]
    assert idea["help_wanted"] == "大工さん" and idea["supports"] == 0
    assert idea["author"] == "提案者" and idea["events"] == []
    assert _json("/api/v1/ideas?status=archived")["items"] == []


def test_etag_answers_304_and_caching_and_cors_headers_are_set(app_database: Engine) -> None:
    _world(app_database)

    first = get("/api/v1/events", headers={"Origin": "https://town.example.jp"})
    again = get("/api/v1/events", headers={"If-None-Match": first.headers["etag"]})
    preflight = request(
        "OPTIONS",
        "/api/v1/events",
        headers={
            "Origin": "https://town.example.jp",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "if-none-match",
        },
    )

    assert first.headers["access-control-allow-origin"] == "*"
    assert "ETag" in first.headers["access-control-expose-headers"]
    assert first.headers["cache-control"] == "public, max-age=60"
    assert again.status_code == 304 and again.content == b""
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/events?colour=red", "colour"),
        ("/api/v1/events?kind=party", "kind"),
        ("/api/v1/events?when=soon", "when"),
        ("/api/v1/events?from=2026-13-01", "from"),
        ("/api/v1/events?from=2026-12-02&to=2026-12-01", "to"),
        ("/api/v1/events?tz=Mars/Olympus", "tz"),
        ("/api/v1/events?limit=101", "limit"),
        ("/api/v1/events?limit=0", "limit"),
        ("/api/v1/events?kind=workshop&kind=other", "kind"),
        ("/api/v1/events?cursor=not-a-cursor", "cursor"),
        ("/api/v1/events?cursor=WyJpZGVhcyIsIjIwMjYtMDEtMDFUMDA6MDA6MDArMDA6MDAiLDFd", "cursor"),
        ("/api/v1/events?q=" + "あ" * 500, "q"),
        ("/api/v1/groups?limit=abc", "limit"),
        ("/api/v1/ideas?status=secret", "status"),
        ("/api/v1/events/npo-study?x=1", "x"),
    ],
)
def test_bad_input_gets_a_json_400_naming_the_parameter(
    app_database: Engine, path: str, parameter: str
) -> None:
    response = get(path)

    assert response.status_code == 400, response.text
    error = json.loads(response.content)["error"]
    assert error["code"] == "invalid_parameter" and error["parameter"] == parameter
    assert parameter in error["message"] and error["message_ja"]


def test_unknown_slugs_get_a_json_404(app_database: Engine) -> None:
    for path in ("/api/v1/events/nope", "/api/v1/groups/nope", "/api/v1/ideas/nope"):
        response = get(path)
        assert response.status_code == 404
        assert json.loads(response.content)["error"]["code"] == "not_found"
    assert get("/api/v1/events?group=nope").status_code == 404


def test_the_openapi_document_and_the_human_page(app_database: Engine) -> None:
    document = _json("/api/v1/openapi.json")
    page = get("/api/v1/")

    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) >= {"/events", "/events/{slug}", "/ideas/{slug}"}
    assert "EventDetail" in document["components"]["schemas"]
    assert page.status_code == 200 and "/api/v1/openapi.json" in page.text
    assert get("/api/v1").status_code == 200


def test_head_and_gzip(app_database: Engine) -> None:
    _world(app_database)

    head = request("HEAD", "/api/v1/events?limit=50")
    zipped = request("GET", "/api/v1/events?limit=50", headers={"Accept-Encoding": "gzip"})
    plain = get("/api/v1/events?limit=50")

    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == plain.headers["etag"]
    assert zipped.headers["content-encoding"] == "gzip"
    assert len(zipped.content) < len(plain.content)
