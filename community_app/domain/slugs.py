"""Readable, Unicode-safe slugs: Japanese titles stay Japanese in the URL."""

from __future__ import annotations

from collections.abc import Callable

from slugify import slugify

MAX_SLUG_LENGTH = 80


def make_slug(text: str) -> str:
    """``"Python 勉強会 #3"`` → ``"python-勉強会-3"``; empty input gives ``"event"``."""
    slug = slugify(text, allow_unicode=True, max_length=MAX_SLUG_LENGTH, word_boundary=True)
    return slug or "event"


def unique_slug(text: str, *, is_taken: Callable[[str], bool]) -> str:
    """The slug of ``text``, suffixed ``-2``, ``-3``… until ``is_taken`` says it is free."""
    base = make_slug(text)
    candidate, number = base, 1
    while is_taken(candidate):
        number += 1
        candidate = f"{base}-{number}"
    return candidate
