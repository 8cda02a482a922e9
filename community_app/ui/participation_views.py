"""Display models for taking part in an event: tiers with seats, the viewer's RSVP."""

from __future__ import annotations

import dataclasses

from community_app.domain.enums import RsvpStatus
from community_app.domain.participation import RsvpPanel, TierSeats
from community_app.i18n import format_datetime, message, translate


@dataclasses.dataclass(frozen=True)
class TierChoice:
    tier_id: int
    name_ja: str
    name_en: str
    seats_ja: str
    seats_en: str
    note_ja: str
    note_en: str
    is_full: bool
    is_mine: bool


@dataclasses.dataclass(frozen=True)
class ParticipationView:
    event_id: int
    tiers: list[TierChoice]
    has_rsvp: bool
    status: str
    status_ja: str
    status_en: str
    is_open: bool
    in_series: bool
    join_url: str  # only filled for those who may see it (see domain/participation.py)
    checkin_href: str = ""  # self check-in, for members who are going


def seats_text(tier: TierSeats, locale: str) -> str:
    """``残り3席(定員20)・キャンセル待ち2人`` / ``3 of 20 places left · 2 waiting``."""
    if tier.is_lottery and not tier.lottery_drawn:
        base = message("seats.applied", locale, n=tier.applied)
        if tier.capacity is not None:
            base += message("seats.lottery_places", locale, n=tier.capacity)
    elif tier.seats_left is None:
        base = message("seats.going_unlimited", locale, n=tier.going)
    else:
        base = message("seats.left_of", locale, n=tier.seats_left, capacity=tier.capacity)
    if not tier.waiting:
        return base
    waiting = message("seats.waiting", locale, n=tier.waiting)
    return f"{base}{translate('list.separator', locale)}{waiting}"


def _note(tier: TierSeats, timezone: str, locale: str) -> str:
    parts = []
    if tier.is_lottery and not tier.lottery_drawn and tier.lottery_draw_at:
        parts.append(
            translate("rsvp.lottery_at", locale).format(
                when=format_datetime(tier.lottery_draw_at, timezone, locale)
            )
        )
    if tier.requires_approval:
        parts.append(translate("rsvp.needs_approval", locale))
    if tier.opens_at:
        parts.append(
            translate("rsvp.opens_at", locale).format(
                when=format_datetime(tier.opens_at, timezone, locale)
            )
        )
    if tier.closes_at:
        parts.append(
            translate("rsvp.closes_at", locale).format(
                when=format_datetime(tier.closes_at, timezone, locale)
            )
        )
    return " / ".join(parts)


def _status_text(panel: RsvpPanel, locale: str) -> str:
    if panel.mine is None:
        return ""
    text = translate(f"rsvp.status.{panel.mine.status.value}", locale)
    if panel.mine.status == RsvpStatus.WAITLISTED and panel.mine.position:
        text += translate("rsvp.position", locale).format(position=panel.mine.position)
    return text


def participation_view(
    panel: RsvpPanel, *, event_id: int, timezone: str, event_path: str = ""
) -> ParticipationView:
    mine = panel.mine.tier_id if panel.mine else 0
    return ParticipationView(
        event_id=event_id,
        tiers=[
            TierChoice(
                tier_id=tier.tier_id,
                name_ja=tier.name,
                name_en=tier.name_en or tier.name,
                seats_ja=seats_text(tier, "ja"),
                seats_en=seats_text(tier, "en"),
                note_ja=_note(tier, timezone, "ja"),
                note_en=_note(tier, timezone, "en"),
                is_full=tier.seats_left == 0,
                is_mine=tier.tier_id == mine,
            )
            for tier in panel.tiers
        ],
        has_rsvp=panel.mine is not None,
        status=panel.mine.status.value if panel.mine else "",
        status_ja=_status_text(panel, "ja"),
        status_en=_status_text(panel, "en"),
        is_open=panel.is_open,
        in_series=panel.in_series,
        join_url=panel.join_url,
        checkin_href=event_path + "/checkin"
        if panel.mine and panel.mine.status == RsvpStatus.GOING and event_path
        else "",
    )
