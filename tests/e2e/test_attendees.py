"""An organiser runs the attendee list: checks a member in, removes one (the waitlisted
member is promoted), moves another, and downloads a CSV that no spreadsheet reads as a
formula; members check themselves in with the code; others are refused."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from reflex.testing import AppHarnessProd

from community_app.db import write_session
from community_app.domain.models import Event
from tests.e2e.conftest import ARTIFACTS, journey_shot
from tests.e2e.support import (
    TIMEOUT_MS,
    Capture,
    add_rsvp,
    create_account,
    log_in,
    new_page,
    rsvp_event,
    rsvp_row,
    wait_until,
)

pytestmark = pytest.mark.e2e

GROUP = "wlb-night-cafe"


def _row(page: Page, name: str) -> Locator:
    return page.locator(".attendee-row").filter(has_text=name)


def test_an_organiser_checks_in_removes_moves_and_exports_safely(
    app: AppHarnessProd, browser: Browser, tmp_path: Path
) -> None:
    event = rsvp_event(GROUP, capacities=(1, 10))
    going = create_account('=HYPERLINK("http://evil")')
    waiting = create_account("待機 二郎")
    online = create_account("オンライン 三子")
    going_rsvp = add_rsvp(event, going.member_id)
    waiting_rsvp = add_rsvp(event, waiting.member_id, status="waitlisted")
    online_rsvp = add_rsvp(event, online.member_id, tier=1)
    page = new_page(browser)
    capture = Capture(page, app)
    log_in(capture, create_account("受付 世話人", organiser_of=GROUP))

    capture.visit(f"/events/{event.slug}/attendees")

    first = page.locator(".tier-card").first
    expect(_row(page, going.display_name)).to_contain_text("参加", timeout=TIMEOUT_MS)
    expect(_row(page, waiting.display_name)).to_contain_text("1 番目")
    expect(first).to_contain_text("残り 0")

    # Check in the member who is going.
    journey_shot(page, "ja", "checkin-1-attendees")
    _row(page, going.display_name).locator(".check-in").click()
    expect(_row(page, going.display_name).locator(".checked-in")).to_be_visible()
    journey_shot(page, "ja", "checkin-2-checked-in")
    wait_until(lambda: rsvp_row(going_rsvp)[2] is not None, "the check-in to be stored")

    # Remove the online attendee; move the checked-in one to the online tier: the
    # waitlisted member takes the freed seat at once.
    _row(page, online.display_name).locator(".remove-attendee").click()
    wait_until(lambda: rsvp_row(online_rsvp)[0] == "cancelled", "the removal")
    _row(page, going.display_name).locator(".move-attendee").click()
    page.locator(".move-choice").filter(has_text="参加枠2").click()
    wait_until(lambda: rsvp_row(going_rsvp)[1] == event.tier_ids[1], "the move")
    assert rsvp_row(waiting_rsvp)[0] == "going"
    expect(first.locator(".attendee-row").filter(has_text=waiting.display_name)).to_contain_text(
        "参加"
    )
    expect(first.locator(".attendee-row")).to_have_count(1)

    # The CSV: built on the server, with the formula-like name quoted.
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        page.locator("#download-csv").click()
    saved = tmp_path / "attendees.csv"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert text.startswith("\ufeff")
    assert rows[0] == ["参加枠", "名前", "状態", "キャンセル待ちの順番", "チェックイン日時"]
    names = {row[1]: row for row in rows[1:]}
    assert names["'" + going.display_name][0] == "参加枠2"
    assert names[waiting.display_name][2] == "参加"

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "attendees-organiser.png"), full_page=True)
    page.context.close()


def test_a_member_is_refused_the_list_and_checks_in_with_the_code(
    app: AppHarnessProd, browser: Browser
) -> None:
    event = rsvp_event(GROUP)
    member = create_account("自己 チェックイン")
    rsvp_id = add_rsvp(event, member.member_id)
    other = create_account(f"ほかの 参加者 {event.event_id}")
    add_rsvp(event, other.member_id)
    with write_session() as session:
        row = session.get(Event, event.event_id)
        assert row is not None
        now = datetime.now(UTC)
        row.starts_at, row.ends_at = now - timedelta(minutes=10), now + timedelta(hours=2)
        row.published_at = now - timedelta(days=1)
        row.checkin_code = "KM7Q3P"
    page = new_page(browser)
    capture = Capture(page, app)
    log_in(capture, member)

    capture.visit(f"/events/{event.slug}/attendees")
    expect(page.locator("#attendees-refused")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator(".attendee-row")).to_have_count(0)
    assert other.display_name not in capture.everything()

    capture.visit(f"/events/{event.slug}/checkin")
    page.locator("#code").fill("WRONG1")
    page.locator("#checkin-form button[type=submit]").click()
    expect(page.locator(".form-error")).to_contain_text("コードが違います", timeout=TIMEOUT_MS)
    page.locator("#code").fill("km7q3p")
    page.locator("#checkin-form button[type=submit]").click()
    expect(page.locator("#checkin-done")).to_be_visible(timeout=TIMEOUT_MS)
    assert rsvp_row(rsvp_id)[2] is not None
    page.context.close()
