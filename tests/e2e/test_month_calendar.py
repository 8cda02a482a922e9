"""A visitor browses the month calendar of /events: months, filters, an event, a phone.

The events of these tests are in a month well over a year ahead, so the lists the other
browser tests read (soonest first) still start with the demo's own events.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from reflex.testing import AppHarnessProd

from community_app.db import write_session
from community_app.domain.enums import EventStatus
from community_app.domain.events import new_event_uid
from community_app.domain.models import Event
from community_app.i18n import format_month
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.support import TIMEOUT_MS, group_id, url
from tests.e2e.test_accessibility import serious_violations

pytestmark = pytest.mark.e2e
TOKYO = ZoneInfo("Asia/Tokyo")
WORD = "月表示テスト"
CROWDED_DAY = 20  # five events: three shown, "ほか2件" folded


@dataclass(frozen=True)
class Month:
    first: date

    @property
    def param(self) -> str:
        return f"{self.first:%Y-%m}"

    def shifted(self, months: int) -> Month:
        index = self.first.year * 12 + self.first.month - 1 + months
        return Month(date(index // 12, index % 12 + 1, 1))


@dataclass(frozen=True)
class Seeded:
    month: Month
    slugs: dict[str, str]  # title -> slug


def _add(group: str, title: str, day: date, hour: int, **fields: object) -> str:
    starts = datetime(day.year, day.month, day.day, hour, 0, tzinfo=TOKYO).astimezone(UTC)
    slug = f"month-view-{new_event_uid()[:12]}"
    with write_session() as session:
        session.add(
            Event(
                uid=new_event_uid(),
                slug=slug,
                group_id=group_id(group, session=session),
                title=title,
                description="月表示の確認用のイベントです。",
                status=fields.get("status", EventStatus.APPROVED),
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                published_at=datetime.now(UTC),
                timezone="Asia/Tokyo",
            )
        )
    return slug


@pytest.fixture(scope="module")
def seeded(app: AppHarnessProd) -> Seeded:
    today = datetime.now(TOKYO).date()
    month = Month(today.replace(day=1)).shifted(15)
    first, following = month.first, month.shifted(1).first
    slugs = {
        f"{WORD} 桐生A": _add("kiryu-after-school", f"{WORD} 桐生A", first.replace(day=5), 14),
        f"{WORD} カフェB": _add("wlb-night-cafe", f"{WORD} カフェB", first.replace(day=5), 19),
        f"{WORD} 中止C": _add(
            "kiryu-after-school",
            f"{WORD} 中止C",
            first.replace(day=12),
            10,
            status=EventStatus.CANCELLED,
        ),
        f"{WORD} 翌月D": _add("kiryu-after-school", f"{WORD} 翌月D", following.replace(day=10), 9),
    }
    for number in range(5):
        title = f"{WORD} 混雑{number}"
        slugs[title] = _add("wlb-night-cafe", title, first.replace(day=CROWDED_DAY), 9 + number * 2)
    return Seeded(month, slugs)


def _open(app: AppHarnessProd, page: Page, path: str) -> None:
    page.goto(url(app, path))
    expect(page.locator("#month-title")).to_be_visible(timeout=TIMEOUT_MS)


def _cell(page: Page, day: date) -> Locator:
    return page.locator(f"#month-grid td[data-day='{day.isoformat()}']")


def _query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_the_month_shows_its_events_and_navigates_in_japanese(
    app: AppHarnessProd, page: Page, seeded: Seeded
) -> None:
    month = seeded.month
    _open(app, page, f"/events?view=month&month={month.param}")

    expect(page.locator("#month-title")).to_have_text(format_month(month.first, "ja"))
    expect(page.locator("#month-grid thead th")).to_have_text(list("日月火水木金土"))
    fifth = _cell(page, month.first.replace(day=5))
    expect(fifth.locator(".month-entry")).to_have_count(2)
    expect(fifth).to_contain_text(f"14:00 {WORD} 桐生A")
    expect(fifth).to_contain_text(f"19:00 {WORD} カフェB")
    cancelled = _cell(page, month.first.replace(day=12))
    expect(cancelled.locator(".month-title.is-cancelled")).to_have_text(f"{WORD} 中止C")
    expect(cancelled).to_contain_text("中止")
    crowded = _cell(page, month.first.replace(day=CROWDED_DAY))
    expect(crowded.locator(".month-entry:visible")).to_have_count(3)
    expect(crowded.locator("summary")).to_have_text("ほか2件")
    crowded.locator("summary").click()
    expect(crowded.locator(".month-entry:visible")).to_have_count(5)
    expect(page.locator("#month-tz")).to_contain_text("タイムゾーン")

    page.locator("#month-next").click()

    following = month.shifted(1)
    expect(page.locator("#month-title")).to_have_text(
        format_month(following.first, "ja"), timeout=TIMEOUT_MS
    )
    assert _query(page)["month"] == [following.param]
    expect(_cell(page, following.first.replace(day=10))).to_contain_text(f"{WORD} 翌月D")
    page.locator("#month-previous").click()
    expect(page.locator("#month-title")).to_have_text(
        format_month(month.first, "ja"), timeout=TIMEOUT_MS
    )
    page.locator("#month-current").click()
    today = datetime.now(TOKYO).date()
    expect(page.locator("#month-title")).to_have_text(format_month(today, "ja"), timeout=TIMEOUT_MS)
    expect(page.locator(".month-cell.is-today")).to_have_count(1)
    expect(page.locator(".month-cell.is-today")).to_have_attribute("data-day", today.isoformat())


def test_a_group_filter_keeps_the_month_and_a_click_opens_the_event(
    app: AppHarnessProd, page: Page, seeded: Seeded
) -> None:
    month = seeded.month
    _open(app, page, f"/events?view=month&month={month.param}")
    expect(page.locator("#filter-from")).to_have_count(0)  # the month is the range

    page.locator("#filter-group").select_option("kiryu-after-school")
    page.locator("#filter-submit").click()

    expect(page).to_have_url(re.compile(r"group=kiryu-after-school"), timeout=TIMEOUT_MS)
    assert _query(page)["view"] == ["month"] and _query(page)["month"] == [month.param]
    fifth = _cell(page, month.first.replace(day=5))
    expect(fifth.locator(".month-entry")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(fifth).to_contain_text(f"{WORD} 桐生A")
    expect(_cell(page, month.first.replace(day=CROWDED_DAY)).locator(".month-entry")).to_have_count(
        0
    )

    fifth.get_by_text(f"{WORD} 桐生A").click()

    expect(page.locator("#event-title")).to_have_text(f"{WORD} 桐生A", timeout=TIMEOUT_MS)
    assert page.url.endswith(f"/events/{seeded.slugs[f'{WORD} 桐生A']}")


def test_the_switch_goes_between_the_list_and_the_month_with_the_filters(
    app: AppHarnessProd, page: Page, seeded: Seeded
) -> None:
    page.goto(url(app, f"/events?q={WORD}"))
    expect(page.locator("#page-status")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("#view-list")).to_have_attribute("aria-current", "page")

    page.locator("#view-month").click()

    expect(page.locator("#month-title")).to_be_visible(timeout=TIMEOUT_MS)
    assert _query(page) == {"view": ["month"], "q": [WORD]}
    page.locator("#view-list").click()
    expect(page.locator("#page-status")).to_be_visible(timeout=TIMEOUT_MS)
    assert _query(page) == {"q": [WORD]}


def test_the_month_in_english(app: AppHarnessProd, page: Page, seeded: Seeded) -> None:
    month = seeded.month
    _open(app, page, f"/events?view=month&month={month.param}")

    page.locator("#locale-toggle").click()

    expect(page.locator("#month-title")).to_have_text(
        format_month(month.first, "en"), timeout=TIMEOUT_MS
    )
    expect(page.locator("#month-grid thead th")).to_have_text(
        ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    )
    expect(_cell(page, month.first.replace(day=CROWDED_DAY)).locator("summary")).to_have_text(
        "2 more"
    )
    expect(_cell(page, month.first.replace(day=12))).to_contain_text("Cancelled")
    expect(page.locator("#month-next")).to_have_text("Next month →")
    expect(page.locator("#view-month")).to_have_text("Calendar")


def test_a_bad_month_is_explained_and_this_month_shown(app: AppHarnessProd, page: Page) -> None:
    _open(app, page, "/events?view=month&month=2026-13")

    expect(page.locator("#month-error")).to_contain_text("2026-12 の形式")
    expect(page.locator("#month-title")).to_have_text(
        format_month(datetime.now(TOKYO).date(), "ja")
    )


@pytest.fixture
def phone(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ja-JP")
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def test_on_a_phone_the_month_is_an_agenda_without_sideways_scrolling(
    app: AppHarnessProd, phone: Page, seeded: Seeded, axe_script: Path
) -> None:
    month = seeded.month
    _open(app, phone, f"/events?view=month&month={month.param}")

    expect(phone.locator("#month-grid")).to_be_hidden()
    agenda_days = phone.locator("#month-agenda > li")
    expect(agenda_days).to_have_count(3)  # the 5th, the 12th and the crowded day
    expect(agenda_days.nth(2).locator(".month-entry")).to_have_count(5)
    expect(agenda_days.first.locator("h3")).to_contain_text(f"{month.first.month}月5日")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert serious_violations(phone, axe_script) == []

    phone.locator("#locale-toggle").click()
    expect(phone.locator("#month-title")).to_have_text(
        format_month(month.first, "en"), timeout=TIMEOUT_MS
    )
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 360
