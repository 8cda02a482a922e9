"""UI strings of the month calendar of /events and of the viewer's own time (ja / en)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "ja": {
        "view.switch": "表示",
        "view.list": "リスト",
        "view.month": "カレンダー",
        "month.previous": "← 前の月",
        "month.next": "次の月 →",
        "month.current": "今月",
        "month.navigation": "月の移動",
        "month.more": "ほか{count}件",
        "month.until": "〜{time}",
        "month.today": "今日",
        "month.cancelled": "中止",
        "month.timezone_note": (
            "日付と時刻は、各イベントの開催地のタイムゾーン(多くは Asia/Tokyo)で表示しています。"
        ),
        "month.empty": "この月に条件に合うイベントはありません。",
        "month.empty_hint": "前後の月を見るか、絞り込みを減らしてみてください。",
        "month.agenda": "イベントのある日",
        "error.invalid_month": (
            "月は 2026-12 の形式(2000〜2100年)で指定してください。今月を表示しています。"
        ),
        "viewer_time.line": "あなたの時間: {when}",
    },
    "en": {
        "view.switch": "View",
        "view.list": "List",
        "view.month": "Calendar",
        "month.previous": "← Previous month",
        "month.next": "Next month →",
        "month.current": "This month",
        "month.navigation": "Months",
        "month.more": "{count} more",
        "month.until": "until {time}",
        "month.today": "Today",
        "month.cancelled": "Cancelled",
        "month.timezone_note": (
            "Dates and times are in each event's own time zone (mostly Asia/Tokyo)."
        ),
        "month.empty": "No events match in this month.",
        "month.empty_hint": "Look at the months before and after, or use fewer filters.",
        "month.agenda": "Days with events",
        "error.invalid_month": (
            "Give the month as 2026-12 (years 2000 to 2100). Showing this month instead."
        ),
        "viewer_time.line": "Your time: {when}",
    },
}
