"""schemathesis against the API's own OpenAPI document, in-process (ASGI, no network):
every operation with generated inputs, valid and invalid; no 5xx, every answer matches
its documented status, media type, headers and schema, and input the schema forbids is
refused.

The control (run by hand while writing this test): with ``ical_url`` taken out of the
documented ``EventSummary``, ``listEvents`` fails here with "ST108 Response violates
schema".
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlmodel import Session

from community_app.cli import migrate
from community_app.db import get_engine
from community_app.domain.demo import seed_demo
from community_app.feeds.app import create_feeds_app
from tests.conftest import reset_configuration

pytestmark = pytest.mark.integration


# Loaded at collection through the app itself (the document needs no database).
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_feeds_app())


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_documented(demo_data: None, case: schemathesis.Case) -> None:
    # Acceptance of schema-valid input is left out: a cursor is opaque, and a time zone
    # name or a calendar day can match its documented shape and still not exist.
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance])


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One migrated database with the demo data for every operation of this module (the
    fixture ``app_database``, once)."""
    with pytest.MonkeyPatch.context() as patch:
        path = tmp_path_factory.mktemp("schema") / "app.db"
        patch.setenv("DATABASE_URL", f"sqlite:///{path}")
        patch.setenv("SITE_URL", "https://tsudoi.example")
        patch.setenv("API_RATE_LIMIT", "0")
        reset_configuration()
        migrate()
        with Session(get_engine(), expire_on_commit=False) as session:
            seed_demo(session, now=datetime.now(UTC), password_hash="not-used")
            session.commit()
        yield
        reset_configuration()
