"""What an event form may contain: untrusted form values in, clean ``EventFields`` out.

Every field of DESIGN §2 is validated here, once, for proposing, editing and
duplicating alike. Times are entered as local wall-clock times in the event's time
zone and stored in UTC; a local time that does not exist (a DST gap) is refused
rather than guessed. Each problem raises ``DomainError`` with a stable code.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from community_app.domain.enums import EventFormat, EventKind, HostRole
from community_app.domain.errors import DomainError
from community_app.domain.validation import as_choice, as_timezone

MAX_TITLE = 200
MAX_SUMMARY = 500
MAX_DESCRIPTION = 20_000
MAX_LINE = 200
MAX_URL = 500
MAX_TAGS = 10
MAX_TAG = 30
MAX_LINES = 30
MAX_TIERS = 10
MAX_CAPACITY = 100_000
MAX_DURATION = timedelta(days=7)
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Control characters other than line feed and tab, and bidirectional overrides.
_FORBIDDEN_IN_TEXT = (
    frozenset(chr(c) for c in (*range(0, 32), 127, *range(0x80, 0xA0))) - {"\n", "\t"}
) | _BIDI_CONTROLS
_LINE_BREAKS = re.compile(r"[\r\n\t\u2028\u2029]+")
_TAG_SEPARATORS = re.compile(r"[,、，\s#]+")
HOST_ROLE_WORDS = {
    "host": HostRole.HOST,
    "ホスト": HostRole.HOST,
    "主催": HostRole.HOST,
    "speaker": HostRole.SPEAKER,
    "登壇者": HostRole.SPEAKER,
    "講師": HostRole.SPEAKER,
    "facilitator": HostRole.FACILITATOR,
    "ファシリテーター": HostRole.FACILITATOR,
    "進行": HostRole.FACILITATOR,
}


@dataclass(frozen=True)
class HostLine:
    name: str
    affiliation: str
    role: HostRole


@dataclass(frozen=True)
class AgendaLine:
    title: str
    speaker: str
    duration_minutes: int


@dataclass(frozen=True)
class TierLine:
    name: str
    capacity: int | None  # None: no limit; 0: full
    lottery_draw_at: datetime | None = None  # a lottery tier, drawn then
    requires_approval: bool = False
    opens_at: datetime | None = None
    closes_at: datetime | None = None


@dataclass(frozen=True)
class EventFields:
    group_id: int
    title: str
    summary: str
    description: str
    kind: EventKind
    format: EventFormat
    timezone: str
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC
    venue_name: str
    venue_address: str
    online_platform: str
    join_url: str
    join_url_reveal_minutes: int | None  # None: as soon as a member is going
    tags: tuple[str, ...]
    hosts: tuple[HostLine, ...]
    agenda: tuple[AgendaLine, ...]
    tiers: tuple[TierLine, ...]


def _has_control_characters(text: str) -> bool:
    return any(
        unicodedata.category(char) in ("Cc", "Cs") or char in _BIDI_CONTROLS for char in text
    )


def one_line(value: object, *, code: str, max_length: int, required: bool = False) -> str:
    """A single line: line breaks and tabs become one space; other control characters
    (and bidirectional overrides, which can disguise text) are refused."""
    if not isinstance(value, str):
        raise DomainError(code)
    text = " ".join(_LINE_BREAKS.sub(" ", value).split())
    if _has_control_characters(text) or len(text) > max_length or (required and not text):
        raise DomainError(code)
    return text


def long_text(value: object, *, code: str, max_length: int) -> str:
    """Markdown or plain text of several lines; CRLF is normalised to LF."""
    if not isinstance(value, str):
        raise DomainError(code)
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if len(text) > max_length:
        raise DomainError(f"{code}_too_long")
    if any(char in _FORBIDDEN_IN_TEXT for char in text):
        raise DomainError(code)
    return text


def web_url(value: object, *, code: str) -> str:
    """An ``http(s)://`` address with a host and no credentials, or empty."""
    text = one_line(value, code=code, max_length=MAX_URL)
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise DomainError(code)
    if parts.username or parts.password or " " in text:
        raise DomainError(code)
    return text


