"""events, rsvps, ideas and integrations

Series and events with tags, hosts, agenda, status history and participation
tiers; RSVPs; project ideas with supports; comments; notifications; webhooks and
external calendars.

Revision ID: 0002_events
Revises: 0001_accounts
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002_events'
down_revision: str | None = '0001_accounts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('external_calendars',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('etag', sa.String(length=255), nullable=False),
    sa.Column('last_fetched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_external_calendars_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_calendars'))
    )

    with op.batch_alter_table('external_calendars', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_calendars_group_id'), ['group_id'], unique=False)

    op.create_table('ideas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.String(), nullable=False),
    sa.Column('help_needed', sa.String(), nullable=False),
    sa.Column('status', sa.Enum('open', 'gathering', 'ready', 'scheduled', 'done', 'archived', name='ideastatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('support_threshold', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('support_threshold >= 1', name=op.f('ck_ideas_threshold_positive')),
    sa.ForeignKeyConstraint(['author_id'], ['members.id'], name=op.f('fk_ideas_author_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_ideas_group_id_groups'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ideas')),
    sa.UniqueConstraint('slug', name=op.f('uq_ideas_slug'))
    )

    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ideas_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ideas_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ideas_status_created_at'), ['status', 'created_at'], unique=False)

    op.create_table('series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('rrule', sa.String(length=255), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_series_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series'))
    )

    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_group_id'), ['group_id'], unique=False)

    op.create_table('webhooks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('slack', 'discord', 'json', name='webhookkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('signing_secret', sa.String(length=128), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('failure_count', sa.Integer(), nullable=False),
    sa.Column('last_status', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_webhooks_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhooks'))
    )

    with op.batch_alter_table('webhooks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webhooks_group_id'), ['group_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=255), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('proposer_id', sa.Integer(), nullable=True),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('external_calendar_id', sa.Integer(), nullable=True),
    sa.Column('external_uid', sa.String(length=255), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('description', sa.String(), nullable=False),
    sa.Column('kind', sa.Enum('gathering', 'study_session', 'workshop', 'online_exchange', 'other', name='eventkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('format', sa.Enum('online', 'in_person', 'hybrid', name='eventformat', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'changes_requested', 'approved', 'rejected', 'withdrawn', 'cancelled', name='eventstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('venue_name', sa.String(length=200), nullable=False),
    sa.Column('venue_address', sa.String(length=300), nullable=False),
    sa.Column('online_platform', sa.String(length=80), nullable=False),
    sa.Column('join_url', sa.String(length=500), nullable=False),
    sa.Column('requires_approval', sa.Boolean(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('status_reason', sa.String(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_events_ends_after_start')),
    sa.CheckConstraint('sequence >= 0', name=op.f('ck_events_sequence_not_negative')),
    sa.ForeignKeyConstraint(['external_calendar_id'], ['external_calendars.id'], name=op.f('fk_events_external_calendar_id_external_calendars'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_events_group_id_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_events_idea_id_ideas'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposer_id'], ['members.id'], name=op.f('fk_events_proposer_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_events_series_id_series'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('external_calendar_id', 'external_uid', name=op.f('uq_events_external_calendar_id_external_uid')),
    sa.UniqueConstraint('slug', name=op.f('uq_events_slug')),
    sa.UniqueConstraint('uid', name=op.f('uq_events_uid'))
    )

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_external_calendar_id'), ['external_calendar_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_group_id_status_starts_at'), ['group_id', 'status', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_idea_id'), ['idea_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_proposer_id'), ['proposer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_series_id'), ['series_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_status_starts_at'), ['status', 'starts_at'], unique=False)

    op.create_table('idea_supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('support', 'join', name='ideasupportkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('role', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_idea_supports_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_idea_supports_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_supports')),
    sa.UniqueConstraint('idea_id', 'member_id', 'kind', name=op.f('uq_idea_supports_idea_id_member_id_kind'))
    )

    with op.batch_alter_table('idea_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_supports_idea_id'), ['idea_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_idea_supports_member_id'), ['member_id'], unique=False)

    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('speaker', sa.String(length=120), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.CheckConstraint('duration_minutes >= 0', name=op.f('ck_agenda_items_duration_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_agenda_items_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items'))
    )

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_event_id'), ['event_id'], unique=False)

    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(event_id IS NULL) <> (idea_id IS NULL)', name=op.f('ck_comments_exactly_one_target')),
    sa.ForeignKeyConstraint(['author_id'], ['members.id'], name=op.f('fk_comments_author_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_comments_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_comments_idea_id_ideas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_idea_id'), ['idea_id'], unique=False)

    op.create_table('event_hosts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.Enum('host', 'speaker', 'facilitator', name='hostrole', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('affiliation', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_hosts_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_event_hosts_member_id_members'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_hosts'))
    )

    with op.batch_alter_table('event_hosts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_hosts_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_hosts_member_id'), ['member_id'], unique=False)

    op.create_table('event_tags',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('tag', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_tags_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'tag', name=op.f('pk_event_tags'))
    )

    with op.batch_alter_table('event_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_tags_tag'), ['tag'], unique=False)

    op.create_table('event_transitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.Enum('draft', 'submitted', 'changes_requested', 'approved', 'rejected', 'withdrawn', 'cancelled', name='from_status', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('to_status', sa.Enum('draft', 'submitted', 'changes_requested', 'approved', 'rejected', 'withdrawn', 'cancelled', name='eventstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('reason', sa.String(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['members.id'], name=op.f('fk_event_transitions_actor_id_members'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_transitions_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_transitions'))
    )

    with op.batch_alter_table('event_transitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_transitions_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_transitions_event_id'), ['event_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('proposal_decided', 'waitlist_promoted', 'event_changed', 'event_cancelled', 'idea_scheduled', 'membership_decided', name='notificationkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_notifications_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_notifications_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_notifications_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_idea_id'), ['idea_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_member_id_read_at_created_at'), ['member_id', 'read_at', 'created_at'], unique=False)

    op.create_table('participation_tiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('allocation', sa.Enum('first_come', 'lottery', 'approval', name='tierallocation', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('is_online', sa.Boolean(), nullable=False),
    sa.Column('lottery_draw_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lottery_drawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lottery_seed', sa.String(length=64), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity >= 0', name=op.f('ck_participation_tiers_capacity_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_participation_tiers_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participation_tiers'))
    )

    with op.batch_alter_table('participation_tiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participation_tiers_event_id'), ['event_id'], unique=False)

    op.create_table('rsvps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('tier_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('going', 'waitlisted', 'pending', 'cancelled', 'attended', 'no_show', name='rsvpstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_rsvps_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_rsvps_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tier_id'], ['participation_tiers.id'], name=op.f('fk_rsvps_tier_id_participation_tiers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rsvps')),
    sa.UniqueConstraint('event_id', 'member_id', name=op.f('uq_rsvps_event_id_member_id'))
    )

    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rsvps_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rsvps_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rsvps_tier_id'), ['tier_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rsvps_tier_id_status_queued_at'), ['tier_id', 'status', 'queued_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rsvps_tier_id_status_queued_at'))
        batch_op.drop_index(batch_op.f('ix_rsvps_tier_id'))
        batch_op.drop_index(batch_op.f('ix_rsvps_member_id'))
        batch_op.drop_index(batch_op.f('ix_rsvps_event_id'))

    op.drop_table('rsvps')

    with op.batch_alter_table('participation_tiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participation_tiers_event_id'))

    op.drop_table('participation_tiers')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_member_id_read_at_created_at'))
        batch_op.drop_index(batch_op.f('ix_notifications_idea_id'))
        batch_op.drop_index(batch_op.f('ix_notifications_event_id'))

    op.drop_table('notifications')

    with op.batch_alter_table('event_transitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_transitions_event_id'))
        batch_op.drop_index(batch_op.f('ix_event_transitions_actor_id'))

    op.drop_table('event_transitions')

    with op.batch_alter_table('event_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_tags_tag'))

    op.drop_table('event_tags')

    with op.batch_alter_table('event_hosts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_hosts_member_id'))
        batch_op.drop_index(batch_op.f('ix_event_hosts_event_id'))

    op.drop_table('event_hosts')

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_idea_id'))
        batch_op.drop_index(batch_op.f('ix_comments_event_id'))
        batch_op.drop_index(batch_op.f('ix_comments_author_id'))

    op.drop_table('comments')

    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_items_event_id'))

    op.drop_table('agenda_items')

    with op.batch_alter_table('idea_supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idea_supports_member_id'))
        batch_op.drop_index(batch_op.f('ix_idea_supports_idea_id'))

    op.drop_table('idea_supports')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_status_starts_at'))
        batch_op.drop_index(batch_op.f('ix_events_series_id'))
        batch_op.drop_index(batch_op.f('ix_events_proposer_id'))
        batch_op.drop_index(batch_op.f('ix_events_idea_id'))
        batch_op.drop_index(batch_op.f('ix_events_group_id_status_starts_at'))
        batch_op.drop_index(batch_op.f('ix_events_group_id'))
        batch_op.drop_index(batch_op.f('ix_events_external_calendar_id'))

    op.drop_table('events')

    with op.batch_alter_table('webhooks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webhooks_group_id'))

    op.drop_table('webhooks')

    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_group_id'))

    op.drop_table('series')

    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ideas_status_created_at'))
        batch_op.drop_index(batch_op.f('ix_ideas_group_id'))
        batch_op.drop_index(batch_op.f('ix_ideas_author_id'))

    op.drop_table('ideas')

    with op.batch_alter_table('external_calendars', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_calendars_group_id'))

    op.drop_table('external_calendars')
