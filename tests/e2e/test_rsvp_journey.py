"""Two members, one seat: the first goes, the second waits as number 1; the first
cancels and the second is going and sees the join link. In a real browser."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from reflex.testing import AppHarnessProd

from community_app.db import write_session
from community_app.domain.enums import EventStatus
from community_app.domain.events import new_event_uid
from community_app.domain.models import Event, ParticipationTier
from tests.e2e.conftest import journey_shot
from tests.e2e.support import (
    TIMEOUT_MS,
    Account,
    Capture,
    create_account,
    group_id,
    log_in,
    new_page,
    url,
)

pytestmark = pytest.mark.e2e
GROUP = "wlb-night-cafe"


def _event_with_one_seat() -> tuple[str, str]:
    now = datetime.now(UTC)
    join_url = f"https://meet.example.com/one-seat-{uuid.uuid4().hex[:8]}"
    slug = f"一席だけの会-{uuid.uuid4().hex[:6]}"
    with write_session() as session:
        event = Event(
            uid=new_event_uid(), slug=slug, title="一席だけの相談会",
            description="少人数の相談会です。",
            group_id=group_id(GROUP, session=session), status=EventStatus.APPROVED,
            starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=1),
            published_at=now, join_url=join_url,
        )  # fmt: skip
        session.add(event)
        session.flush()
        session.add(ParticipationTier(event_id=event.id, name="相談枠", capacity=1))
    return slug, join_url


def _member_page(browser: Browser, app: AppHarnessProd, account: Account) -> Page:
    page = new_page(browser)
    log_in(Capture(page, app), account)
    return page


def test_capacity_one_second_waits_first_cancels_second_goes_with_the_join_link(
    app: AppHarnessProd, browser: Browser
) -> None:
    slug, join_url = _event_with_one_seat()
    first = _member_page(browser, app, create_account("先着 一子"))
    second = _member_page(browser, app, create_account("二番 二郎"))

    first.goto(url(app, f"/events/{slug}"))
    first.locator(".rsvp-button").click()
    expect(first.locator("#rsvp-status")).to_have_text("参加が確定しています", timeout=TIMEOUT_MS)
    expect(first.locator("#join-url")).to_have_text(join_url)

    second.goto(url(app, f"/events/{slug}"))
    expect(second.locator(".tier-seats")).to_contain_text("残り0席", timeout=TIMEOUT_MS)
    expect(second.locator("#join-url")).to_have_count(0)
    second.locator(".rsvp-button").click()
    expect(second.locator("#rsvp-status")).to_have_text(
        "キャンセル待ちです(1番目)", timeout=TIMEOUT_MS
    )
    assert join_url not in second.content()
    journey_shot(second, "ja", "rsvp-1-waitlisted")

    first.locator("#cancel-rsvp").click()
    expect(first.locator("#rsvp-status")).to_have_count(0, timeout=TIMEOUT_MS)

    second.reload()
    expect(second.locator("#rsvp-status")).to_have_text("参加が確定しています", timeout=TIMEOUT_MS)
    expect(second.locator("#join-url")).to_have_text(join_url)
    journey_shot(second, "ja", "rsvp-2-promoted")
    for page in (first, second):
        page.context.close()


def test_a_visitor_sees_the_seats_and_is_asked_to_log_in(app: AppHarnessProd, page: Page) -> None:
    slug, join_url = _event_with_one_seat()
    page.goto(url(app, f"/events/{slug}"))
    expect(page.locator(".tier-seats")).to_contain_text("残り1席", timeout=TIMEOUT_MS)
    expect(page.locator("#login-to-rsvp")).to_be_visible()
    assert join_url not in page.content()