def parse_tags(value: object) -> tuple[str, ...]:
    """Tags split on commas (also 、 and ，), spaces and #; lower-cased, unique, in order.
    Emoji are allowed (they are plain Unicode text); control characters are not."""
    if not isinstance(value, str):
        raise DomainError("invalid_tags")
    tags: list[str] = []
    for raw in _TAG_SEPARATORS.split(value):
        tag = unicodedata.normalize("NFKC", raw).strip().lower()
        if not tag or tag in tags:
            continue
        if len(tag) > MAX_TAG or _has_control_characters(tag):
            raise DomainError("invalid_tags")
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise DomainError("too_many_tags")
    return tuple(tags)


def _lines(value: object, *, code: str, limit: int = MAX_LINES) -> list[list[str]]:
    """Non-empty lines of a text area, each split on ``|`` into stripped cells."""
    if not isinstance(value, str):
        raise DomainError(code)
    rows = [line for line in value.replace("\r", "\n").split("\n") if line.strip()]
    if len(rows) > limit:
        raise DomainError(code)
    return [
        [one_line(cell, code=code, max_length=MAX_LINE) for cell in row.split("|")] for row in rows
    ]


def parse_hosts(value: object) -> tuple[HostLine, ...]:
    """``名前 | 所属 | 役割`` per line; the role word may be Japanese or English."""
    hosts = []
    for cells in _lines(value, code="invalid_hosts"):
        name, affiliation, role = [*cells, "", "", ""][:3]
        if not name or len(cells) > 3 or len(name) > 120:
            raise DomainError("invalid_hosts")
        if role and role.lower() not in HOST_ROLE_WORDS:
            raise DomainError("invalid_host_role")
        hosts.append(HostLine(name, affiliation, HOST_ROLE_WORDS.get(role.lower(), HostRole.HOST)))
    return tuple(hosts)


def _whole_number(text: str, *, code: str, maximum: int) -> int:
    digits = unicodedata.normalize("NFKC", text).removesuffix("分").removesuffix("min").strip()
    if not digits.isdigit() or int(digits) > maximum:
        raise DomainError(code)
    return int(digits)


def parse_agenda(value: object) -> tuple[AgendaLine, ...]:
    """``タイトル | 登壇者 | 分`` per line (speaker and minutes optional)."""
    items = []
    for cells in _lines(value, code="invalid_agenda"):
        title, speaker, minutes = [*cells, "", "", ""][:3]
        if not title or len(cells) > 3 or len(speaker) > 120:
            raise DomainError("invalid_agenda")
        duration = _whole_number(minutes, code="invalid_agenda", maximum=24 * 60) if minutes else 0
        items.append(AgendaLine(title, speaker, duration))
    return tuple(items)


# Options after the capacity, in either language: "抽選 2026-12-10 12:00", "承認制",
# "受付開始 2026-12-01 10:00", "締切 2026-12-09 23:59".
TIER_OPTION_WORDS = {
    "抽選": "lottery",
    "lottery": "lottery",
    "承認制": "approval",
    "approval": "approval",
    "受付開始": "opens",
    "opens": "opens",
    "締切": "closes",
    "closes": "closes",
}


def _tier_option(text: str, timezone: str) -> tuple[str, datetime | None]:
    word, _, when = unicodedata.normalize("NFKC", text).strip().partition(" ")
    option = TIER_OPTION_WORDS.get(word.lower())
    if option is None:
        raise DomainError("invalid_tier_option")
    if option == "approval":
        if when.strip():
            raise DomainError("invalid_tier_option")
        return option, None
    day, _, clock = when.strip().partition(" ")
    return option, local_moment(day, clock or "00:00", timezone, code="invalid_tier_option")


def parse_tiers(value: object, *, timezone: str = "Asia/Tokyo") -> tuple[TierLine, ...]:
    """``枠の名前 | 定員 | オプション…`` per line; an empty capacity means no limit, 0 means
    full; options (``TIER_OPTION_WORDS``) make a lottery, require approval, or open and
    close sign-ups at a local time of the event's time zone."""
    tiers: list[TierLine] = []
    for cells in _lines(value, code="invalid_tiers", limit=MAX_TIERS):
        name, capacity = [*cells, "", ""][:2]
        if not name or len(name) > 120 or len(cells) > 6:
            raise DomainError("invalid_tiers")
        if any(tier.name == name for tier in tiers):
            raise DomainError("duplicate_tier")
        limit = (
            _whole_number(capacity, code="invalid_capacity", maximum=MAX_CAPACITY)
            if capacity
            else None
        )
        options = dict(_tier_option(cell, timezone) for cell in cells[2:] if cell)
        opens, closes = options.get("opens"), options.get("closes")
        if opens and closes and closes <= opens:
            raise DomainError("invalid_tier_window")
        tiers.append(
            TierLine(
                name,
                limit,
                lottery_draw_at=options.get("lottery"),
                requires_approval="approval" in options,
                opens_at=opens,
                closes_at=closes,
            )
        )
    return tuple(tiers)


