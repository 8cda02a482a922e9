"""Message catalogues (ja / en) and locale-aware date formatting. No Reflex here."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from community_app.i18n.messages import MESSAGES

LOCALES = ("ja", "en")
_JA_WEEKDAYS = "月火水木金土日"
_EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def translate(key: str, locale: str) -> str:
    """The message for ``key`` in ``locale``, falling back to Japanese, then to the key."""
    return MESSAGES.get(locale, {}).get(key) or MESSAGES["ja"].get(key) or key


def format_date(moment: datetime, locale: str) -> str:
    """``2026年11月28日(土)`` / ``Sat, 28 Nov 2026``."""
    if locale == "en":
        weekday, month = _EN_WEEKDAYS[moment.weekday()], _EN_MONTHS[moment.month - 1]
        return f"{weekday}, {moment.day} {month} {moment.year}"
    return f"{moment.year}年{moment.month}月{moment.day}日({_JA_WEEKDAYS[moment.weekday()]})"


def format_datetime(moment: datetime, timezone: str, locale: str) -> str:
    """``2026年11月28日(土) 21:00`` / ``Sat, 28 Nov 2026, 21:00`` in ``timezone``."""
    local = moment.astimezone(ZoneInfo(timezone))
    separator = ", " if locale == "en" else " "
    return f"{format_date(local, locale)}{separator}{local:%H:%M}"


def format_range(starts_at: datetime, ends_at: datetime, timezone: str, locale: str) -> str:
    """A start–end range in ``timezone``; the end shows only its time on the same day."""
    start, end = starts_at.astimezone(ZoneInfo(timezone)), ends_at.astimezone(ZoneInfo(timezone))
    if start.date() == end.date():
        return f"{format_datetime(start, timezone, locale)}–{end:%H:%M}"
    return f"{format_datetime(start, timezone, locale)} – {format_datetime(end, timezone, locale)}"
