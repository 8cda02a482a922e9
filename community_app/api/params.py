"""The API's query parameters: declared once (for the parser and the OpenAPI document)
and checked strictly. Unknown, repeated, over-long or malformed parameters raise
``BadParameter`` naming the parameter; the filters themselves are checked by the
domain's own parser (``event_search.parse_filters``), one parameter at a time so the
culprit is known.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from community_app.domain.enums import EventFormat, EventKind
from community_app.domain.errors import DomainError
from community_app.domain.event_search import (
    MAX_GROUP_SLUG_LENGTH,
    MAX_TAG_LENGTH,
    WHEN_CHOICES,
    EventFilters,
    parse_filters,
)
from community_app.domain.idea_board import IdeaFilter

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_VALUE_LENGTH = 200
MAX_QUERY_LENGTH = 2000
MAX_CURSOR_LENGTH = 400


class BadParameter(Exception):
    def __init__(self, parameter: str | None, message: str, message_ja: str) -> None:
        super().__init__(message)
        self.parameter, self.message, self.message_ja = parameter, message, message_ja


def _bad(name: str, detail: str = "") -> BadParameter:
    extra = f": {detail}" if detail else ""
    return BadParameter(
        name,
        f"The parameter {name} is not valid{extra}.",
        f"パラメーター {name} が正しくありません。",
    )


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})


def _string(max_length: int, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": max_length, **extra}


def _matches_schema(value: str, schema: dict[str, Any]) -> bool:
    """``value`` fits the documented shape of its parameter (enum, length, pattern,
    integer): what the OpenAPI document promises is exactly what is accepted."""
    if "enum" in schema:
        return value in schema["enum"]
    if schema["type"] == "integer":
        return value.isascii() and value.isdigit()
    if not schema.get("minLength", 1) <= len(value) <= schema.get("maxLength", MAX_VALUE_LENGTH):
        return False
    return "pattern" not in schema or re.fullmatch(schema["pattern"], value) is not None


DAY = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
LIMIT = Param(
    "limit",
    f"How many items, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
    {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
)
CURSOR = Param(
    "cursor", "`next_cursor` of the previous page.", _string(MAX_CURSOR_LENGTH, minLength=1)
)
EVENT_FILTERS = (
    Param(
        "when",
        "upcoming (not ended; soonest first, the default) or past (latest first).",
        {"type": "string", "enum": list(WHEN_CHOICES)},
    ),
    Param("kind", "Kind of event.", {"type": "string", "enum": [k.value for k in EventKind]}),
    Param("format", "Format.", {"type": "string", "enum": [f.value for f in EventFormat]}),
    Param("tag", "Events with this tag.", _string(MAX_TAG_LENGTH)),
    Param("from", "Starting on or after this day (YYYY-MM-DD, in `tz`).", DAY),
    Param("to", "Starting on or before this day (YYYY-MM-DD, in `tz`).", DAY),
    Param("q", "Text in the title, summary or description.", _string(MAX_VALUE_LENGTH)),
    Param("tz", "IANA time zone of `from` and `to` (default Asia/Tokyo).", _string(64)),
)
GROUP_FILTER = Param("group", "Slug of a group.", _string(MAX_GROUP_SLUG_LENGTH))
IDEA_FILTERS = (
    Param(
        "status",
        "active (everything not archived, the default) or one status.",
        {"type": "string", "enum": [f.value for f in IdeaFilter]},
    ),
    GROUP_FILTER,
    Param("tag", "Ideas with this tag.", _string(MAX_TAG_LENGTH)),
)
EVENT_LIST = (*EVENT_FILTERS[:1], GROUP_FILTER, *EVENT_FILTERS[1:], LIMIT, CURSOR)
GROUP_EVENT_LIST = (*EVENT_FILTERS, LIMIT, CURSOR)
GROUP_LIST = (LIMIT, CURSOR)
IDEA_LIST = (*IDEA_FILTERS, LIMIT, CURSOR)


def read_query(
    pairs: Sequence[tuple[str, str]], raw: str, allowed: Sequence[Param]
) -> dict[str, str]:
    """The query as a dict, refusing what is unknown, repeated or too long."""
    schemas = {param.name: param.schema for param in allowed}
    values: dict[str, str] = {}
    for name, value in pairs:
        if name not in schemas:
            raise BadParameter(
                name[:40],
                f"Unknown parameter {name[:40]}.",
                f"不明なパラメーター {name[:40]} です。",
            )
        if name in values:
            raise _bad(name, "given more than once")
        if (len(value) > MAX_VALUE_LENGTH and name != "cursor") or len(value) > MAX_CURSOR_LENGTH:
            raise _bad(name, "too long")
        if not _matches_schema(value, schemas[name]):
            raise _bad(name)
        values[name] = value
    if len(raw) > MAX_QUERY_LENGTH:
        raise _bad(max(values, key=lambda key: len(values[key])), "the query is too long")
    return values


def limit_of(query: dict[str, str]) -> int:
    raw = query.get("limit", "")
    if raw == "":
        return DEFAULT_LIMIT
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise _bad("limit", f"a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def event_filters(query: dict[str, str], *, group: str = "") -> EventFilters:
    """The filters of ``/events``; each value checked on its own first, so a refusal
    names its parameter, then together (a reversed date range names ``to``)."""
    keys = ("when", "group", "kind", "format", "tag", "from", "to", "q", "tz")
    for key in keys:
        if key in query:
            try:
                parse_filters({key: query[key]})
            except DomainError as error:
                raise _bad(key, error.code) from None
    try:
        filters = parse_filters({key: query[key] for key in keys if key in query})
    except DomainError as error:
        raise _bad("to", error.code) from None
    if group:
        filters = replace(filters, group=group)
    return filters


def idea_filters(query: dict[str, str]) -> tuple[IdeaFilter, str, str]:
    status = query.get("status") or IdeaFilter.ACTIVE.value
    if status not in {f.value for f in IdeaFilter}:
        raise _bad("status")
    group, tag = query.get("group", "").strip(), query.get("tag", "").strip().lower()
    if len(group) > MAX_GROUP_SLUG_LENGTH:
        raise _bad("group")
    if len(tag) > MAX_TAG_LENGTH:
        raise _bad("tag")
    return IdeaFilter(status), group, tag


# --- cursors: base64url of a small JSON array, the list's name first ------------------


def encode_cursor(kind: str, position: Sequence[Any]) -> str:
    values = [kind, *(v.isoformat() if isinstance(v, datetime) else v for v in position)]
    text = json.dumps(values, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(
    query: dict[str, str], kind: str, types: tuple[type, ...]
) -> tuple[Any, ...] | None:
    """The position in ``cursor`` for list ``kind`` with values of ``types``
    (``datetime`` values are ISO 8601 with an offset); None when absent."""
    raw = query.get("cursor")
    if raw is None:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise _bad("cursor", "malformed") from None
    if not isinstance(decoded, list) or len(decoded) != len(types) + 1 or decoded[0] != kind:
        raise _bad("cursor", "not a cursor of this list")
    position: list[Any] = []
    for value, wanted in zip(decoded[1:], types, strict=True):
        if wanted is datetime:
            position.append(_moment(value))
        elif type(value) is not wanted or (isinstance(value, int) and not 0 <= value < 2**63):
            raise _bad("cursor", "malformed")
        else:
            position.append(value)
    return tuple(position)


def _moment(value: object) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise _bad("cursor", "malformed")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _bad("cursor", "malformed") from None
    if moment.tzinfo is None:
        raise _bad("cursor", "malformed")
    return moment
