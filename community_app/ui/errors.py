"""What a browser sees when a handler fails unexpectedly: a polite message, no internals."""

from __future__ import annotations

import logging

import reflex as rx
from reflex.event import EventSpec

logger = logging.getLogger("community_app")

GENERIC_MESSAGE = "処理できませんでした。時間をおいてもう一度お試しください。"
GENERIC_DESCRIPTION = "Something went wrong. Please try again in a moment."


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
