"""Where a ``next`` parameter may send the browser: only paths on this site."""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

MAX_NEXT_LENGTH = 2000


def safe_next_path(value: object, *, default: str = "/") -> str:
    """``value`` when it is a relative path on this site, else ``default``.

    Refuses absolute and scheme-relative URLs (``//evil``), backslash tricks
    (``/\\evil``), control characters and whitespace that browsers strip, and
    anything that is not a string.
    """
    if not isinstance(value, str) or not value or len(value) > MAX_NEXT_LENGTH:
        return default
    if any(unicodedata.category(ch) in {"Cc", "Cf", "Zs", "Zl", "Zp"} for ch in value):
        return default
    decoded = unquote(value)
    for candidate in (value, decoded):
        if not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
            return default
        if "\\" in candidate:
            return default
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return default
    return value
