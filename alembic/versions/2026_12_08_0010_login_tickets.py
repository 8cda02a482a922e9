"""login tickets: a new login reaches the browser only as an HttpOnly cookie

The login handler runs over the websocket and cannot set an HttpOnly cookie, so it
hands the browser a one-time ticket (stored hashed, valid for a minute) that
``POST /auth/session`` redeems for the cookie.

Revision ID: 0010_login_tickets
Revises: 0007_list_indexes
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010_login_tickets'
down_revision: str | None = '0007_list_indexes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('login_tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_hash', sa.String(length=128), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['auth_sessions.id'], name=op.f('fk_login_tickets_session_id_auth_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_tickets')),
    sa.UniqueConstraint('ticket_hash', name=op.f('uq_login_tickets_ticket_hash'))
    )
    with op.batch_alter_table('login_tickets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_tickets_session_id'), ['session_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('login_tickets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_tickets_session_id'))
    op.drop_table('login_tickets')
