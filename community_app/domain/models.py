"""The tables of the whole product. Behaviour lives in the domain verb modules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from community_app.domain.columns import enum_column, utc_column
from community_app.domain.enums import (
    EventFormat,
    EventKind,
    EventStatus,
    GroupRole,
    HostRole,
    IdeaStatus,
    IdeaSupportKind,
    JoinPolicy,
    MembershipStatus,
    NotificationKind,
    RecapLinkKind,
    RsvpStatus,
    TierAllocation,
    WebhookAction,
    WebhookKind,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION


def utcnow() -> datetime:
    return datetime.now(UTC)


def _created() -> Any:
    return Field(default_factory=utcnow, sa_column=utc_column())


OnDelete = Literal["CASCADE", "SET NULL", "RESTRICT"]


def _fk(target: str, *, nullable: bool = False, ondelete: OnDelete = "CASCADE") -> Any:
    if nullable:
        return Field(default=None, foreign_key=target, ondelete=ondelete, nullable=True, index=True)
    return Field(foreign_key=target, ondelete=ondelete, index=True)


class Member(SQLModel, table=True):
    __tablename__ = "members"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    display_name: str = Field(max_length=80)
    password_hash: str = Field(max_length=255)
    locale: str = Field(default="ja", max_length=8)
    timezone: str = Field(default="Asia/Tokyo", max_length=64)
    is_admin: bool = Field(default=False)
    is_disabled: bool = Field(default=False)
    created_at: datetime = _created()
    updated_at: datetime = _created()


class AuthSession(SQLModel, table=True):
    """A login: only the hash of the browser's random token is stored."""

    __tablename__ = "auth_sessions"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = _fk("members.id")
    token_hash: str = Field(max_length=128, unique=True)
    created_at: datetime = _created()
    last_seen_at: datetime = _created()
    expires_at: datetime = Field(sa_column=utc_column())
    revoked_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    user_agent: str = Field(default="", max_length=255)


class LoginTicket(SQLModel, table=True):
    """A one-time, short-lived hand-over of a new login to the browser's cookie.

    The websocket handler that checks a password cannot set an HttpOnly cookie, so it
    gives the browser this ticket, which ``POST /auth/session`` redeems (once) for the
    cookie. Only the ticket's hash is stored, like the login's.
    """

    __tablename__ = "login_tickets"

    id: int | None = Field(default=None, primary_key=True)
    ticket_hash: str = Field(max_length=128, unique=True)
    session_id: int = _fk("auth_sessions.id")
    expires_at: datetime = Field(sa_column=utc_column())


