"""Message catalogues (ja / en) and locale-aware date formatting. No Reflex here."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from community_app.i18n.messages import MESSAGES

LOCALES = ("ja", "en")
_JA_WEEKDAYS = "月火水木金土日"
_EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EN_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
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
        if language in LOCALES and 0 < quality <= 1:
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


def weekday_name(weekday: int, locale: str) -> str:
    """``土`` / ``Sat`` for ``date.weekday()`` 5."""
    return _EN_WEEKDAYS[weekday] if locale == "en" else _JA_WEEKDAYS[weekday]


def format_month(month: date, locale: str) -> str:
    """``2026年12月`` / ``December 2026``."""
    if locale == "en":
        return f"{_EN_MONTH_NAMES[month.month - 1]} {month.year}"
    return f"{month.year}年{month.month}月"


def _short_date(moment: datetime | date, locale: str) -> str:
    """``12月5日(土)`` / ``Sat, 5 Dec``: the year goes without saying beside the event's."""
    if locale == "en":
        return f"{_EN_WEEKDAYS[moment.weekday()]}, {moment.day} {_EN_MONTHS[moment.month - 1]}"
    return f"{moment.month}月{moment.day}日({_JA_WEEKDAYS[moment.weekday()]})"


def format_day(day: date, locale: str) -> str:
    """A day of the calendar's agenda: ``12月5日(土)`` / ``Sat, 5 Dec``."""
    return _short_date(day, locale)


def format_viewer_range(
    starts_at: datetime,
    ends_at: datetime,
    *,
    event_timezone: str,
    viewer_timezone: str,
    locale: str,
) -> str:
    """The event's times on the viewer's clock, ``12月5日(土) 06:00–09:00 (Europe/Berlin)``.

    Empty when the viewer's clock reads the same as the event's (the same zone, or another
    with the same offsets on those dates), or when the viewer's zone is unknown.
    """
    try:
        viewer, event = ZoneInfo(viewer_timezone), ZoneInfo(event_timezone)
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return ""
    start, end = starts_at.astimezone(viewer), ends_at.astimezone(viewer)
    same = [m.astimezone(viewer).replace(tzinfo=None) for m in (starts_at, ends_at)] == [
        m.astimezone(event).replace(tzinfo=None) for m in (starts_at, ends_at)
    ]
    if same:
        return ""
    separator = ", " if locale == "en" else " "
    if start.date() == end.date():
        when = f"{_short_date(start, locale)}{separator}{start:%H:%M}–{end:%H:%M}"
    else:
        when = (
            f"{_short_date(start, locale)}{separator}{start:%H:%M} – "
            f"{_short_date(end, locale)}{separator}{end:%H:%M}"
        )
    return f"{when} ({viewer_timezone})"
