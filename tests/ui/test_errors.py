"""Unexpected failures reach the browser as a generic message, never as internals."""

from __future__ import annotations

import json
import logging

import pytest

from community_app.ui.errors import GENERIC_DESCRIPTION, backend_exception_handler

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
