"""The visitor's language from the browser's Accept-Language header (RFC 9110 §12.5.4)."""

from __future__ import annotations

from community_app.i18n import LOCALES


def preferred_locale(accept_language: str) -> str | None:
    """The locale of ours the browser ranks highest, or None when it asks for neither.

    ``"en-US,en;q=0.9,ja;q=0.8"`` → ``"en"``. Weights decide; equal weights keep the
    browser's order; ``q=0`` means "not this one"; a malformed weight counts as 0.
    """
    ranked = []
    for position, item in enumerate(accept_language.split(",")[:32]):
        tag, _, parameters = item.partition(";")
        language = tag.strip().lower().split("-")[0]
        weight = 1.0
        name, _, value = parameters.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                weight = float(value)
            except ValueError:
                weight = 0.0
        if language in LOCALES and 0 < weight <= 1:
            ranked.append((-weight, position, language))
    return min(ranked)[2] if ranked else None
