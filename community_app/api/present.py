"""Domain read models as the API's pydantic models: URLs made absolute, times in the
event's own zone with their offset."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from community_app.api import schemas
from community_app.domain.enums import EventStatus, TierAllocation
from community_app.domain.events import EventCard
from community_app.domain.groups import GroupCard
from community_app.domain.idea_board import IdeaCard
from community_app.domain.idea_detail import IdeaDetail
from community_app.domain.open_data import PublicEvent

API_PREFIX = "/api/v1"


def local_time(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).isoformat()


def _maybe_time(moment: datetime | None, timezone: str) -> str | None:
    return None if moment is None else local_time(moment, timezone)


def _status(status: EventStatus | str) -> str:
    return "cancelled" if status == EventStatus.CANCELLED else "published"


def _path(slug: str) -> str:
    return quote(slug, safe="")


def group_ref(site: str, *, slug: str, name: str, name_en: str) -> schemas.GroupRef:
    return schemas.GroupRef(
        slug=slug, name=name, name_en=name_en, url=f"{site}/groups/{_path(slug)}"
    )


def event_summary(site: str, card: EventCard) -> dict[str, object]:
    """The fields of an ``EventSummary`` (an ``EventDetail`` adds to them)."""
    return {
        "slug": card.slug,
        "url": f"{site}/events/{_path(card.slug)}",
        "title": card.title,
        "summary": card.summary,
        "kind": card.kind,
        "format": card.format,
        "status": _status(card.status),
        "starts_at": local_time(card.starts_at, card.timezone),
        "ends_at": local_time(card.ends_at, card.timezone),
        "timezone": card.timezone,
        "venue_name": card.venue_name,
        "tags": list(card.tags),
        "seats_left": card.seats_left,
        "waitlisted": card.waiting,
        "group": group_ref(
            site, slug=card.group_slug, name=card.group_name, name_en=card.group_name_en
        ),
        "ical_url": f"{site}/feeds/events/{_path(card.slug)}.ics",
    }


def event_detail(site: str, event: PublicEvent) -> schemas.EventDetail:
    detail, zone = event.detail, event.detail.card.timezone
    recap = None
    if detail.recap_summary or detail.recap_links:
        recap = schemas.Recap(
            summary=detail.recap_summary,
            links=[
                schemas.RecapLink(kind=x.kind, url=x.url, label=x.label) for x in detail.recap_links
            ],
        )
    tiers = [
        schemas.Tier(
            name=tier.name,
            name_en=tier.name_en,
            capacity=tier.capacity,
            going=tier.going,
            seats_left=tier.seats_left,
            waitlisted=tier.waiting,
            is_online=view.is_online,
            allocation="lottery" if tier.is_lottery else TierAllocation.FIRST_COME.value,
            requires_approval=tier.requires_approval,
            rsvp_opens_at=_maybe_time(tier.opens_at, zone),
            rsvp_closes_at=_maybe_time(tier.closes_at, zone),
        )
        # both in the tiers' order (position, id), from the same transaction
        for tier, view in zip(event.seats, detail.tiers, strict=False)
    ]
    return schemas.EventDetail(
        **event_summary(site, detail.card),
        description=detail.description,
        venue_address=detail.venue_address,
        online_platform=detail.online_platform,
        status_reason=detail.status_reason if detail.card.status == EventStatus.CANCELLED else "",
        updated_at=local_time(detail.updated_at, zone),
        hosts=[
            schemas.Host(name=h.name, role=h.role, affiliation=h.affiliation) for h in detail.hosts
        ],
        agenda=[
            schemas.AgendaItem(
                title=a.title, speaker=a.speaker, duration_minutes=a.duration_minutes
            )
            for a in detail.agenda
        ],
        tiers=tiers,
        recap=recap,
    )


def group(site: str, card: GroupCard, timezone: str) -> schemas.Group:
    slug = _path(card.slug)
    return schemas.Group(
        slug=card.slug,
        name=card.name,
        name_en=card.name_en,
        url=f"{site}/groups/{slug}",
        description=card.description,
        description_en=card.description_en,
        timezone=timezone,
        join_policy=card.join_policy,
        member_count=card.member_count,
        upcoming_event_count=card.upcoming_count,
        events_url=f"{site}{API_PREFIX}/groups/{slug}/events",
        ical_url=f"{site}/feeds/groups/{slug}.ics",
    )


def idea_summary(site: str, card: IdeaCard, timezone: str) -> dict[str, object]:
    return {
        "slug": card.slug,
        "url": f"{site}/ideas/{_path(card.slug)}",
        "title": card.title,
        "status": card.status,
        "help_wanted": card.help_needed,
        "tags": list(card.tags),
        "supports": card.support_count,
        "joins": card.join_count,
        "support_threshold": card.support_threshold,
        "group": card.group_name,
        "author": card.author_name,
        "created_at": local_time(card.created_at, timezone),
        "active_at": local_time(card.active_at, timezone),
    }


def idea_detail(site: str, idea: IdeaDetail, timezone: str) -> schemas.IdeaDetail:
    return schemas.IdeaDetail(
        **idea_summary(site, idea.card, timezone),
        description=idea.description,
        status_reason=idea.status_reason,
        group_slug=idea.group_slug,
        events=[
            schemas.IdeaEvent(
                slug=e.slug,
                url=f"{site}/events/{_path(e.slug)}",
                title=e.title,
                starts_at=local_time(e.starts_at, e.timezone),
                timezone=e.timezone,
                status=_status(e.status),
            )
            for e in idea.events
        ],
    )
