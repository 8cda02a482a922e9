"""The viewer's own time zone, for the line "your time" beside an event's own time.

A signed-in member's zone is the one on their account page (kept by ``AuthState``); a
visitor's is read once from the browser (``Intl``) and checked against the zone
database before it is used. The zone only changes what this browser is shown.
"""

from __future__ import annotations

import reflex as rx

from community_app.domain.errors import DomainError
from community_app.domain.validation import as_timezone
from community_app.ui.auth import AuthState

BROWSER_TIMEZONE_JS = "Intl.DateTimeFormat().resolvedOptions().timeZone"


async def member_timezone(state: rx.State) -> str:
    """The signed-in member's zone, or "" for a visitor (already resolved on page load)."""
    return (await state.get_state(AuthState))._timezone


def accepted_timezone(value: object) -> str:
    """``value`` when it names a zone of the zone database, else ""."""
    try:
        return as_timezone(value)
    except DomainError:
        return ""
