"""What a browser sees when a handler fails unexpectedly (a polite message, no
internals), and what the log keeps of it and of errors the browser reports."""

from __future__ import annotations

import logging

import reflex as rx
from reflex.event import EventSpec

from community_app.i18n import translate
from community_app.log_safety import LogBudget, escape_client_text

logger = logging.getLogger("community_app")

# The handler that failed may not know the visitor's language: both are shown.
GENERIC_MESSAGE = translate("error.generic", "ja")
GENERIC_DESCRIPTION = translate("error.generic", "en")

# A client can cause failures on purpose (junk arguments) and report "frontend errors"
# at will: full tracebacks for the first few in a minute, then one short line each
# minute at most, saying how many more there were.
_tracebacks = LogBudget(lines=10, window_s=60)
_summaries = LogBudget(lines=1, window_s=60)
_frontend_reports = LogBudget(lines=10, window_s=60)
MAX_FRONTEND_REPORT_CHARS = 2000


def backend_exception_handler(exception: Exception) -> EventSpec:
    """Log the error on the server; tell the browser only that it failed.

    Handlers catch ``DomainError`` themselves and show its translated message, so
    anything reaching here is a bug or an outage, never the user's fault.
    """
    if _tracebacks.allow():
        logger.error(
            "handler failed", exc_info=(type(exception), exception, exception.__traceback__)
        )
    elif _summaries.allow():
        logger.error(
            "handler failed: %s (and %d more failures in the last minute, tracebacks held back)",
            escape_client_text(f"{type(exception).__name__}: {exception}"),
            _summaries.held_back() + 1,
        )
    return rx.toast(
        GENERIC_MESSAGE,
        description=GENERIC_DESCRIPTION,
        level="error",
        position="top-center",
        id="backend_error",
    )


def frontend_exception_handler(exception: Exception) -> None:
    """Keep a browser's error report as one escaped line: its text is the client's to
    choose (newlines included), so it must not be able to write lines of its own."""
    if not _frontend_reports.allow():
        return
    held_back = _frontend_reports.held_back()
    logger.warning(
        "browser reported an error: %s%s",
        escape_client_text(str(exception), MAX_FRONTEND_REPORT_CHARS),
        f" ({held_back} reports held back before this one)" if held_back else "",
    )
