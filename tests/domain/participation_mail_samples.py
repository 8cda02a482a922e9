"""Sample contexts of the taking-part mail kinds (``participation_mail``), for the
template test: every fact a template may read, with hostile text where members write."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from community_app.domain.mail_kinds import MailKind

HOSTILE = '<script>alert("x")</script>\r\nBcc: victim@example.org'
START = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

EVENT: dict[str, Any] = {
    "event_title": HOSTILE,
    "event_url": "https://tsudoi.example/events/study",
    "starts_at": START,
    "ends_at": START.replace(hour=14),
    "timezone": "Asia/Tokyo",
    "location": "公民館 <2F>",
    "group_name": "子育て <ネット>",
    "group_name_en": "Parents <net>",
    "reason": "会場が使えなくなりました\n<b>ごめんなさい</b>",
    "tier_name": "会場 <20>",
    "tier_name_en": "In person <20>",
    "lottery_draw_at": START.replace(day=20),
    "join_url": "https://meet.example/abc?x=1&y=<2>",
    "online_platform": "Zoom",
    "join_url_from": None,
    "invitation": "REQUEST",
    "position": 3,
    "status": "going",
}

PARTICIPATION_SAMPLES: dict[MailKind, dict[str, Any]] = {
    MailKind.RSVP_GOING: EVENT,
    MailKind.RSVP_WAITLISTED: EVENT | {"status": "waitlisted", "invitation": "", "join_url": ""},
    MailKind.RSVP_PENDING: EVENT | {"status": "pending", "invitation": "", "join_url": ""},
    MailKind.RSVP_APPLIED: EVENT | {"status": "applied", "invitation": ""},
    MailKind.RSVP_PROMOTED: EVENT | {"join_url": "", "join_url_from": START},
    MailKind.RSVP_APPROVED: EVENT | {"status": "waitlisted", "invitation": ""},
    MailKind.RSVP_DECLINED: EVENT | {"status": "cancelled", "invitation": ""},
    MailKind.LOTTERY_WON: EVENT,
    MailKind.LOTTERY_LOST: EVENT | {"status": "waitlisted", "invitation": ""},
    MailKind.RSVP_CANCELLED: EVENT | {"status": "cancelled", "invitation": "CANCEL"},
    MailKind.RSVP_REMOVED: EVENT | {"status": "cancelled", "invitation": "CANCEL"},
    MailKind.RSVP_MOVED: EVENT | {"status": "waitlisted", "invitation": "CANCEL"},
    MailKind.SERIES_JOINED: EVENT
    | {
        "invitation": "",
        "skipped": 1,
        "feed_url": "https://tsudoi.example/account",
        "dates": [
            {
                "starts_at": START,
                "ends_at": START.replace(hour=14),
                "timezone": "Asia/Tokyo",
                "status": status,
                "position": 2,
                "url": "https://tsudoi.example/events/a",
            }
            for status in ("going", "waitlisted", "pending", "applied")
        ],
    },
    MailKind.EVENT_CHANGED: EVENT | {"changed_ja": "開始時刻・会場", "changed_en": "start, venue"},
    MailKind.EVENT_CANCELLED: EVENT | {"invitation": "CANCEL", "join_url": ""},
    MailKind.PROPOSAL_DECIDED: EVENT | {"decision": "rejected", "invitation": ""},
    MailKind.IDEA_SCHEDULED: EVENT | {"idea_title": HOSTILE, "invitation": ""},
}
