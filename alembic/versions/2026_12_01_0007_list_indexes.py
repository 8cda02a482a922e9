"""list indexes: events in start order for the public event list

``/events`` lists events whose status is one of two (approved, cancelled) in start
order. The (status, starts_at) index cannot give that order for two statuses, so the
database sorted every matching event (100 000 of them on a large site) to show 20. An
index on (starts_at, id) gives the order directly; the page then stops after 20 rows.

Revision ID: 0007_list_indexes
Revises: 0006_ideas
Create Date: 2026-12-01
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0007_list_indexes'
down_revision: str | None = '0006_ideas'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_starts_at_id'), ['starts_at', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_starts_at_id'))
