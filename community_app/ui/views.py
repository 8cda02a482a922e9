"""Display models for the pages: strings already formatted in both languages."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from community_app.domain.events import AgendaView, EventCard, EventDetail, HostView, TierView
from community_app.i18n import format_range, format_viewer_range, message, translate


@dataclasses.dataclass(frozen=True)
class EventCardView:
    slug: str
    href: str
    title: str
    summary: str
    kind_ja: str
    kind_en: str
    format_ja: str
    format_en: str
    when_ja: str
    when_en: str
    group_name: str
    group_name_en: str
    venue_name: str
    is_cancelled: bool
    tags: list[str]
    seats_ja: str = ""
    seats_en: str = ""
    is_full: bool = False
    viewer_ja: str = ""  # "あなたの時間: …" when the viewer's clock differs from the event's
    viewer_en: str = ""


@dataclasses.dataclass(frozen=True)
class LineView:
    """One row of a list on the event page (a host, an agenda item, a tier)."""

    label_ja: str
    label_en: str
    detail_ja: str
    detail_en: str


@dataclasses.dataclass(frozen=True)
class RecapLinkLine:
    url: str
    label: str
    kind_ja: str
    kind_en: str
    is_photo: bool


@dataclasses.dataclass(frozen=True)
class EventDetailView:
    card: EventCardView
    description: str
    timezone: str
    venue_address: str
    online_platform: str
    status_reason: str
    hosts: list[LineView]
    agenda: list[LineView]
    tiers: list[LineView]
    recap_summary: str = ""
    recap_links: list[RecapLinkLine] = dataclasses.field(default_factory=list)


def viewer_lines(
    starts_at: datetime, ends_at: datetime, *, event_timezone: str, viewer_timezone: str
) -> tuple[str, str]:
    """``あなたの時間: 12月5日(土) 06:00–09:00 (Europe/Berlin)`` in ja and en, or two ""
    when the viewer's clock reads like the event's."""
    lines = []
    for locale in ("ja", "en"):
        when = format_viewer_range(
            starts_at,
            ends_at,
            event_timezone=event_timezone,
            viewer_timezone=viewer_timezone,
            locale=locale,
        )
        lines.append(translate("viewer_time.line", locale).format(when=when) if when else "")
    return lines[0], lines[1]


def _both(key: str) -> tuple[str, str]:
    return translate(key, "ja"), translate(key, "en")


def card_view(card: EventCard) -> EventCardView:
    kind_ja, kind_en = _both(f"kind.{card.kind.value}")
    format_ja, format_en = _both(f"format.{card.format.value}")
    return EventCardView(
        slug=card.slug,
        href=f"/events/{card.slug}",
        title=card.title,
        summary=card.summary,
        kind_ja=kind_ja,
        kind_en=kind_en,
        format_ja=format_ja,
        format_en=format_en,
        when_ja=format_range(card.starts_at, card.ends_at, card.timezone, "ja"),
        when_en=format_range(card.starts_at, card.ends_at, card.timezone, "en"),
        group_name=card.group_name,
        group_name_en=card.group_name_en or card.group_name,
        venue_name=card.venue_name,
        is_cancelled=card.status.value == "cancelled",
        tags=list(card.tags),
        seats_ja=_seats(card, "ja"),
        seats_en=_seats(card, "en"),
        is_full=card.seats_left == 0,
    )


def with_viewer_time(view: EventCardView, card: EventCard, viewer_timezone: str) -> EventCardView:
    """``view`` with the event's times on the viewer's clock (nothing when they agree)."""
    viewer_ja, viewer_en = viewer_lines(
        card.starts_at,
        card.ends_at,
        event_timezone=card.timezone,
        viewer_timezone=viewer_timezone,
    )
    return dataclasses.replace(view, viewer_ja=viewer_ja, viewer_en=viewer_en)


def _seats(card: EventCard, locale: str) -> str:
    """``残り3席`` / ``満席・キャンセル待ち2人`` / ``3 places left``; nothing when unlimited."""
    if card.seats_left is None:
        return ""
    if card.seats_left == 0:
        waiting = message("seats.waiting", locale, n=card.waiting) if card.waiting else ""
        full = translate("seats.full", locale)
        return translate("list.separator", locale).join(part for part in (full, waiting) if part)
    return message("seats.left", locale, n=card.seats_left)


def _joined(*parts: str) -> str:
    return " · ".join(part for part in parts if part)


def _capacity(capacity: int | None, going: int, locale: str) -> str:
    """``20名中 3名が参加予定`` / ``3 of 20 places taken``; no capacity means no limit."""
    if capacity is None:
        return message("seats.going_unlimited", locale, n=going)
    return message("seats.taken_of", locale, n=going, capacity=capacity)


def _host_line(host: HostView) -> LineView:
    role_ja, role_en = _both(f"role.{host.role.value}")
    return LineView(
        host.name, host.name, _joined(role_ja, host.affiliation), _joined(role_en, host.affiliation)
    )


def _agenda_line(item: AgendaView) -> LineView:
    minutes_ja, minutes_en = (
        (message("agenda.minutes", locale, n=item.duration_minutes) for locale in ("ja", "en"))
        if item.duration_minutes
        else ("", "")
    )
    return LineView(
        item.title, item.title, _joined(item.speaker, minutes_ja), _joined(item.speaker, minutes_en)
    )


def _tier_line(tier: TierView) -> LineView:
    return LineView(
        tier.name,
        tier.name_en or tier.name,
        _capacity(tier.capacity, tier.going, "ja"),
        _capacity(tier.capacity, tier.going, "en"),
    )


def detail_view(detail: EventDetail) -> EventDetailView:
    return EventDetailView(
        card=card_view(detail.card),
        description=detail.description,
        timezone=detail.card.timezone,
        venue_address=detail.venue_address,
        online_platform=detail.online_platform,
        status_reason=detail.status_reason,
        hosts=[_host_line(host) for host in detail.hosts],
        agenda=[_agenda_line(item) for item in detail.agenda],
        tiers=[_tier_line(tier) for tier in detail.tiers],
        recap_summary=detail.recap_summary,
        recap_links=[
            RecapLinkLine(
                link.url,
                link.label or link.url,
                *_both(f"recap.{link.kind.value}"),
                is_photo=link.kind.value == "photo",
            )
            for link in detail.recap_links
        ],
    )
