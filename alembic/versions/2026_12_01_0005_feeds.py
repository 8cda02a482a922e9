"""external calendars remember the source's Last-Modified

So the next fetch of a partner's calendar can ask If-Modified-Since as well as
If-None-Match, and an unchanged calendar costs one short 304.

Revision ID: 0005_feeds
Revises: 0004_rsvps
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005_feeds'
down_revision: str | None = '0004_rsvps'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('external_calendars', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('last_modified', sa.String(length=64), nullable=False, server_default='')
        )
    # Existing rows got their value from the server default; the model has none.
    with op.batch_alter_table('external_calendars', schema=None) as batch_op:
        batch_op.alter_column('last_modified', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('external_calendars', schema=None) as batch_op:
        batch_op.drop_column('last_modified')
