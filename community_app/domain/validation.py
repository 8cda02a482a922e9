"""Defensive checks for untrusted arguments: websocket payloads arrive with any type.

Each helper returns the clean value or raises ``DomainError`` with a stable code, so a
verb never crashes (or silently coerces) on a string id, a list, ``None`` or ``True``.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import TypeVar
from zoneinfo import available_timezones

from community_app.domain.errors import DomainError

# Every primary key is a SQL INTEGER: 32-bit signed on PostgreSQL.
MAX_ID = 2**31 - 1

EnumT = TypeVar("EnumT", bound=StrEnum)


def as_id(value: object) -> int:
    """A row id: a positive ``int`` in the database's range (``bool`` is not an id)."""
    if type(value) is not int or not 1 <= value <= MAX_ID:
        raise DomainError("invalid_id", "This identifier is not valid.")
    return value


def as_flag(value: object) -> bool:
    """A yes/no choice: only ``True`` or ``False`` (not ``1``, ``"yes"`` or ``None``)."""
    if type(value) is not bool:
        raise DomainError("invalid_flag", "This choice is not valid.")
    return value


def as_text(value: object, *, code: str, max_length: int, required: bool = False) -> str:
    """A stripped string of at most ``max_length`` characters (at least one if required)."""
    if not isinstance(value, str):
        raise DomainError(code)
    text = value.strip()
    if len(text) > max_length or (required and not text):
        raise DomainError(code)
    return text


def as_choice(value: object, enum: type[EnumT], *, code: str) -> EnumT:
    """A member of ``enum``, given as the member itself or its string value."""
    if not isinstance(value, str):
        raise DomainError(code)
    try:
        return enum(value)
    except ValueError:
        raise DomainError(code) from None


@cache
def _known_timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def as_timezone(value: object) -> str:
    """An IANA zone name known to this system, such as ``"Asia/Tokyo"``."""
    if not isinstance(value, str) or value not in _known_timezones():
        raise DomainError("invalid_timezone", "Choose a time zone from the list.")
    return value


def as_whole_number(value: object, *, code: str, minimum: int, maximum: int) -> int:
    """A page number or a list size: an ``int`` (not ``bool``) from minimum to maximum."""
    if type(value) is not int or not minimum <= value <= maximum:
        raise DomainError(code)
    return value
