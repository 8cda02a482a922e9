"""project ideas: tags, comment moderation, group idea settings, idea notices

Idea tags; comments that are edited or hidden by an organiser (hidden rows stay, with
who and when, for the audit log); per group the support threshold that makes an idea
ready and whether authors may turn their own ideas into events; the reason an idea
was archived or reopened; and the notification kind 'idea_updated'.

Revision ID: 0006_ideas
Revises: 0005_feeds
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_ideas'
down_revision: str | None = '0005_feeds'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = (
    'proposal_decided', 'waitlist_promoted', 'event_changed', 'event_cancelled',
    'idea_scheduled', 'membership_decided', 'proposal_submitted', 'event_recap',
    'rsvp_decided',
)
NEW_KINDS = (*OLD_KINDS, 'idea_updated')


def _allowed(table: str, column: str, name: str, values: tuple[str, ...]) -> None:
    """Replace the CHECK constraint that lists an enum column's values."""
    listed = ", ".join(f"'{value}'" for value in values)
    with op.batch_alter_table(table, schema=None, recreate='always') as batch_op:
        batch_op.drop_constraint(op.f(f'ck_{table}_{name}'), type_='check')
        batch_op.create_check_constraint(name, f"{column} IN ({listed})")


def upgrade() -> None:
    op.create_table('idea_tags',
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_idea_tags_idea_id_ideas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('idea_id', 'tag', name=op.f('pk_idea_tags'))
    )
    with op.batch_alter_table('idea_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_tags_tag'), ['tag'], unique=False)

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('hidden_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('hidden_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_comments_hidden_by_id'), ['hidden_by_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_comments_hidden_by_id_members'), 'members', ['hidden_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idea_support_threshold', sa.Integer(), nullable=False, server_default='3'))
        batch_op.add_column(sa.Column('authors_convert_ideas', sa.Boolean(), nullable=False, server_default=sa.false()))

    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_reason', sa.String(), nullable=False, server_default=''))

    _drop_defaults()
    _allowed('notifications', 'kind', 'notificationkind', NEW_KINDS)


def _drop_defaults() -> None:
    """Existing rows got their value from the server default; the models have none."""
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.alter_column('idea_support_threshold', server_default=None)
        batch_op.alter_column('authors_convert_ideas', server_default=None)
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.alter_column('status_reason', server_default=None)


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE kind = 'idea_updated'")
    _allowed('notifications', 'kind', 'notificationkind', OLD_KINDS)
    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_column('status_reason')

    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('authors_convert_ideas')
        batch_op.drop_column('idea_support_threshold')

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_comments_hidden_by_id_members'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_comments_hidden_by_id'))
        batch_op.drop_column('hidden_by_id')
        batch_op.drop_column('hidden_at')
        batch_op.drop_column('edited_at')

    with op.batch_alter_table('idea_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_tags_tag'))

    op.drop_table('idea_tags')