def local_moment(day: object, clock: object, timezone: str, *, code: str) -> datetime:
    """``"2026-12-05"`` and ``"21:00"`` in ``timezone`` as a UTC datetime. A wall-clock
    time skipped by a DST change is refused; an ambiguous one takes its first
    occurrence."""
    if not isinstance(day, str) or not isinstance(clock, str):
        raise DomainError(code)
    try:
        local_day = date.fromisoformat(day.strip())
        local_time = time.fromisoformat(clock.strip())
    except ValueError:
        raise DomainError(code) from None
    if local_time.tzinfo is not None or not 2000 <= local_day.year <= 2100:
        raise DomainError(code)
    zone = ZoneInfo(timezone)
    naive = datetime.combine(local_day, local_time.replace(second=0, microsecond=0))
    moment = naive.replace(tzinfo=zone)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise DomainError("nonexistent_local_time")
    return moment.astimezone(UTC)


def check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise DomainError("ends_before_start")
    if ends_at - starts_at > MAX_DURATION:
        raise DomainError("event_too_long")


def _field(form: Mapping[str, object], name: str) -> object:
    return form.get(name, "")


def _reveal_minutes(value: object) -> int | None:
    """Minutes before the start from which going members see the join URL (up to a
    week); empty means at once."""
    if not isinstance(value, str):
        raise DomainError("invalid_reveal_minutes")
    text = value.strip()
    return _whole_number(text, code="invalid_reveal_minutes", maximum=7 * 24 * 60) if text else None


def validate_event_form(form: Mapping[str, object], *, group_id: int) -> EventFields:
    """The clean fields of a submitted event form (see the module docstring).

    Whether the start may lie in the past depends on the action (a new event may not;
    an edit that keeps the time may), so ``proposals`` checks that, not this function.
    """
    if not isinstance(form, Mapping):
        raise DomainError("invalid_form")
    timezone = as_timezone(_field(form, "timezone"))
    starts_at = local_moment(
        _field(form, "start_date"), _field(form, "start_time"), timezone, code="invalid_start"
    )
    ends_at = local_moment(
        _field(form, "end_date") or _field(form, "start_date"),
        _field(form, "end_time"),
        timezone,
        code="invalid_end",
    )
    check_times(starts_at, ends_at)
    event_format = as_choice(_field(form, "format"), EventFormat, code="invalid_format")
    venue_name = one_line(_field(form, "venue_name"), code="invalid_venue", max_length=MAX_LINE)
    if event_format != EventFormat.ONLINE and not venue_name:
        raise DomainError("venue_required")
    return EventFields(
        group_id=group_id,
        title=one_line(
            _field(form, "title"), code="invalid_title", max_length=MAX_TITLE, required=True
        ),
        summary=one_line(_field(form, "summary"), code="invalid_summary", max_length=MAX_SUMMARY),
        description=long_text(
            _field(form, "description"),
            code="invalid_event_description",
            max_length=MAX_DESCRIPTION,
        ),
        kind=as_choice(_field(form, "kind"), EventKind, code="invalid_kind"),
        format=event_format,
        timezone=timezone,
        starts_at=starts_at,
        ends_at=ends_at,
        venue_name=venue_name,
        venue_address=one_line(
            _field(form, "venue_address"), code="invalid_venue_address", max_length=300
        ),
        online_platform=one_line(
            _field(form, "online_platform"), code="invalid_online_platform", max_length=80
        ),
        join_url=web_url(_field(form, "join_url"), code="invalid_join_url"),
        join_url_reveal_minutes=_reveal_minutes(_field(form, "join_url_reveal_minutes")),
        tags=parse_tags(_field(form, "tags")),
        hosts=parse_hosts(_field(form, "hosts")),
        agenda=parse_agenda(_field(form, "agenda")),
        tiers=parse_tiers(_field(form, "tiers"), timezone=timezone),
    )
