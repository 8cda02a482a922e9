"""The shapes of the public API's answers, as pydantic models: the OpenAPI document is
generated from them and every answer is built through them.

Field names are English; free text (titles, descriptions) is as its author wrote it.
Times are ISO 8601 with the offset of the event's (or group's) time zone, whose IANA
name travels beside them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from community_app.domain.enums import (
    EventFormat,
    EventKind,
    HostRole,
    IdeaStatus,
    JoinPolicy,
    RecapLinkKind,
)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


class GroupRef(Model):
    slug: str
    name: str = Field(description="The group's name as written (usually Japanese).")
    name_en: str = Field(description="The English name; empty when none was given.")
    url: str


class EventSummary(Model):
    slug: str
    url: str = Field(description="The event's page on this site.")
    title: str
    summary: str
    kind: EventKind
    format: EventFormat
    status: Literal["published", "cancelled"]
    starts_at: str = Field(description="ISO 8601 with the offset of `timezone`.")
    ends_at: str = Field(description="ISO 8601 with the offset of `timezone`.")
    timezone: str = Field(description="IANA time zone name of the event, e.g. Asia/Tokyo.")
    venue_name: str
    tags: list[str]
    seats_left: int | None = Field(description="Over all tiers; null when a tier is unlimited.")
    waitlisted: int
    group: GroupRef
    ical_url: str


class Host(Model):
    name: str
    role: HostRole
    affiliation: str


class AgendaItem(Model):
    title: str
    speaker: str
    duration_minutes: int


class Tier(Model):
    name: str
    name_en: str
    capacity: int | None = Field(description="null: no limit.")
    going: int
    seats_left: int | None = Field(description="null: no limit.")
    waitlisted: int
    is_online: bool
    allocation: Literal["first_come", "lottery"]
    requires_approval: bool
    rsvp_opens_at: str | None
    rsvp_closes_at: str | None


class RecapLink(Model):
    kind: RecapLinkKind
    url: str
    label: str


class Recap(Model):
    summary: str
    links: list[RecapLink]


class EventDetail(EventSummary):
    description: str = Field(description="Markdown, as written.")
    venue_address: str
    online_platform: str = Field(
        description="The name of the meeting service (the join link itself is never published)."
    )
    status_reason: str = Field(description="Why it was cancelled; empty otherwise.")
    updated_at: str
    hosts: list[Host]
    agenda: list[AgendaItem]
    tiers: list[Tier]
    recap: Recap | None


class Group(GroupRef):
    description: str
    description_en: str
    timezone: str
    join_policy: JoinPolicy
    member_count: int
    upcoming_event_count: int
    events_url: str = Field(description="This group's events in the API.")
    ical_url: str


class IdeaSummary(Model):
    slug: str
    url: str
    title: str
    status: IdeaStatus
    help_wanted: str = Field(description="What help the author is looking for; may be empty.")
    tags: list[str]
    supports: int
    joins: int
    support_threshold: int
    group: str = Field(description="The group's name; empty for a site-wide idea.")
    author: str = Field(description="The author's display name.")
    created_at: str
    active_at: str = Field(description="Last activity: an edit, support, join or comment.")


class IdeaEvent(Model):
    slug: str
    url: str
    title: str
    starts_at: str
    timezone: str
    status: Literal["published", "cancelled"]


class IdeaDetail(IdeaSummary):
    description: str
    status_reason: str
    group_slug: str
    events: list[IdeaEvent]


class Page(Model):
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next items; null on the last page."
    )
    next_url: str | None = Field(
        description="The next page's path with its query; null at the end."
    )


class EventPage(Page):
    items: list[EventSummary]


class GroupPage(Page):
    items: list[Group]


class IdeaPage(Page):
    items: list[IdeaSummary]


class ErrorBody(Model):
    code: str = Field(description="Stable: invalid_parameter, not_found, rate_limited, ...")
    parameter: str | None = Field(description="The query parameter at fault, if any.")
    message: str = Field(description="English.")
    message_ja: str


class Error(Model):
    error: ErrorBody
