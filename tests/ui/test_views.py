"""Display models: the viewer's own time beside an event's, in both languages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from community_app.domain.enums import EventFormat, EventKind, EventStatus
from community_app.domain.events import EventCard
from community_app.ui.views import card_view, viewer_lines, with_viewer_time

pytestmark = pytest.mark.unit
STARTS = datetime(2026, 12, 5, 5, 0, tzinfo=UTC)  # 14:00 in Tokyo
ENDS = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


def _card() -> EventCard:
    return EventCard(
        slug="夜カフェ",
        title="夜カフェ",
        summary="",
        kind=EventKind.GATHERING,
        format=EventFormat.ONLINE,
        status=EventStatus.APPROVED,
        starts_at=STARTS,
        ends_at=ENDS,
        timezone="Asia/Tokyo",
        group_name="WLBカフェ",
        group_name_en="WLB Café",
        group_slug="wlb",
        venue_name="",
        tags=(),
    )


def test_the_viewer_lines_name_their_zone_in_each_language() -> None:
    ja, en = viewer_lines(
        STARTS, ENDS, event_timezone="Asia/Tokyo", viewer_timezone="Europe/Berlin"
    )

    assert ja == "あなたの時間: 12月5日(土) 06:00–09:00 (Europe/Berlin)"
    assert en == "Your time: Sat, 5 Dec, 06:00–09:00 (Europe/Berlin)"


def test_a_card_gains_the_viewer_time_only_when_the_clocks_differ() -> None:
    view = card_view(_card())

    berlin = with_viewer_time(view, _card(), "Europe/Berlin")
    tokyo = with_viewer_time(view, _card(), "Asia/Tokyo")

    assert berlin.viewer_ja.endswith("(Europe/Berlin)") and berlin.when_ja == view.when_ja
    assert (tokyo.viewer_ja, tokyo.viewer_en) == ("", "")
