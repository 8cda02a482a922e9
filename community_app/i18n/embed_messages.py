"""Strings of the embeddable events widget and of its copy-paste snippet on the group
page, in Japanese and English."""

# One message a line, however long the sentence (as in messages.py).

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "ja": {
        "embed.title_site": "今後のイベント",
        "embed.title_group": "{name} の今後のイベント",
        "embed.empty": "予定されているイベントはまだありません。",
        "embed.more": "すべてのイベントを見る",
        "embed.cancelled": "中止",
        "embed.powered": "Tsudoi 集い",
        "embed.bad_parameter": "パラメーター {name} が正しくありません。",
        "embed.snippet_title": "ホームページに埋め込む",
        "embed.snippet_lead": "このコードを自治体や団体のホームページに貼り付けると、このグループの今後のイベントが表示され、自動で更新されます。",
        "embed.snippet_options": "lang=en で英語、theme=dark で暗い配色になります。開発者向けの JSON API もあります:",
        "embed.snippet_api": "API の説明",
        "embed.snippet_label": "埋め込みコード",
        "embed.copy": "コードをコピー",
    },
    "en": {
        "embed.title_site": "Upcoming events",
        "embed.title_group": "Upcoming events of {name}",
        "embed.empty": "No events planned yet.",
        "embed.more": "See all events",
        "embed.cancelled": "Cancelled",
        "embed.powered": "Tsudoi 集い",
        "embed.bad_parameter": "The parameter {name} is not valid.",
        "embed.snippet_title": "Embed on your website",
        "embed.snippet_lead": "Paste this code into your town's or organisation's website to show this group's upcoming events; it stays up to date by itself.",
        "embed.snippet_options": "Add lang=en for English, theme=dark for dark colours. Developers can also use the JSON API:",
        "embed.snippet_api": "API documentation",
        "embed.snippet_label": "Embed code",
        "embed.copy": "Copy the code",
    },
}
