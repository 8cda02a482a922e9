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


def negotiate_locale(accept_language: str, default: str = "ja") -> str:
    """The first of our languages the browser asks for (``Accept-Language``, by q-value)."""
    wanted: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept_language.split(",")[:20]):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        language = tag.strip().split("-")[0].lower()
        if language in LOCALES and quality > 0:
            wanted.append((-quality, position, language))
    return min(wanted)[2] if wanted else default


def message(key: str, locale: str, **values: object) -> str:
    """The message for ``key`` with its ``{fields}`` filled; ``key.one`` when ``n`` is 1."""
    if values.get("n") == 1 and f"{key}.one" in MESSAGES.get(locale, {}):
        key = f"{key}.one"
    return translate(key, locale).format(**values)


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
