"""Column types shared by the models: UTC datetimes and enums stored as strings."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator


class NaiveDatetimeError(ValueError):
    """A datetime without a time zone reached the database; we never guess the zone."""


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes, stored in UTC, refusing naive values.

    SQLite has no time zone type, so values come back naive and are re-tagged as UTC.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(
                f"naive datetime {value.isoformat()} refused: give it a time zone"
            )
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_column(*, nullable: bool = False, index: bool = False, **kwargs: Any) -> sa.Column[Any]:
    return sa.Column(UTCDateTime(), nullable=nullable, index=index, **kwargs)


def enum_column(
    enum: type[StrEnum],
    *,
    default: StrEnum | None = None,
    nullable: bool = False,
    name: str | None = None,
    primary_key: bool = False,
) -> sa.Column[Any]:
    """A VARCHAR column with a named CHECK constraint listing the enum's values.

    ``name`` tells two columns of the same enum in one table apart.
    """
    return sa.Column(
        sa.Enum(
            enum,
            native_enum=False,
            create_constraint=True,
            length=32,
            name=name or enum.__name__.lower(),
            values_callable=lambda members: [member.value for member in members],
            validate_strings=True,
        ),
        nullable=nullable,
        default=default,
        primary_key=primary_key,
    )
