"""UI strings of the event list (/events) and of recurrence rules (ja / en)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "ja": {
        "nav.all_events": "イベント一覧",
        "events.title": "イベント一覧",
        "events.lead": "グループ・種類・開催形式・タグ・日付やキーワードで、集いを探せます。",
        "events.upcoming": "これから",
        "events.past": "過去のイベント",
        "events.filters": "絞り込み",
        "events.search": "キーワード",
        "events.search_placeholder": "例: 子ども食堂、Python",
        "events.group": "グループ",
        "events.kind": "種類",
        "events.format": "開催形式",
        "events.tag": "タグ",
        "events.date_from": "開始日(から)",
        "events.date_to": "開始日(まで)",
        "events.any": "すべて",
        "events.apply": "この条件で探す",
        "events.clear": "条件をクリア",
        "events.previous": "← 前へ",
        "events.next": "次へ →",
        "events.page_status": "{page} / {page_count} ページ(全{total}件)",
        "events.cancelled": "中止",
        "events.empty_filtered": "条件に合うイベントはありません。",
        "events.empty_filtered_hint": (
            "キーワードを短くする、絞り込みを減らす、または「過去のイベント」も探してみてください。"
        ),
        "events.empty_upcoming": "これからのイベントはまだありません。",
        "events.empty_upcoming_hint": (
            "過去のイベントをのぞいてみるか、グループに参加して新しい集いを待ちましょう。"
        ),
        "events.empty_past": "過去のイベントはまだありません。",
        "events.bad_filters_hint": "条件を直すか、クリアしてもう一度お試しください。",
        "error.invalid_query": "検索条件の形式が正しくありません。",
        "error.invalid_when": "「これから」か「過去」を選んでください。",
        "error.invalid_group": "グループの指定が正しくありません。",
        "error.invalid_tag": "タグは50文字以内で指定してください。",
        "error.invalid_date": "日付は 2026-11-28 の形式(2000〜2100年)で入力してください。",
        "error.date_range_reversed": "「まで」の日付は「から」の日付以降にしてください。",
        "error.invalid_page_size": "1ページの件数が正しくありません。",
        "error.page_out_of_range": "そのページはありません。1ページ目からご覧ください。",
        "error.invalid_recurrence": (
            "繰り返しの設定が正しくありません。毎週(1〜52週ごと)か、"
            "毎月の第1〜第4・最終の曜日を選んでください。"
        ),
        "error.invalid_recurrence_end": (
            "繰り返しの終わりは、終了日か回数のどちらか一方を指定してください。"
        ),
        "error.recurrence_too_long": (
            "繰り返しは最大104回までです。終了日か回数を見直してください。"
        ),
        "error.recurrence_empty": "終了日までに開催日がありません。終了日を見直してください。",
        "error.invalid_recurrence_start": "初回の開始日時が正しくありません。",
    },
    "en": {
        "nav.all_events": "All events",
        "events.title": "All events",
        "events.lead": "Find gatherings by group, kind, format, tag, date or keyword.",
        "events.upcoming": "Upcoming",
        "events.past": "Past events",
        "events.filters": "Filters",
        "events.search": "Keyword",
        "events.search_placeholder": "e.g. children's cafeteria, Python",
        "events.group": "Group",
        "events.kind": "Kind",
        "events.format": "Format",
        "events.tag": "Tag",
        "events.date_from": "Starting from",
        "events.date_to": "Starting until",
        "events.any": "Any",
        "events.apply": "Search",
        "events.clear": "Clear filters",
        "events.previous": "← Previous",
        "events.next": "Next →",
        "events.page_status": "Page {page} of {page_count} ({total} events)",
        "events.cancelled": "Cancelled",
        "events.empty_filtered": "No events match these filters.",
        "events.empty_filtered_hint": (
            "Try a shorter keyword, fewer filters, or look among the past events."
        ),
        "events.empty_upcoming": "No upcoming events yet.",
        "events.empty_upcoming_hint": (
            "Have a look at past events, or join a group and watch for new gatherings."
        ),
        "events.empty_past": "No past events yet.",
        "events.bad_filters_hint": "Correct the filters, or clear them and try again.",
        "error.invalid_query": "The search filters are not in a valid form.",
        "error.invalid_when": "Choose upcoming or past events.",
        "error.invalid_group": "This group is not valid.",
        "error.invalid_tag": "Use at most 50 characters for a tag.",
        "error.invalid_date": "Enter dates as 2026-11-28 (years 2000 to 2100).",
        "error.date_range_reversed": "The end date must be on or after the start date.",
        "error.invalid_page_size": "This page size is not valid.",
        "error.page_out_of_range": "There is no such page. Start again from page 1.",
        "error.invalid_recurrence": (
            "This repetition is not valid. Choose weekly (every 1 to 52 weeks) or a monthly "
            "1st to 4th or last weekday."
        ),
        "error.invalid_recurrence_end": (
            "End the repetition either on a date or after a number of times, not both."
        ),
        "error.recurrence_too_long": (
            "A series can have at most 104 occurrences. Change the end date or the count."
        ),
        "error.recurrence_empty": "No occurrence falls before the end date. Change the end date.",
        "error.invalid_recurrence_start": "The first start date and time is not valid.",
    },
}