class LoginAttempt(SQLModel, table=True):
    """One failed or throttled attempt, keyed by client IP or account, for rate limits."""

    __tablename__ = "login_attempts"
    __table_args__ = (sa.Index(None, "key", "attempted_at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=128)
    attempted_at: datetime = _created()


class Group(SQLModel, table=True):
    __tablename__ = "groups"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=120, unique=True)
    name: str = Field(max_length=120)
    name_en: str = Field(default="", max_length=120)
    description: str = Field(default="")
    description_en: str = Field(default="")
    timezone: str = Field(default="Asia/Tokyo", max_length=64)
    join_policy: JoinPolicy = Field(
        default=JoinPolicy.OPEN, sa_column=enum_column(JoinPolicy, default=JoinPolicy.OPEN)
    )
    # Project ideas: supports that make an idea "ready", and whether authors may turn
    # their own ready ideas into event proposals (organisers always may).
    idea_support_threshold: int = Field(default=3)
    authors_convert_ideas: bool = Field(default=False)
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Membership(SQLModel, table=True):
    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("group_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = _fk("groups.id")
    member_id: int = _fk("members.id")
    role: GroupRole = Field(default=GroupRole.MEMBER, sa_column=enum_column(GroupRole))
    status: MembershipStatus = Field(
        default=MembershipStatus.ACTIVE, sa_column=enum_column(MembershipStatus)
    )
    decided_by_id: int | None = _fk("members.id", nullable=True, ondelete="SET NULL")
    created_at: datetime = _created()
    decided_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class Series(SQLModel, table=True):
    """A recurring gathering; each occurrence is a real Event linked back here."""

    __tablename__ = "series"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = _fk("groups.id")
    title: str = Field(max_length=200)
    rrule: str = Field(max_length=255)
    timezone: str = Field(default="Asia/Tokyo", max_length=64)
    created_at: datetime = _created()


class Event(SQLModel, table=True):
    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        sa.UniqueConstraint("external_calendar_id", "external_uid"),
        sa.Index(None, "status", "starts_at"),
        sa.Index(None, "group_id", "status", "starts_at"),
        # /events: public events (two statuses) in start order, without sorting them all.
        sa.Index(None, "starts_at", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=255, unique=True)
    slug: str = Field(max_length=200, unique=True)
    group_id: int = _fk("groups.id")
    proposer_id: int | None = _fk("members.id", nullable=True, ondelete="SET NULL")
    series_id: int | None = _fk("series.id", nullable=True, ondelete="SET NULL")
    idea_id: int | None = _fk("ideas.id", nullable=True, ondelete="SET NULL")
    external_calendar_id: int | None = _fk("external_calendars.id", nullable=True)
    external_uid: str | None = Field(default=None, max_length=255)
    title: str = Field(max_length=200)
    summary: str = Field(default="", max_length=500)
    description: str = Field(default="")
    kind: EventKind = Field(default=EventKind.GATHERING, sa_column=enum_column(EventKind))
    format: EventFormat = Field(default=EventFormat.ONLINE, sa_column=enum_column(EventFormat))
    status: EventStatus = Field(default=EventStatus.DRAFT, sa_column=enum_column(EventStatus))
    starts_at: datetime = Field(sa_column=utc_column())
    ends_at: datetime = Field(sa_column=utc_column())
    timezone: str = Field(default="Asia/Tokyo", max_length=64)
    venue_name: str = Field(default="", max_length=200)
    venue_address: str = Field(default="", max_length=300)
    online_platform: str = Field(default="", max_length=80)
    join_url: str = Field(default="", max_length=500)
    requires_approval: bool = Field(default=False)
    # Minutes before the start from which going members see the join URL (None: at once).
    join_url_reveal_minutes: int | None = Field(default=None)
    checkin_code: str = Field(default="", max_length=16)  # shown at the venue for self check-in
    sequence: int = Field(default=0)
    status_reason: str = Field(default="")
    published_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    cancelled_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    recap_summary: str = Field(default="")
    recap_posted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = _created()
    updated_at: datetime = _created()


class RecapLink(SQLModel, table=True):
    """After the event: a link to slides, a recording or a photo, shown with the recap."""

    __tablename__ = "recap_links"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _fk("events.id")
    kind: RecapLinkKind = Field(sa_column=enum_column(RecapLinkKind))
    url: str = Field(max_length=500)
    label: str = Field(default="", max_length=200)
    position: int = Field(default=0)


class EventTag(SQLModel, table=True):
    __tablename__ = "event_tags"

    event_id: int = Field(foreign_key="events.id", ondelete="CASCADE", primary_key=True)
    tag: str = Field(max_length=50, primary_key=True, index=True)


class EventHost(SQLModel, table=True):
    __tablename__ = "event_hosts"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _fk("events.id")
    member_id: int | None = _fk("members.id", nullable=True, ondelete="SET NULL")
    name: str = Field(max_length=120)
    role: HostRole = Field(default=HostRole.HOST, sa_column=enum_column(HostRole))
    affiliation: str = Field(default="", max_length=200)
    position: int = Field(default=0)


class AgendaItem(SQLModel, table=True):
    __tablename__ = "agenda_items"
    __table_args__ = (sa.CheckConstraint("duration_minutes >= 0", name="duration_not_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _fk("events.id")
    position: int = Field(default=0)
    title: str = Field(max_length=200)
    speaker: str = Field(default="", max_length=120)
    duration_minutes: int = Field(default=0)


class EventTransition(SQLModel, table=True):
    """History of status changes: who moved the event, when, and why."""

    __tablename__ = "event_transitions"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _fk("events.id")
    actor_id: int | None = _fk("members.id", nullable=True, ondelete="SET NULL")
    from_status: EventStatus | None = Field(
        default=None, sa_column=enum_column(EventStatus, nullable=True, name="from_status")
    )
    to_status: EventStatus = Field(sa_column=enum_column(EventStatus))
    reason: str = Field(default="")
    at: datetime = _created()


class ParticipationTier(SQLModel, table=True):
    """参加枠: one way to take part in an event, with its own capacity and allocation."""

    __tablename__ = "participation_tiers"
    __table_args__ = (
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _fk("events.id")
    name: str = Field(max_length=120)
    name_en: str = Field(default="", max_length=120)
    capacity: int | None = Field(default=None)
    allocation: TierAllocation = Field(
        default=TierAllocation.FIRST_COME, sa_column=enum_column(TierAllocation)
    )
    is_online: bool = Field(default=False)
    requires_approval: bool = Field(default=False)  # organisers approve each attendee
    rsvp_opens_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    rsvp_closes_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    lottery_draw_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    lottery_drawn_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    lottery_seed: str = Field(default="", max_length=64)
    position: int = Field(default=0)
    created_at: datetime = _created()


class Rsvp(SQLModel, table=True):
    __tablename__ = "rsvps"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "member_id"),
        sa.Index(None, "tier_id", "status", "queued_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = _fk("events.id")
    tier_id: int = _fk("participation_tiers.id")
    member_id: int = _fk("members.id")
    status: RsvpStatus = Field(sa_column=enum_column(RsvpStatus))
    queued_at: datetime = _created()  # arrival in the queue; reset when re-applying
    lottery_rank: int | None = Field(default=None)  # order drawn in a lottery
    checked_in_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = _created()
    updated_at: datetime = _created()


class ProjectIdea(SQLModel, table=True):
    """やってみたい: an idea members support or join until it becomes an event."""

    __tablename__ = "ideas"
    __table_args__ = (
        sa.CheckConstraint("support_threshold >= 1", name="threshold_positive"),
        sa.Index(None, "status", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=200, unique=True)
    group_id: int | None = _fk("groups.id", nullable=True, ondelete="SET NULL")
    author_id: int | None = _fk("members.id", nullable=True, ondelete="SET NULL")
    title: str = Field(max_length=200)
    description: str = Field(default="")
    help_needed: str = Field(default="")
    status: IdeaStatus = Field(default=IdeaStatus.OPEN, sa_column=enum_column(IdeaStatus))
    support_threshold: int = Field(default=5)
    status_reason: str = Field(default="")  # why an organiser archived or reopened it
    created_at: datetime = _created()
    updated_at: datetime = _created()  # last activity: edit, support, join, comment


class IdeaTag(SQLModel, table=True):
    __tablename__ = "idea_tags"

    idea_id: int = Field(foreign_key="ideas.id", ondelete="CASCADE", primary_key=True)
    tag: str = Field(max_length=50, primary_key=True, index=True)


class IdeaSupport(SQLModel, table=True):
    __tablename__ = "idea_supports"
    __table_args__ = (sa.UniqueConstraint("idea_id", "member_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = _fk("ideas.id")
    member_id: int = _fk("members.id")
    kind: IdeaSupportKind = Field(sa_column=enum_column(IdeaSupportKind))
    role: str = Field(default="", max_length=120)
    created_at: datetime = _created()


class Comment(SQLModel, table=True):
    __tablename__ = "comments"
    __table_args__ = (
        sa.CheckConstraint("(event_id IS NULL) <> (idea_id IS NULL)", name="exactly_one_target"),
    )

    id: int | None = Field(default=None, primary_key=True)
    author_id: int | None = _fk("members.id", nullable=True, ondelete="SET NULL")
    event_id: int | None = _fk("events.id", nullable=True, ondelete="CASCADE")
    idea_id: int | None = _fk("ideas.id", nullable=True, ondelete="CASCADE")
    body: str
    created_at: datetime = _created()
    edited_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    deleted_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # Hidden by an organiser: kept (with who and when) for the audit log, never shown.
    hidden_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    hidden_by_id: int | None = _fk("members.id", nullable=True, ondelete="SET NULL")


class Notification(SQLModel, table=True):
    __tablename__ = "notifications"
    __table_args__ = (sa.Index(None, "member_id", "read_at", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="members.id", ondelete="CASCADE")
    kind: NotificationKind = Field(sa_column=enum_column(NotificationKind))
    event_id: int | None = _fk("events.id", nullable=True, ondelete="CASCADE")
    idea_id: int | None = _fk("ideas.id", nullable=True, ondelete="CASCADE")
    message: str = Field(default="")
    message_en: str = Field(default="")
    created_at: datetime = _created()
    read_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class FeedToken(SQLModel, table=True):
    """The secret of a personal calendar feed, stored hashed and revocable."""

    __tablename__ = "feed_tokens"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = _fk("members.id")
    token_hash: str = Field(max_length=128, unique=True)
    created_at: datetime = _created()
    last_used_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))


class Webhook(SQLModel, table=True):
    __tablename__ = "webhooks"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = _fk("groups.id")
    kind: WebhookKind = Field(sa_column=enum_column(WebhookKind))
    url: str = Field(max_length=500)
    signing_secret: str = Field(default="", max_length=128)
    is_active: bool = Field(default=True)
    failure_count: int = Field(default=0)
    last_status: str = Field(default="", max_length=200)
    created_at: datetime = _created()


class WebhookDelivery(SQLModel, table=True):
    """One message to one webhook, written in the transaction of the change it reports
    (an outbox) and sent afterwards in the background, retried until it succeeds."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (sa.Index(None, "delivered_at", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    webhook_id: int = _fk("webhooks.id")
    event_id: int | None = _fk("events.id", nullable=True, ondelete="SET NULL")
    action: WebhookAction = Field(sa_column=enum_column(WebhookAction))
    payload: str = Field(default="")
    attempts: int = Field(default=0)
    next_attempt_at: datetime = _created()
    delivered_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    gave_up_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = _created()


class ExternalCalendar(SQLModel, table=True):
    """A partner organisation's iCal feed imported into a group."""

    __tablename__ = "external_calendars"

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = _fk("groups.id")
    name: str = Field(max_length=120)
    url: str = Field(max_length=500)
    is_active: bool = Field(default=True)
    etag: str = Field(default="", max_length=255)
    last_modified: str = Field(default="", max_length=64)  # the source's Last-Modified
    last_fetched_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    last_error: str = Field(default="", max_length=500)
    created_at: datetime = _created()


class AuditLogEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = _fk("members.id", nullable=True, ondelete="SET NULL")
    action: str = Field(max_length=80)
    target_type: str = Field(default="", max_length=40)
    target_id: int | None = Field(default=None)
    detail: str = Field(default="")
    at: datetime = Field(default_factory=utcnow, sa_column=utc_column(index=True))
