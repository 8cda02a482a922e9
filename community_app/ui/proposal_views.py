"""Display models for proposals, review and event management, in both languages."""

from __future__ import annotations

import dataclasses
from urllib.parse import quote

from community_app.domain.enums import EventStatus
from community_app.domain.proposals import REASON_REQUIRED
from community_app.domain.review import HistoryEntry, ProposalRow, ViewerEvent
from community_app.i18n import format_datetime, format_range, translate

REVIEWER_MOVES = frozenset(
    {
        EventStatus.APPROVED,
        EventStatus.REJECTED,
        EventStatus.CHANGES_REQUESTED,
        EventStatus.CANCELLED,
    }
)
_COLOURS = {
    "draft": "gray",
    "submitted": "amber",
    "changes_requested": "orange",
    "approved": "green",
    "rejected": "red",
    "withdrawn": "gray",
    "cancelled": "red",
}


def event_href(slug: str) -> str:
    return "/events/" + quote(slug, safe="")


@dataclasses.dataclass(frozen=True)
class MoveView:
    target: str
    label_ja: str
    label_en: str
    needs_reason: bool
    colour: str


@dataclasses.dataclass(frozen=True)
class HistoryView:
    when_ja: str
    when_en: str
    actor_name: str
    status_ja: str
    status_en: str
    reason: str


@dataclasses.dataclass(frozen=True)
class ManageView:
    event_id: int
    is_insider: bool  # the proposer, or an organiser of the group: show the panel
    status: str
    status_ja: str
    status_en: str
    colour: str
    is_public: bool
    can_edit: bool
    edit_href: str
    can_duplicate: bool
    can_post_recap: bool
    can_repeat: bool
    in_series: bool
    attendees_href: str  # for the group's organisers; empty for everyone else
    proposer_moves: list[MoveView]
    reviewer_moves: list[MoveView]
    history: list[HistoryView]


@dataclasses.dataclass(frozen=True)
class ProposalRowView:
    event_id: int
    href: str
    edit_href: str
    title: str
    status: str
    status_ja: str
    status_en: str
    colour: str
    reason: str
    group_name: str
    proposer_name: str
    when_ja: str
    when_en: str


def _status(status: EventStatus) -> tuple[str, str]:
    key = f"status.{status.value}"
    return translate(key, "ja"), translate(key, "en")


def _move(to: EventStatus) -> MoveView:
    key = f"move.{to.value}"
    colour = "red" if to in (EventStatus.REJECTED, EventStatus.CANCELLED) else "green"
    if to in (EventStatus.CHANGES_REQUESTED, EventStatus.WITHDRAWN):
        colour = "orange"
    return MoveView(
        to.value, translate(key, "ja"), translate(key, "en"), to in REASON_REQUIRED, colour
    )


def _history(entry: HistoryEntry, timezone: str) -> HistoryView:
    status_ja, status_en = _status(entry.to_status)
    return HistoryView(
        format_datetime(entry.at, timezone, "ja"),
        format_datetime(entry.at, timezone, "en"),
        entry.actor_name,
        status_ja,
        status_en,
        entry.reason,
    )


def manage_view(viewer: ViewerEvent) -> ManageView:
    status_ja, status_en = _status(viewer.status)
    slug = viewer.detail.card.slug
    return ManageView(
        event_id=viewer.detail.event_id,
        is_insider=bool(
            viewer.can_edit
            or viewer.moves
            or viewer.can_duplicate
            or viewer.can_post_recap
            or viewer.can_repeat
            or viewer.history
            or viewer.is_reviewer
        ),
        status=viewer.status.value,
        status_ja=status_ja,
        status_en=status_en,
        colour=_COLOURS[viewer.status.value],
        is_public=viewer.is_public,
        can_edit=viewer.can_edit,
        edit_href=event_href(slug) + "/edit",
        can_duplicate=viewer.can_duplicate,
        can_post_recap=viewer.can_post_recap,
        can_repeat=viewer.can_repeat,
        attendees_href=event_href(slug) + "/attendees" if viewer.is_reviewer else "",
        in_series=viewer.in_series,
        proposer_moves=[_move(to) for to in viewer.moves if to not in REVIEWER_MOVES],
        reviewer_moves=[_move(to) for to in viewer.moves if to in REVIEWER_MOVES],
        history=[_history(entry, viewer.detail.card.timezone) for entry in viewer.history],
    )


def proposal_row_view(row: ProposalRow) -> ProposalRowView:
    status_ja, status_en = _status(row.status)
    return ProposalRowView(
        event_id=row.event_id,
        href=event_href(row.slug),
        edit_href=event_href(row.slug) + "/edit",
        title=row.title,
        status=row.status.value,
        status_ja=status_ja,
        status_en=status_en,
        colour=_COLOURS[row.status.value],
        reason=row.status_reason,
        group_name=row.group_name,
        proposer_name=row.proposer_name,
        when_ja=format_range(row.starts_at, row.ends_at, row.timezone, "ja"),
        when_en=format_range(row.starts_at, row.ends_at, row.timezone, "en"),
    )
