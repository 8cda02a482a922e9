"""Unexpected failures reach the browser as a generic message, never as internals."""

from __future__ import annotations

import json
import logging

import pytest

from community_app.ui.errors import (
    GENERIC_DESCRIPTION,
    backend_exception_handler,
    frontend_exception_handler,
)

pytestmark = pytest.mark.unit


def test_an_unexpected_error_shows_a_generic_message_and_no_internals(
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "postgresql://tsudoi:hunter2@db.internal/tsudoi"
    try:
        raise RuntimeError(f"could not connect to {secret}")
    except RuntimeError as error:
        with caplog.at_level(logging.ERROR, logger="community_app"):
            spec = backend_exception_handler(error)

    sent = json.dumps([str(arg) for pair in spec.args for arg in pair], ensure_ascii=False)
    assert GENERIC_DESCRIPTION in sent
    assert "hunter2" not in sent and "RuntimeError" not in sent and "Traceback" not in sent
    assert "hunter2" in caplog.text  # the operator still gets the details in the log


FORGED = "boom\n2026-12-08 00:00:00 ERROR community_app: admin password reset"


def test_a_browser_error_report_is_one_escaped_line(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="community_app"):
        frontend_exception_handler(Exception(FORGED))

    assert len(caplog.records) == 1
    assert "\n" not in caplog.records[0].getMessage()
    assert "boom\\n2026-12-08 00:00:00 ERROR" in caplog.text


def test_control_reflexs_own_handler_lets_a_report_forge_a_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from reflex.app import default_frontend_exception_handler

    with caplog.at_level(logging.ERROR):
        default_frontend_exception_handler(Exception(FORGED))

    lines = caplog.text.splitlines()
    assert any(line.startswith("2026-12-08 00:00:00 ERROR") for line in lines)


def test_a_flood_of_failures_writes_a_few_tracebacks_then_a_count(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="community_app"):
        for number in range(200):
            try:
                raise KeyError(f"No registered handler found for event: x.no_such_{number}")
            except KeyError as error:
                backend_exception_handler(error)

    tracebacks = [record for record in caplog.records if record.exc_info]
    assert 1 <= len(tracebacks) <= 10
    assert len(caplog.records) <= 11
