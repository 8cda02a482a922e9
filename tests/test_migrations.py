"""Migrations build exactly the models' schema, and stepping down and up keeps data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlmodel import SQLModel

from alembic import command
from community_app.settings import PROJECT_ROOT
from tests.databases import BACKENDS, temporary_database

pytestmark = pytest.mark.integration
FIRST = "0001_accounts"
NOW = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


def _config() -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["configure_logger"] = False
    return config


def migrate(engine: Engine, verb: str, revision: str) -> None:
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        getattr(command, verb)(config, revision)


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with temporary_database(request.param, tmp_path) as (_url, engine):
        yield engine


def _drift(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, SQLModel.metadata))


def test_the_migrated_schema_equals_the_models(empty_engine: Engine) -> None:
    migrate(empty_engine, "upgrade", "head")
    assert _drift(empty_engine) == []


def test_drift_is_detected_when_the_schema_lags_behind_the_models(empty_engine: Engine) -> None:
    # Negative control: the comparison above really looks at the schema.
    migrate(empty_engine, "upgrade", FIRST)
    assert _drift(empty_engine) != []


def test_migrations_form_one_line_and_every_one_can_be_downgraded() -> None:
    scripts = ScriptDirectory.from_config(_config())
    assert len(scripts.get_heads()) == 1
    for script in scripts.walk_revisions():
        assert script.module.downgrade.__code__.co_code != (lambda: None).__code__.co_code
        assert script.doc, f"migration {script.revision} needs a message"


def _insert_accounts(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO members (id, email, display_name, password_hash, locale, timezone,"
                " is_admin, is_disabled, created_at, updated_at) VALUES (1, 'hana@example.org',"
                " '花', 'x', 'ja', 'Asia/Tokyo', false, false, :now, :now)"
            ),
            {"now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO groups (id, slug, name, name_en, description, description_en,"
                " timezone, join_policy, created_at, updated_at) VALUES (1, 'wlb-night-cafe',"
                " '夜カフェ', 'Night cafe', '', '', 'Asia/Tokyo', 'open', :now, :now)"
            ),
            {"now": NOW},
        )


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_upgrade_downgrade_upgrade_keeps_the_rows_of_earlier_revisions(
    empty_engine: Engine,
) -> None:
    migrate(empty_engine, "upgrade", FIRST)
    _insert_accounts(empty_engine)

    migrate(empty_engine, "upgrade", "head")
    migrate(empty_engine, "downgrade", FIRST)
    assert "events" not in inspect(empty_engine).get_table_names()
    migrate(empty_engine, "upgrade", "head")

    assert _count(empty_engine, "members") == 1
    assert _count(empty_engine, "groups") == 1
    assert _drift(empty_engine) == []


def test_downgrading_to_base_removes_every_table(empty_engine: Engine) -> None:
    migrate(empty_engine, "upgrade", "head")
    migrate(empty_engine, "downgrade", "base")
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}


def _insert_notification(engine: Engine, kind: str, extra: str = "") -> None:
    columns = "id, member_id, kind, message, created_at" + (", message_en" if extra else "")
    values = ":id, 1, :kind, '承認されました', :now" + (", :en" if extra else "")
    with engine.begin() as connection:
        next_id = connection.execute(text("SELECT count(*) + 1 FROM notifications")).scalar_one()
        connection.execute(
            text(f"INSERT INTO notifications ({columns}) VALUES ({values})"),
            {"id": next_id, "kind": kind, "now": NOW, "en": extra},
        )


def test_proposal_migration_keeps_notifications_and_accepts_the_new_kinds(
    empty_engine: Engine,
) -> None:
    migrate(empty_engine, "upgrade", "0002_events")
    _insert_accounts(empty_engine)
    _insert_notification(empty_engine, "proposal_decided")

    migrate(empty_engine, "upgrade", "0003_proposals")
    _insert_notification(empty_engine, "proposal_submitted", extra="New proposal")
    with pytest.raises(Exception, match=r"(?i)check"):
        _insert_notification(empty_engine, "not_a_kind", extra="x")

    migrate(empty_engine, "downgrade", "0002_events")
    with empty_engine.connect() as connection:
        kinds = connection.execute(text("SELECT kind FROM notifications")).scalars().all()
    assert kinds == ["proposal_decided"]
