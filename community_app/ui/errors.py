"""What a browser sees when a handler fails unexpectedly: a polite message, no internals."""

from __future__ import annotations

import logging

import reflex as rx
from reflex.event import EventSpec

from community_app.i18n import translate

logger = logging.getLogger("community_app")

# The handler that failed may not know the visitor's language: both are shown.
GENERIC_MESSAGE = translate("error.generic", "ja")
GENERIC_DESCRIPTION = translate("error.generic", "en")


def backend_exception_handler(exception: Exception) -> EventSpec:
    """Log the full error on the server; tell the browser only that it failed.

    Handlers catch ``DomainError`` themselves and show its translated message, so
    anything reaching here is a bug or an outage, never the user's fault.
    """
    logger.error("handler failed", exc_info=(type(exception), exception, exception.__traceback__))
    return rx.toast(
        GENERIC_MESSAGE,
        description=GENERIC_DESCRIPTION,
        level="error",
        position="top-center",
        id="backend_error",
    )
