"""rsvp windows, approval per tier, check-in code, lottery rank

When sign-ups open and close per tier, whether organisers approve each attendee,
when going members see the join URL, the self check-in code, and the drawn order
of a lottery.

Revision ID: 0004_rsvps
Revises: 0003_proposals
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_rsvps'
down_revision: str | None = '0003_proposals'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OLD_RSVP = ('going', 'waitlisted', 'pending', 'cancelled', 'attended', 'no_show')
NEW_RSVP = (*OLD_RSVP, 'applied')
OLD_KINDS = (
    'proposal_decided', 'waitlist_promoted', 'event_changed', 'event_cancelled',
    'idea_scheduled', 'membership_decided', 'proposal_submitted', 'event_recap',
)
NEW_KINDS = (*OLD_KINDS, 'rsvp_decided')


def _allowed(table: str, column: str, name: str, values: tuple[str, ...]) -> None:
    """Replace the CHECK constraint that lists an enum column's values."""
    listed = ", ".join(f"'{value}'" for value in values)
    with op.batch_alter_table(table, schema=None, recreate='always') as batch_op:
        batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
        batch_op.create_check_constraint(name, f"{column} IN ({listed})")


def upgrade() -> None:
    _add_columns()
    _drop_defaults()
    _allowed('rsvps', 'status', 'rsvpstatus', NEW_RSVP)
    _allowed('notifications', 'kind', 'notificationkind', NEW_KINDS)


def _add_columns() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('join_url_reveal_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('checkin_code', sa.String(length=16), nullable=False, server_default=''))

    with op.batch_alter_table('participation_tiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requires_approval', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('rsvp_opens_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('rsvp_closes_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lottery_rank', sa.Integer(), nullable=True))


def _drop_defaults() -> None:
    """Existing rows got their value from the server default; the models have none."""
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('checkin_code', server_default=None)
    with op.batch_alter_table('participation_tiers', schema=None) as batch_op:
        batch_op.alter_column('requires_approval', server_default=None)


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE kind = 'rsvp_decided'")
    op.execute("UPDATE rsvps SET status = 'pending' WHERE status = 'applied'")
    _allowed('notifications', 'kind', 'notificationkind', OLD_KINDS)
    _allowed('rsvps', 'status', 'rsvpstatus', OLD_RSVP)
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.drop_column('lottery_rank')

    with op.batch_alter_table('participation_tiers', schema=None) as batch_op:
        batch_op.drop_column('rsvp_closes_at')
        batch_op.drop_column('rsvp_opens_at')
        batch_op.drop_column('requires_approval')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('checkin_code')
        batch_op.drop_column('join_url_reveal_minutes')

