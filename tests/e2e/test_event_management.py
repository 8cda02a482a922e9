"""Stored XSS in descriptions and recaps never runs; organisers repeat, cancel and
recap events from the event page, in a real browser."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from reflex.testing import AppHarnessProd
from sqlalchemy import text

from community_app.db import read_session, write_session
from community_app.domain.enums import EventStatus
from community_app.domain.events import new_event_uid
from community_app.domain.models import Event
from tests.e2e.support import TIMEOUT_MS, Capture, create_account, group_id, log_in, new_page, url

pytestmark = pytest.mark.e2e
GROUP = "hikaridai-otagaisama"
PAYLOADS = "\n\n".join(
    [
        "これは表示の安全を確かめるための説明文です。",
        '<img src="x" onerror="window.__xss = \'img\'">',
        "[クリックしてね](javascript:window.__xss='link')",
        "<script>window.__xss = 'script'</script>",
        "<a href=\"javascript:window.__xss='raw-link'\">raw</a>",
        "<svg onload=\"window.__xss='svg'\"></svg>",
        "**太字は効く**",
        '```html\n<img src="x" onerror="window.__xss = \'code\'">\n```',
    ]
)


def _event(*, started: bool = False, **values: object) -> tuple[int, str]:
    now = datetime.now(UTC)
    start = now - timedelta(hours=1) if started else now + timedelta(days=10)
    slug = f"安全確認-{uuid.uuid4().hex[:8]}"
    with write_session() as session:
        event = Event(
            uid=new_event_uid(),
            slug=slug,
            title=f"安全確認の会 {uuid.uuid4().hex[:4]}",
            group_id=group_id(GROUP, session=session),
            status=EventStatus.APPROVED,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            published_at=now,
            **({"description": "安全のための確認用イベントです。"} | values),
        )
        session.add(event)
        session.flush()
        assert event.id is not None
        return event.id, slug


def _no_script_ran(page: Page) -> None:
    assert page.evaluate("() => window.__xss") is None


def test_stored_xss_in_a_description_and_a_recap_is_shown_as_text_and_never_runs(
    app: AppHarnessProd, page: Page
) -> None:
    now = datetime.now(UTC)
    _, slug = _event(
        started=True, description=PAYLOADS, recap_summary=PAYLOADS, recap_posted_at=now
    )

    page.goto(url(app, f"/events/{slug}"))
    description = page.locator("#event-description")
    expect(description.locator("strong")).to_have_text("太字は効く", timeout=TIMEOUT_MS)
    expect(page.locator("#event-recap")).to_be_visible()
    # A fenced block is plain preformatted text (no highlighter), the markup shown as is.
    expect(description.locator("pre code")).to_contain_text('<img src="x" onerror=')

    for area in (description, page.locator("#event-recap")):
        assert area.locator("img, script, svg, [onerror], [onload]").count() == 0
        for link in area.locator("a").all():
            assert not (link.get_attribute("href") or "").lower().startswith("javascript")
    link = description.get_by_text("クリックしてね")
    if link.count():
        link.first.click()
    page.wait_for_timeout(300)
    _no_script_ran(page)


def _organiser_page(browser: Browser, app: AppHarnessProd) -> Page:
    page = new_page(browser)
    log_in(Capture(page, app), create_account("繰り返し 世話人", organiser_of=GROUP))
    return page


def _series_size(event_id: int) -> int:
    with read_session() as session:
        return int(
            session.execute(
                text(
                    "SELECT count(*) FROM events WHERE series_id ="
                    " (SELECT series_id FROM events WHERE id = :e)"
                ),
                {"e": event_id},
            ).scalar_one()
        )


def test_an_organiser_repeats_an_event_and_edits_this_and_following(
    app: AppHarnessProd, browser: Browser
) -> None:
    event_id, slug = _event(venue_name="ひかりだい集会所", format="in_person")
    page = _organiser_page(browser, app)
    page.goto(url(app, f"/events/{slug}"))

    page.get_by_text("繰り返し開催にする").click()
    page.locator("#repeat-frequency").select_option("weekly")
    page.locator("#repeat-count").fill("3")
    page.locator("#repeat-submit").click()
    expect(page.get_by_text("繰り返し開催の1回")).to_be_visible(timeout=TIMEOUT_MS)
    assert _series_size(event_id) == 3

    page.locator("#edit-event").click()
    expect(page.locator("#scope")).to_be_visible(timeout=TIMEOUT_MS)
    page.locator("#event-venue_name").fill("ひかりだい公民館")
    page.locator("#scope").select_option("following")
    page.locator("#save-draft").click()
    expect(page.locator("#event-status")).to_have_text("公開中", timeout=TIMEOUT_MS)
    with read_session() as session:
        venues = session.execute(
            text(
                "SELECT venue_name, sequence FROM events WHERE series_id ="
                " (SELECT series_id FROM events WHERE id = :e)"
            ),
            {"e": event_id},
        ).all()
    assert [tuple(v) for v in venues] == [("ひかりだい公民館", 1)] * 3
    page.context.close()


def test_an_organiser_cancels_with_a_canned_reason_and_posts_a_recap(
    app: AppHarnessProd, browser: Browser
) -> None:
    _, upcoming = _event()
    _, finished = _event(started=True)
    page = _organiser_page(browser, app)

    page.goto(url(app, f"/events/{upcoming}"))
    page.locator("#cancel-toggle").click()
    page.get_by_role("button", name="会場の都合により中止します。").click()
    expect(page.locator("#move-reason")).to_have_value("会場の都合により中止します。")
    page.locator("[data-move=cancelled]").click()
    expect(page.get_by_text("このイベントは中止になりました")).to_be_visible(timeout=TIMEOUT_MS)

    page.goto(url(app, f"/events/{finished}"))
    page.get_by_text("開催レポートを公開").first.click()
    page.locator("#recap-summary").fill("今日は30人が参加。次回は1月です。")
    page.locator("#recap-material").fill("https://slides.example.org/deck | 当日のスライド")
    page.locator("#recap-form button[type=submit]").click()
    expect(page.locator("#event-recap")).to_contain_text("30人が参加", timeout=TIMEOUT_MS)
    expect(page.get_by_role("link", name="当日のスライド")).to_have_attribute(
        "href", "https://slides.example.org/deck"
    )
    page.context.close()
