"""The event form: every field validated, bad input refused with a stable code."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from community_app.domain.enums import EventFormat, EventKind, HostRole
from community_app.domain.errors import DomainError
from community_app.domain.event_fields import (
    AgendaLine,
    HostLine,
    TierLine,
    parse_tags,
    validate_event_form,
)
from tests.domain.proposal_world import event_form

pytestmark = pytest.mark.unit


def _code(**overrides: str) -> str:
    with pytest.raises(DomainError) as raised:
        validate_event_form(event_form(**overrides), group_id=1)
    return raised.value.code


def test_a_complete_form_gives_clean_fields_in_utc() -> None:
    fields = validate_event_form(event_form(), group_id=7)

    assert fields.starts_at == datetime(2026, 12, 5, 10, 0, tzinfo=UTC)  # 19:00 in Tokyo
    assert fields.ends_at == datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    assert (fields.kind, fields.format, fields.group_id) == (
        EventKind.STUDY_SESSION,
        EventFormat.HYBRID,
        7,
    )
    assert fields.tags == ("python", "データ分析")
    assert fields.hosts == (HostLine("山田 花子", "NPO法人まちの先生", HostRole.SPEAKER),)
    assert fields.agenda == (
        AgendaLine("自己紹介", "", 10),
        AgendaLine("pandas 入門", "山田 花子", 60),
    )
    assert fields.tiers == (TierLine("会場参加", 20), TierLine("オンライン参加", None))


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"end_time": "18:00"}, "ends_before_start"),
        ({"end_time": "19:00"}, "ends_before_start"),  # zero length
        ({"end_date": "2029-12-05"}, "event_too_long"),  # three years
        ({"timezone": "Asia/Osaka"}, "invalid_timezone"),
        ({"timezone": "../../etc/passwd"}, "invalid_timezone"),
        ({"start_date": "2026-02-30"}, "invalid_start"),
        ({"start_time": "25:00"}, "invalid_start"),
        ({"title": ""}, "invalid_title"),
        ({"title": "x" * 201}, "invalid_title"),
        ({"title": "勉強会\x00"}, "invalid_title"),
        ({"title": "勉強会\u202etxt.exe"}, "invalid_title"),
        ({"description": "あ" * 1_000_000}, "invalid_event_description_too_long"),
        ({"join_url": "javascript:alert(1)"}, "invalid_join_url"),
        ({"join_url": "file:///etc/passwd"}, "invalid_join_url"),
        ({"join_url": "https://user:pw@zoom.example.com/"}, "invalid_join_url"),
        ({"kind": "party"}, "invalid_kind"),
        ({"format": "in_person", "venue_name": ""}, "venue_required"),
        ({"tiers": "会場 | -1"}, "invalid_capacity"),
        ({"tiers": "会場 | 1000000000"}, "invalid_capacity"),
        ({"tiers": "会場 | 10\n会場 | 5"}, "duplicate_tier"),
        ({"hosts": "山田 | 所属 | 魔法使い"}, "invalid_host_role"),
        ({"agenda": "休憩 | | 十分"}, "invalid_agenda"),
    ],
)
def test_bad_input_is_refused_with_a_clear_code(overrides: dict[str, str], code: str) -> None:
    assert _code(**overrides) == code


def test_a_local_time_skipped_by_daylight_saving_is_refused() -> None:
    form = event_form(timezone="America/New_York", start_date="2027-03-14", start_time="02:30")
    assert _code(**form) == "nonexistent_local_time"


def test_titles_with_line_breaks_become_one_line() -> None:
    fields = validate_event_form(event_form(title="夜カフェ\r\n第2回\t交流会"), group_id=1)
    assert fields.title == "夜カフェ 第2回 交流会"


def test_descriptions_keep_their_lines_and_markdown() -> None:
    fields = validate_event_form(event_form(description="# 見出し\r\n\r\n<b>本文</b>"), group_id=1)
    assert fields.description == "# 見出し\n\n<b>本文</b>"  # rendered safely, stored as is


def test_tags_split_on_commas_keep_emoji_and_drop_duplicates() -> None:
    assert parse_tags("子育て、Python,python, 🎉 #交流") == ("子育て", "python", "🎉", "交流")


def test_too_many_or_too_long_tags_are_refused() -> None:
    with pytest.raises(DomainError, match="too_many_tags"):
        parse_tags(",".join(f"t{i}" for i in range(11)))
    with pytest.raises(DomainError, match="invalid_tags"):
        parse_tags("あ" * 31)


@pytest.mark.parametrize("value", [None, 3, ["a"], {"x": 1}])
def test_values_that_are_not_text_are_refused(value: object) -> None:
    form: dict[str, object] = dict(event_form())
    form["title"] = value
    with pytest.raises(DomainError):
        validate_event_form(form, group_id=1)


def test_full_width_capacity_digits_are_understood() -> None:
    fields = validate_event_form(event_form(tiers="会場 | ２０"), group_id=1)
    assert fields.tiers == (TierLine("会場", 20),)


def test_tier_options_make_lotteries_approval_and_sign_up_windows_in_the_events_zone() -> None:
    fields = validate_event_form(
        event_form(
            tiers="抽選枠 | 10 | 抽選 2026-12-01 12:00\n"
            "相談枠 | 3 | 承認制 | 受付開始 2026-11-25 10:00 | 締切 2026-12-04 23:00\n"
            "online | | approval"
        ),
        group_id=1,
    )

    lottery, consult, online = fields.tiers
    assert lottery.lottery_draw_at == datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    assert consult.requires_approval and consult.opens_at == datetime(
        2026, 11, 25, 1, 0, tzinfo=UTC
    )
    assert consult.closes_at == datetime(2026, 12, 4, 14, 0, tzinfo=UTC)
    assert online.requires_approval and online.capacity is None and online.lottery_draw_at is None


@pytest.mark.parametrize(
    ("tiers", "code"),
    [
        ("枠 | 10 | 先着", "invalid_tier_option"),
        ("枠 | 10 | 抽選 いつか", "invalid_tier_option"),
        ("枠 | 10 | 承認制 すぐ", "invalid_tier_option"),
        ("枠 | 10 | 受付開始 2026-12-02 10:00 | 締切 2026-12-01 10:00", "invalid_tier_window"),
    ],
)
def test_bad_tier_options_are_refused(tiers: str, code: str) -> None:
    assert _code(tiers=tiers) == code


def test_the_join_url_reveal_time_is_minutes_before_the_start_or_at_once() -> None:
    assert validate_event_form(event_form(), group_id=1).join_url_reveal_minutes is None
    form = event_form(join_url_reveal_minutes="30")
    assert validate_event_form(form, group_id=1).join_url_reveal_minutes == 30
    for bad in ("-5", "99999", "すぐ"):
        assert _code(join_url_reveal_minutes=bad) == "invalid_reveal_minutes"
