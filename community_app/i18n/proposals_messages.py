"""UI strings of proposals, review, event management and notifications (ja / en)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "ja": {},
    "en": {},
}
