"""The embeddable widget: the next events of a group or of the site, ja or en, light or
dark, small, frameable by any site (and only these routes), no script."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from community_app.domain.enums import EventStatus
from tests.factories import make_event, make_group
from tests.feeds.client import get

pytestmark = pytest.mark.integration

SOON = datetime(2030, 11, 30, 12, 0, tzinfo=UTC)  # Sat 21:00 in Tokyo


def _world(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as session:
        group = make_group(session, slug="wlb", name="WLB 夜カフェ", name_en="WLB Night Cafe")
        other = make_group(session, slug="npo", name="NPO")
        for number in range(25):
            starts = SOON + timedelta(days=7 * number)
            make_event(
                session, group_id=group.id, slug=f"cafe-{number}",
                title=f"夜カフェ <第{number}回> & おしゃべり" + "。" * 60,
                starts_at=starts, ends_at=starts + timedelta(hours=1),
                join_url="https://meet.example/secret",
            )  # fmt: skip
        make_event(
            session, group_id=other.id, slug="npo-cancelled", title="中止になった会",
            status=EventStatus.CANCELLED, starts_at=SOON, ends_at=SOON + timedelta(hours=1),
        )  # fmt: skip
        session.commit()


def test_the_group_widget_lists_the_next_events_in_japanese(app_database: Engine) -> None:
    _world(app_database)

    response = get("/embed/groups/wlb")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    text = response.text
    assert "WLB 夜カフェ の今後のイベント" in text and "<html lang='ja'" in text
    assert "2030年11月30日(土) 21:00" in text
    assert text.count("<li>") == 5  # the default number
    assert "夜カフェ &lt;第0回&gt; &amp; おしゃべり" in text  # escaped
    assert "https://tsudoi.example/events/cafe-0" in text and "secret" not in text
    assert "<script" not in text


def test_english_dark_and_twenty_events_stay_under_30_kb(app_database: Engine) -> None:
    _world(app_database)

    response = get("/embed/groups/wlb?lang=en&theme=dark&limit=20")

    assert "Upcoming events of WLB Night Cafe" in response.text
    assert "Sat, 30 Nov 2030, 21:00" in response.text
    assert "data-theme='dark'" in response.text and response.text.count("<li>") == 20
    assert len(response.content) < 30 * 1024


def test_the_site_widget_shows_every_group_and_marks_cancelled_events(
    app_database: Engine,
) -> None:
    _world(app_database)

    text = get("/embed/events?limit=20").text

    assert "中止になった会" in text and "中止</span>" in text and "cafe-0" in text


def test_any_site_may_frame_the_widget_and_it_has_its_own_policy(app_database: Engine) -> None:
    _world(app_database)

    response = get("/embed/groups/wlb")
    again = get("/embed/groups/wlb", headers={"If-None-Match": response.headers["etag"]})

    policy = response.headers["content-security-policy"]
    assert "frame-ancestors *" in policy and "script-src" not in policy
    assert "default-src 'none'" in policy
    assert "x-frame-options" not in response.headers
    assert again.status_code == 304


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/embed/groups/wlb?lang=fr", 400),
        ("/embed/groups/wlb?theme=pink", 400),
        ("/embed/groups/wlb?limit=21", 400),
        ("/embed/groups/wlb?limit=x", 400),
        ("/embed/groups/nope", 404),
    ],
)
def test_bad_input_gets_a_clear_answer(app_database: Engine, path: str, status: int) -> None:
    _world(app_database)

    response = get(path)

    assert response.status_code == status
    assert "frame-ancestors *" in response.headers["content-security-policy"]
    if status == 400:
        assert "が正しくありません" in response.text and "is not valid" in response.text
