"""proposal workflow: recaps, webhook outbox, bilingual notifications

Recap summary and links after an event; the webhook outbox (one row per message,
sent in the background); English text beside the Japanese one in notifications;
two notification kinds (proposal submitted, recap posted).

Revision ID: 0003_proposals
Revises: 0002_events
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003_proposals'
down_revision: str | None = '0002_events'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


OLD_KINDS = (
    'proposal_decided', 'waitlist_promoted', 'event_changed', 'event_cancelled',
    'idea_scheduled', 'membership_decided',
)
NEW_KINDS = (*OLD_KINDS, 'proposal_submitted', 'event_recap')


def _notification_kinds(kinds: tuple[str, ...]) -> None:
    """Replace the CHECK constraint that lists the notification kinds."""
    listed = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table('notifications', schema=None, recreate='always') as batch_op:
        batch_op.drop_constraint(op.f('ck_notifications_notificationkind'), type_='check')
        batch_op.create_check_constraint('notificationkind', f"kind IN ({listed})")


def upgrade() -> None:
    op.create_table('recap_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('material', 'recording', 'photo', name='recaplinkkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_recap_links_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recap_links'))
    )
    with op.batch_alter_table('recap_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recap_links_event_id'), ['event_id'], unique=False)

    op.create_table('webhook_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webhook_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.Enum('published', 'changed', 'cancelled', name='webhookaction', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('payload', sa.String(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('gave_up_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_webhook_deliveries_event_id_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['webhook_id'], ['webhooks.id'], name=op.f('fk_webhook_deliveries_webhook_id_webhooks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries'))
    )
    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhook_deliveries_delivered_at_next_attempt_at'), ['delivered_at', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_deliveries_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webhook_deliveries_webhook_id'), ['webhook_id'], unique=False)

    # Existing rows get an empty text; the default is then dropped, like the models.
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recap_summary', sa.String(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('recap_posted_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('recap_summary', server_default=None)

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_en', sa.String(), nullable=False, server_default=''))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.alter_column('message_en', server_default=None)
    _notification_kinds(NEW_KINDS)



def downgrade() -> None:
    op.execute(
        "DELETE FROM notifications WHERE kind IN ('proposal_submitted', 'event_recap')"
    )
    _notification_kinds(OLD_KINDS)
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('message_en')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('recap_posted_at')
        batch_op.drop_column('recap_summary')

    with op.batch_alter_table('webhook_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhook_deliveries_webhook_id'))
        batch_op.drop_index(batch_op.f('ix_webhook_deliveries_event_id'))
        batch_op.drop_index(batch_op.f('ix_webhook_deliveries_delivered_at_next_attempt_at'))

    op.drop_table('webhook_deliveries')
    with op.batch_alter_table('recap_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recap_links_event_id'))

    op.drop_table('recap_links')
