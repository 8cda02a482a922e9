"""The feed endpoints over HTTP: group, event and personal feeds, one 404 for anything
unknown, conditional requests, HEAD, gzip and caching headers; demo data never leaks a
join URL."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.parse import quote

import pytest
from icalendar import Calendar
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from community_app.domain.demo import seed_demo
from community_app.domain.enums import EventKind, RsvpStatus
from community_app.domain.feed_tokens import issue_feed_token, revoke_feed_token
from community_app.domain.models import Event, Group
from community_app.domain.permissions import load_actor
from tests.domain.proposal_world import add_rsvp
from tests.factories import make_event, make_group, make_member
from tests.feeds.client import get, request

pytestmark = pytest.mark.integration

SOON = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
JOIN = "https://meet.example.com/secret"


def _world(engine: Engine) -> dict[str, str]:
    with Session(engine, expire_on_commit=False) as session:
        group = make_group(session, slug="wlb", name="WLB 夜カフェ")
        other = make_group(session, slug="npo", name="NPO")
        times = {"starts_at": SOON, "ends_at": SOON + timedelta(hours=1), "join_url": JOIN}
        event = make_event(session, group_id=group.id, slug="夜カフェ", title="夜カフェ", **times)
        make_event(
            session, group_id=other.id, slug="npo-study", kind=EventKind.STUDY_SESSION, **times
        )
        member = make_member(session)
        add_rsvp(session, event, member, RsvpStatus.GOING)
        token = issue_feed_token(session, actor=load_actor(session, member_id=member.id), now=SOON)
        session.commit()
        return {"token": token.token, "member": str(member.id)}


def _titles(body: bytes) -> list[str]:
    return [str(e["summary"]) for e in Calendar.from_ical(body).walk("VEVENT")]


def test_group_and_event_feeds_list_their_events(app_database: Engine) -> None:
    _world(app_database)
    group = get("/feeds/groups/wlb.ics")
    event = get("/feeds/events/" + quote("夜カフェ") + ".ics")
    study = get("/feeds/events.ics?kind=study_session")

    assert group.status_code == event.status_code == study.status_code == 200
    assert _titles(group.content) == ["夜カフェ"] and _titles(event.content) == ["夜カフェ"]
    assert [str(e["url"]) for e in Calendar.from_ical(study.content).walk("VEVENT")] == [
        "https://tsudoi.example/events/npo-study"
    ]
    assert group.headers["cache-control"].startswith("public")
    assert JOIN.encode() not in group.content + event.content + study.content


def test_the_personal_feed_is_private_and_carries_the_join_url(app_database: Engine) -> None:
    token = _world(app_database)["token"]
    response = get(f"/feeds/personal/{token}.ics")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-store"
    assert JOIN.encode() in response.content.replace(b"\r\n ", b"")


def test_unknown_slugs_and_bad_or_revoked_tokens_get_the_same_404(app_database: Engine) -> None:
    world = _world(app_database)
    with Session(app_database) as session:
        actor = load_actor(session, member_id=int(world["member"]))
        revoke_feed_token(session, actor=actor, now=SOON)
        session.commit()
    answers = [
        get(path)
        for path in (
            "/feeds/groups/nope.ics",
            "/feeds/events/nope.ics",
            "/feeds/events.ics?group=nope",
            "/feeds/personal/not-a-token.ics",
            f"/feeds/personal/{world['token']}.ics",
        )
    ]
    assert {(a.status_code, a.content) for a in answers} == {(404, answers[0].content)}


def test_bad_filters_get_a_clear_400(app_database: Engine) -> None:
    response = get("/feeds/events.ics?kind=party")
    assert response.status_code == 400 and b"kind" in response.content


def test_etag_and_last_modified_answer_304_without_a_body(app_database: Engine) -> None:
    _world(app_database)
    first = get("/feeds/groups/wlb.ics")
    by_etag = get("/feeds/groups/wlb.ics", headers={"If-None-Match": first.headers["etag"]})
    by_date = get(
        "/feeds/groups/wlb.ics", headers={"If-Modified-Since": first.headers["last-modified"]}
    )
    stale_date = format_datetime(datetime(2020, 1, 1, tzinfo=UTC), usegmt=True)
    older = get("/feeds/groups/wlb.ics", headers={"If-Modified-Since": stale_date})
    etag_wins = get(
        "/feeds/groups/wlb.ics",
        headers={"If-None-Match": '"other"', "If-Modified-Since": first.headers["last-modified"]},
    )

    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == by_date.content == b""
    assert older.status_code == etag_wins.status_code == 200


def test_a_change_to_an_event_changes_the_etag(app_database: Engine) -> None:
    _world(app_database)
    before = get("/feeds/groups/wlb.ics").headers["etag"]
    with Session(app_database) as session:
        event = session.exec(select(Event).where(Event.slug == "夜カフェ")).one()
        event.title, event.sequence = "夜カフェ (時間変更)", event.sequence + 1
        session.add(event)
        session.commit()
    after = get("/feeds/groups/wlb.ics", headers={"If-None-Match": before})
    assert after.status_code == 200 and after.headers["etag"] != before


def test_head_gives_the_headers_without_the_body(app_database: Engine) -> None:
    _world(app_database)
    head = request("HEAD", "/feeds/events.ics")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == "text/calendar; charset=utf-8"
    assert head.headers["etag"] == get("/feeds/events.ics").headers["etag"]


def test_feeds_are_gzipped_when_asked(app_database: Engine) -> None:
    _world(app_database)
    plain = get("/feeds/events.ics")
    zipped = request("GET", "/feeds/events.ics", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content


def test_no_public_feed_of_the_demo_data_carries_a_join_url(app_database: Engine) -> None:
    with Session(app_database, expire_on_commit=False) as session:
        seed_demo(session, now=datetime.now(UTC), password_hash="not-used")
        session.commit()
        urls = [u for u in session.exec(select(Event.join_url)).all() if u]
        groups = session.exec(select(Group.slug)).all()
        slugs = session.exec(select(Event.slug).where(col(Event.published_at).is_not(None))).all()
    paths = ["/feeds/events.ics"] + [f"/feeds/groups/{quote(g)}.ics" for g in groups]
    paths += [f"/feeds/events/{quote(s)}.ics" for s in slugs]
    bodies = [get(path) for path in paths]

    assert urls and sum(1 for b in bodies if b.status_code == 200) > len(groups)
    for body in bodies:
        unfolded = body.content.replace(b"\r\n ", b"").decode("utf-8", "replace")
        assert not any(url in unfolded for url in urls)
        assert "CONFERENCE" not in unfolded


def test_an_unchanged_public_feed_is_served_from_the_rendered_cache_byte_for_byte(
    app_database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from community_app.feeds import app as feeds

    _world(app_database)
    builds: list[int] = []
    real_build = feeds.public_document
    monkeypatch.setattr(
        feeds, "public_document", lambda *a, **k: builds.append(1) or real_build(*a, **k)
    )

    first, second = get("/feeds/groups/wlb.ics"), get("/feeds/groups/wlb.ics")
    assert first.content == second.content and len(builds) == 1

    with Session(app_database) as session:
        event = session.exec(select(Event).where(Event.slug == "夜カフェ")).one()
        event.title, event.updated_at = "夜カフェ(改題)", SOON
        session.add(event)
        session.commit()
    changed = get("/feeds/groups/wlb.ics")
    assert len(builds) == 2 and _titles(changed.content) == ["夜カフェ(改題)"]
    assert changed.headers["etag"] != first.headers["etag"]


def test_a_warm_gzip_request_sends_the_stored_gzip_without_compressing_again(
    app_database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from community_app.feeds import rendered

    _world(app_database)
    compressions: list[int] = []
    real_compress = rendered.gzip.compress
    monkeypatch.setattr(
        rendered.gzip, "compress", lambda *a, **k: compressions.append(1) or real_compress(*a, **k)
    )
    plain = get("/feeds/events.ics")
    asked = {"Accept-Encoding": "gzip"}
    first, second = (
        request("GET", "/feeds/events.ics", asked),
        request("GET", "/feeds/events.ics", asked),
    )

    assert len(compressions) == 1  # once, when the document was rendered; not per request
    assert first.content == second.content
    assert second.headers["content-encoding"] == "gzip"
    assert second.headers["vary"] == "Accept-Encoding"
    assert int(second.headers["content-length"]) == len(second.content)
    assert gzip.decompress(second.content) == plain.content
    assert second.headers["etag"] == plain.headers["etag"]


def test_personal_feeds_are_never_kept_and_the_cache_stays_within_its_budget(
    app_database: Engine,
) -> None:
    from community_app.feeds import app as feeds

    world = _world(app_database)
    get(f"/feeds/personal/{world['token']}.ics")
    assert feeds.RENDERED.get(get(f"/feeds/personal/{world['token']}.ics").headers["etag"]) is None

    small = feeds.RenderedFeeds(max_bytes=10)
    small.put('"a"', b"12345")
    small.put('"b"', b"123456")
    small.put('"too-big"', b"x" * 11)
    assert small.get('"a"') is None and small.get('"b"') is not None
    assert small.get('"b"').body == b"123456"  # type: ignore[union-attr]
    assert small.get('"too-big"') is None


def test_a_member_never_gets_another_members_personal_fragment(app_database: Engine) -> None:
    with Session(app_database, expire_on_commit=False) as session:
        group = make_group(session, slug="wlb")
        times = {"starts_at": SOON, "ends_at": SOON + timedelta(hours=1), "join_url": JOIN}
        event = make_event(session, group_id=group.id, slug="夜カフェ", title="夜カフェ", **times)
        going, waiting = make_member(session), make_member(session)
        add_rsvp(session, event, going, RsvpStatus.GOING)
        add_rsvp(session, event, waiting, RsvpStatus.WAITLISTED)
        tokens = [
            issue_feed_token(session, actor=load_actor(session, member_id=m.id), now=SOON).token
            for m in (going, waiting)
        ]
        session.commit()

    # The going member's fragment (with the join URL) is cached first.
    going_body = get(f"/feeds/personal/{tokens[0]}.ics").content.replace(b"\r\n ", b"")
    waiting_body = get(f"/feeds/personal/{tokens[1]}.ics").content.replace(b"\r\n ", b"")

    assert JOIN.encode() in going_body and b"CONFERENCE" in going_body
    assert JOIN.encode() not in waiting_body and b"CONFERENCE" not in waiting_body
    assert "キャンセル待ち".encode() in waiting_body
