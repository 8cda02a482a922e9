"""mail: the mail outbox, per-category opt-outs, undeliverable addresses

``mail_messages`` holds every rendered mail (queued, sent, failed or held for the admin
mailbox); ``mail_opt_outs`` the categories a member turned off; ``members`` gains the
time and reason an SMTP server refused the member's address for good.

Revision ID: 0008_mail
Revises: 0010_login_tickets
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = '0008_mail'
down_revision: str | None = '0010_login_tickets'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mail_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('to_name', sa.String(length=80), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('category', sa.Enum('account', 'participation', 'event_changes', 'proposals', 'ideas', name='mailcategory', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('message_id', sa.String(length=255), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text_body', sa.String(), nullable=False),
    sa.Column('html_body', sa.String(), nullable=False),
    sa.Column('calendar_method', sa.String(length=16), nullable=False),
    sa.Column('calendar_ics', sa.String(), nullable=False),
    sa.Column('list_unsubscribe_url', sa.String(length=500), nullable=False),
    sa.Column('status', sa.Enum('queued', 'sent', 'failed', 'held', name='mailstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_mail_messages_member_id_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_messages')),
    sa.UniqueConstraint('message_id', name=op.f('uq_mail_messages_message_id'))
    )
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_messages_created_at_id'), ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_messages_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mail_messages_status_next_attempt_at'), ['status', 'next_attempt_at'], unique=False)

    op.create_table('mail_opt_outs',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('account', 'participation', 'event_changes', 'proposals', 'ideas', name='mailcategory', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_mail_opt_outs_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'category', name=op.f('pk_mail_opt_outs'))
    )
    # Existing members get an empty reason; the default is then dropped, like the models.
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_undeliverable_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('email_undeliverable_reason', sa.String(length=300), nullable=False, server_default=''))
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.alter_column('email_undeliverable_reason', server_default=None)



def downgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('email_undeliverable_reason')
        batch_op.drop_column('email_undeliverable_at')

    op.drop_table('mail_opt_outs')
    with op.batch_alter_table('mail_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_messages_status_next_attempt_at'))
        batch_op.drop_index(batch_op.f('ix_mail_messages_member_id'))
        batch_op.drop_index(batch_op.f('ix_mail_messages_created_at_id'))

    op.drop_table('mail_messages')
