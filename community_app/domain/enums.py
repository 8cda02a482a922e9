"""The closed vocabularies of the product, stored as their string values."""

from __future__ import annotations

from enum import StrEnum


class JoinPolicy(StrEnum):
    OPEN = "open"
    APPROVAL = "approval"


class GroupRole(StrEnum):
    MEMBER = "member"
    ORGANISER = "organiser"


class MembershipStatus(StrEnum):
    ACTIVE = "active"
    PENDING = "pending"
    DECLINED = "declined"


class EventKind(StrEnum):
    GATHERING = "gathering"
    STUDY_SESSION = "study_session"
    WORKSHOP = "workshop"
    ONLINE_EXCHANGE = "online_exchange"
    OTHER = "other"


class EventFormat(StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    HYBRID = "hybrid"


class EventStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"

    @classmethod
    def public(cls) -> frozenset[EventStatus]:
        """Statuses visible to everyone (cancelled events stay in feeds for a while)."""
        return frozenset({cls.APPROVED, cls.CANCELLED})


class HostRole(StrEnum):
    HOST = "host"
    SPEAKER = "speaker"
    FACILITATOR = "facilitator"


class TierAllocation(StrEnum):
    FIRST_COME = "first_come"
    LOTTERY = "lottery"
    APPROVAL = "approval"


class RsvpStatus(StrEnum):
    GOING = "going"
    WAITLISTED = "waitlisted"
    PENDING = "pending"  # waiting for an organiser's approval
    APPLIED = "applied"  # in a lottery that has not been drawn yet
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


class IdeaStatus(StrEnum):
    OPEN = "open"
    GATHERING = "gathering"
    READY = "ready"
    SCHEDULED = "scheduled"
    DONE = "done"
    ARCHIVED = "archived"


class IdeaSupportKind(StrEnum):
    SUPPORT = "support"
    JOIN = "join"


class NotificationKind(StrEnum):
    PROPOSAL_DECIDED = "proposal_decided"
    WAITLIST_PROMOTED = "waitlist_promoted"
    EVENT_CHANGED = "event_changed"
    EVENT_CANCELLED = "event_cancelled"
    IDEA_SCHEDULED = "idea_scheduled"
    IDEA_UPDATED = "idea_updated"
    MEMBERSHIP_DECIDED = "membership_decided"
    PROPOSAL_SUBMITTED = "proposal_submitted"
    EVENT_RECAP = "event_recap"
    RSVP_DECIDED = "rsvp_decided"  # approved or declined, or the lottery was drawn


class RecapLinkKind(StrEnum):
    MATERIAL = "material"
    RECORDING = "recording"
    PHOTO = "photo"


class WebhookAction(StrEnum):
    PUBLISHED = "published"
    CHANGED = "changed"
    CANCELLED = "cancelled"


class WebhookKind(StrEnum):
    SLACK = "slack"
    DISCORD = "discord"
    JSON = "json"


class MailCategory(StrEnum):
    """What a mail is about; members turn each category off except ``account``."""

    ACCOUNT = "account"  # verification, password reset, address change: always sent
    PARTICIPATION = "participation"  # RSVP confirmations, waitlist, lottery, approval
    EVENT_CHANGES = "event_changes"  # an event the member has a place in changed
    PROPOSALS = "proposals"  # decisions on the member's proposals
    IDEAS = "ideas"  # ideas the member supports or joined

    @classmethod
    def optional(cls) -> tuple[MailCategory, ...]:
        """The categories a member may unsubscribe from, in the order shown."""
        return tuple(category for category in cls if category is not cls.ACCOUNT)


class MailStatus(StrEnum):
    QUEUED = "queued"  # waiting for the delivery loop (or for a retry)
    SENT = "sent"  # accepted by the SMTP server
    FAILED = "failed"  # given up: refused permanently or too many failed tries
    HELD = "held"  # kept in the admin mailbox: no SMTP server is configured
