"""The public event list: each filter, Japanese search, ordering, pages and bad input."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event as sa_event
from sqlmodel import Session

from community_app.domain.enums import EventFormat, EventKind, EventStatus
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.event_search import (
    MAX_TEXT_LENGTH,
    PAST,
    EventFilters,
    escape_like,
    filter_options,
    parse_filters,
    parse_page,
    search_events,
    to_query,
)
from community_app.domain.models import Event, EventTag, ParticipationTier
from tests.factories import START, make_event, make_group

pytestmark = pytest.mark.unit
HOUR = timedelta(hours=1)


def _titles(session: Session, now: datetime, **filters: Any) -> list[str]:
    page = search_events(session, now=now, filters=EventFilters(**filters))
    return [card.title for card in page.cards]


def _at(days: float, **overrides: Any) -> dict[str, Any]:
    starts = START + timedelta(days=days)
    return {"starts_at": starts, "ends_at": starts + 2 * HOUR, **overrides}


def _tag(session: Session, event: Event, *tags: str) -> None:
    session.add_all(EventTag(event_id=event.id, tag=tag) for tag in tags)
    session.flush()


# --- what is listed, in which order --------------------------------------------------


def test_only_published_events_are_listed_and_cancelled_ones_are_marked(
    session: Session, now: datetime
) -> None:
    make_event(session, title="公開")
    make_event(session, title="中止", status=EventStatus.CANCELLED, **_at(1))
    for status in (
        EventStatus.DRAFT,
        EventStatus.SUBMITTED,
        EventStatus.CHANGES_REQUESTED,
        EventStatus.REJECTED,
        EventStatus.WITHDRAWN,
    ):
        make_event(session, title=status.value, status=status, published_at=None)
    make_event(session, title="未公開の中止", status=EventStatus.CANCELLED, published_at=None)

    page = search_events(session, now=now, filters=EventFilters())

    assert [(card.title, card.status) for card in page.cards] == [
        ("公開", EventStatus.APPROVED),
        ("中止", EventStatus.CANCELLED),
    ]


def test_upcoming_is_soonest_first_and_includes_events_in_progress(
    session: Session, now: datetime
) -> None:
    make_event(session, title="来週", **_at(7))
    make_event(session, title="今週", **_at(0))
    make_event(session, title="開催中", starts_at=now - HOUR, ends_at=now + HOUR)
    make_event(session, title="終了", starts_at=now - 3 * HOUR, ends_at=now)

    assert _titles(session, now) == ["開催中", "今週", "来週"]


def test_past_is_latest_first_and_only_ended_events(session: Session, now: datetime) -> None:
    make_event(session, title="先月", starts_at=now - timedelta(days=30), ends_at=now - 29 * HOUR)
    make_event(session, title="昨日", starts_at=now - 26 * HOUR, ends_at=now - 24 * HOUR)
    make_event(session, title="ちょうど終了", starts_at=now - HOUR, ends_at=now)
    make_event(session, title="これから")

    assert _titles(session, now, when=PAST) == ["ちょうど終了", "昨日", "先月"]


# --- each filter ---------------------------------------------------------------------


def test_group_filter_keeps_that_groups_events(session: Session, now: datetime) -> None:
    group = make_group(session, slug="hikaridai")
    make_event(session, title="光台の会", group_id=group.id)
    make_event(session, title="よその会", **_at(1))

    assert _titles(session, now, group="hikaridai") == ["光台の会"]


def test_an_unknown_group_is_reported_not_silently_empty(session: Session, now: datetime) -> None:
    make_event(session)
    with pytest.raises(NotFound) as raised:
        search_events(session, now=now, filters=EventFilters(group="no-such-group"))
    assert raised.value.code == "group_not_found"


def test_kind_and_format_filters(session: Session, now: datetime) -> None:
    make_event(session, title="勉強会", kind=EventKind.STUDY_SESSION, format=EventFormat.ONLINE)
    make_event(
        session, title="会場の勉強会", kind=EventKind.STUDY_SESSION, format=EventFormat.IN_PERSON
    )
    make_event(session, title="交流会", kind=EventKind.GATHERING, format=EventFormat.ONLINE)

    assert _titles(session, now, kind=EventKind.STUDY_SESSION) == ["勉強会", "会場の勉強会"]
    assert _titles(session, now, format=EventFormat.ONLINE) == ["勉強会", "交流会"]
    assert _titles(session, now, kind=EventKind.STUDY_SESSION, format=EventFormat.IN_PERSON) == [
        "会場の勉強会"
    ]


def test_tag_filter_matches_the_whole_tag_and_keeps_every_tag_on_the_card(
    session: Session, now: datetime
) -> None:
    _tag(session, make_event(session, title="子育ての会"), "子育て", "交流会")
    _tag(session, make_event(session, title="支援の会", **_at(1)), "子育て支援")

    page = search_events(session, now=now, filters=EventFilters(tag="子育て"))

    assert [(card.title, card.tags) for card in page.cards] == [
        ("子育ての会", ("交流会", "子育て"))
    ]


def test_date_range_is_inclusive_and_read_in_tokyo_time(session: Session, now: datetime) -> None:
    # 2026-11-28 23:30 in Tokyo is still the 28th there, though already 14:30 UTC.
    late = datetime(2026, 11, 28, 14, 30, tzinfo=START.tzinfo)
    make_event(session, title="28日の深夜", starts_at=late, ends_at=late + HOUR)
    early = datetime(2026, 11, 28, 15, 0, tzinfo=START.tzinfo)  # 00:00 on the 29th in Tokyo
    make_event(session, title="29日の0時", starts_at=early, ends_at=early + HOUR)
    make_event(session, title="27日", **_at(-1))

    on_the_28th = EventFilters(date_from=date(2026, 11, 28), date_to=date(2026, 11, 28))
    from_the_29th = EventFilters(date_from=date(2026, 11, 29))
    until_the_28th = EventFilters(date_to=date(2026, 11, 28))

    titles = [
        [c.title for c in search_events(session, now=now, filters=f).cards]
        for f in (on_the_28th, from_the_29th, until_the_28th)
    ]
    assert titles == [["28日の深夜"], ["29日の0時"], ["27日", "28日の深夜"]]


def test_date_range_in_another_timezone_when_given(session: Session, now: datetime) -> None:
    late = datetime(2026, 11, 28, 14, 30, tzinfo=START.tzinfo)  # 14:30 in London
    make_event(session, title="ロンドンでは28日", starts_at=late, ends_at=late + HOUR)

    london = EventFilters(date_from=date(2026, 11, 28), date_to=date(2026, 11, 28))
    assert _titles(session, now, **vars(london) | {"timezone": "Europe/London"}) == [
        "ロンドンでは28日"
    ]


# --- text search ---------------------------------------------------------------------


def test_japanese_text_is_found_inside_title_summary_or_description(
    session: Session, now: datetime
) -> None:
    make_event(session, title="子ども食堂の運営を学ぶ勉強会")
    make_event(session, title="夜の交流会", summary="子ども食堂の話も", **_at(1))
    make_event(session, title="もくもく会", description="## 内容\n\n子ども食堂について", **_at(2))
    make_event(session, title="関係ない会", **_at(3))

    assert _titles(session, now, text="食堂") == [
        "子ども食堂の運営を学ぶ勉強会",
        "夜の交流会",
        "もくもく会",
    ]


def test_latin_text_is_found_whatever_its_case(session: Session, now: datetime) -> None:
    make_event(session, title="Python 入門")
    make_event(session, title="NPO 会計", **_at(1))

    assert _titles(session, now, text="python") == ["Python 入門"]
    assert _titles(session, now, text="npo") == ["NPO 会計"]


@pytest.mark.parametrize("text", ["%", "_", "\\", "100%", "a_b", "%_\\"])
def test_like_wildcards_in_the_search_text_match_only_themselves(
    session: Session, now: datetime, text: str
) -> None:
    make_event(session, title="割引 100% 還元")
    make_event(session, title="a_b と c\\d", **_at(1))
    make_event(session, title="ふつうの会 axb", **_at(2))

    expected = [
        title for title in ("割引 100% 還元", "a_b と c\\d", "ふつうの会 axb") if text in title
    ]
    assert _titles(session, now, text=text) == expected


def test_escape_like_marks_each_special_character() -> None:
    assert escape_like("50%_\\x") == "50\\%\\_\\\\x"


# --- pagination ----------------------------------------------------------------------


def test_pages_split_the_list_and_count_it(session: Session, now: datetime) -> None:
    for day in range(5):
        make_event(session, title=f"第{day + 1}回", **_at(day))

    first = search_events(session, now=now, filters=EventFilters(), page_size=2)
    last = search_events(session, now=now, filters=EventFilters(), page=3, page_size=2)

    assert (first.total, first.page_count, [c.title for c in first.cards]) == (
        5,
        3,
        ["第1回", "第2回"],
    )
    assert (last.page, [c.title for c in last.cards]) == (3, ["第5回"])


def test_a_full_last_page_adds_no_empty_page(session: Session, now: datetime) -> None:
    for day in range(4):
        make_event(session, **_at(day))
    assert search_events(session, now=now, filters=EventFilters(), page_size=2).page_count == 2


def test_an_empty_list_has_one_empty_page(session: Session, now: datetime) -> None:
    page = search_events(session, now=now, filters=EventFilters())
    assert (page.cards, page.total, page.page, page.page_count) == ((), 0, 1, 1)


def test_a_page_past_the_last_one_is_refused(session: Session, now: datetime) -> None:
    make_event(session)
    with pytest.raises(DomainError) as raised:
        search_events(session, now=now, filters=EventFilters(), page=2)
    assert raised.value.code == "page_out_of_range"


@pytest.mark.parametrize(
    ("page", "page_size", "code"),
    [
        (0, 20, "invalid_page"),
        ("2", 20, "invalid_page"),
        (True, 20, "invalid_page"),
        (1, 0, "invalid_page_size"),
        (1, 101, "invalid_page_size"),
    ],
)
def test_bad_page_arguments_are_refused(
    session: Session, now: datetime, page: Any, page_size: Any, code: str
) -> None:
    with pytest.raises(DomainError) as raised:
        search_events(session, now=now, filters=EventFilters(), page=page, page_size=page_size)
    assert raised.value.code == code


@contextmanager
def _counted_queries(session: Session) -> Iterator[list[tuple[str, Any]]]:
    """The SQL statements (with their parameters) run inside the block."""
    statements: list[tuple[str, Any]] = []
    engine = session.get_bind()

    def count(*args: Any) -> None:
        statements.append((args[2], args[3]))

    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)


def test_a_page_costs_six_queries_however_many_events_tags_and_tiers(
    session: Session, now: datetime
) -> None:
    """Count, page (events alone, so it can walk the start-order index), the page's
    groups, tags, then RSVP counts and tiers for the seats left: no N+1."""
    for day in range(12):
        event = make_event(session, **_at(day))
        _tag(session, event, f"タグ{day}", "共通")
        session.add(ParticipationTier(event_id=event.id, name="会場", capacity=10))

    with _counted_queries(session) as statements:
        page = search_events(session, now=now, filters=EventFilters(text="勉強会"))

    assert len(page.cards) == 12 and all(len(card.tags) == 2 for card in page.cards)
    assert len([sql for sql, _ in statements if sql.lstrip().startswith("SELECT")]) == 6
    assert all(card.seats_left == 10 for card in page.cards)


# --- the query string ----------------------------------------------------------------


def test_the_query_string_gives_every_filter() -> None:
    filters = parse_filters(
        {
            "when": "past",
            "group": "hikaridai",
            "kind": "study_session",
            "format": "hybrid",
            "tag": "子育て",
            "from": "2026-11-01",
            "to": "2026-11-30",
            "q": "  子ども食堂 ",
            "tz": "Europe/London",
            "utm_source": "line",
        }
    )
    assert filters == EventFilters(
        when="past",
        group="hikaridai",
        kind=EventKind.STUDY_SESSION,
        format=EventFormat.HYBRID,
        tag="子育て",
        date_from=date(2026, 11, 1),
        date_to=date(2026, 11, 30),
        text="子ども食堂",
        timezone="Europe/London",
    )


def test_an_empty_query_string_means_upcoming_events_in_tokyo() -> None:
    assert parse_filters({}) == EventFilters()
    assert not parse_filters({}).is_narrowed
    assert parse_filters({"q": "会"}).is_narrowed


def test_to_query_round_trips_and_leaves_out_defaults() -> None:
    filters = parse_filters({"kind": "workshop", "q": "防災", "from": "2026-12-01"})
    query = to_query(filters, page=3)
    assert query == {"kind": "workshop", "q": "防災", "from": "2026-12-01", "page": "3"}
    assert parse_filters(query) == filters and parse_page(query) == 3
    assert to_query(EventFilters()) == {}


def test_long_search_text_is_cut_not_refused() -> None:
    assert parse_filters({"q": "あ" * 5000}).text == "あ" * MAX_TEXT_LENGTH


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"when": "tomorrow"}, "invalid_when"),
        ({"kind": "party"}, "invalid_kind"),
        ({"format": "telepathy"}, "invalid_format"),
        ({"group": "g" * 121}, "invalid_group"),
        ({"tag": "t" * 51}, "invalid_tag"),
        ({"from": "2026-13-01"}, "invalid_date"),
        ({"to": "28/11/2026"}, "invalid_date"),
        ({"from": "20261128"}, "invalid_date"),
        ({"from": "1900-01-01"}, "invalid_date"),
        ({"to": "9999-12-31"}, "invalid_date"),
        ({"from": "2026-11-30", "to": "2026-11-01"}, "date_range_reversed"),
        ({"tz": "Mars/Olympus"}, "invalid_timezone"),
        ({"q": ["a", "b"]}, "invalid_query"),
        ({"kind": 3}, "invalid_query"),
    ],
)
def test_bad_query_values_are_refused_with_a_clear_code(query: dict[str, Any], code: str) -> None:
    with pytest.raises(DomainError) as raised:
        parse_filters(query)
    assert raised.value.code == code


def test_a_query_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(DomainError) as raised:
        parse_filters(["when", "past"])  # type: ignore[arg-type]
    assert raised.value.code == "invalid_query"


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "abc", "１", "10001", "99999999999999999999"])
def test_bad_page_numbers_are_refused(value: str) -> None:
    with pytest.raises(DomainError) as raised:
        parse_page({"page": value})
    assert raised.value.code == "invalid_page"


def test_page_defaults_to_one() -> None:
    assert parse_page({}) == 1 and parse_page({"page": "12"}) == 12


# --- the filter choices --------------------------------------------------------------


def test_filter_options_list_groups_and_only_tags_of_published_events(session: Session) -> None:
    group = make_group(session, name="あおば会", name_en="Aoba")
    _tag(session, make_event(session, group_id=group.id), "防災", "子育て")
    draft = make_event(session, status=EventStatus.DRAFT, published_at=None)
    _tag(session, draft, "ひみつ")

    options = filter_options(session)

    assert options.tags == ("子育て", "防災")
    assert ("あおば会", "Aoba") in [(g.name, g.name_en) for g in options.groups]


def test_the_list_reads_events_through_the_status_index(session: Session, now: datetime) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("the query plan is checked on SQLite, whose planner ignores table size")
    with _counted_queries(session) as statements:
        search_events(session, now=now, filters=EventFilters(tag="子育て", text="会"))
    sql, parameters = next(s for s in statements if "count" in s[0])
    plan = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters).all()
    details = " | ".join(str(row[-1]) for row in plan)
    assert "SEARCH events USING INDEX ix_events_status_starts_at" in details
    assert "SCAN" not in details
