"""Display models for the idea pages: strings already formatted in both languages."""

from __future__ import annotations

import dataclasses

from community_app.domain.idea_board import IdeaCard
from community_app.domain.idea_detail import CommentView, IdeaDetail, IdeaEvent, Joiner
from community_app.i18n import format_datetime, translate

TOKYO = "Asia/Tokyo"
ROLE_PRESETS = ("speaker", "venue", "helper")


@dataclasses.dataclass(frozen=True)
class IdeaCardView:
    id: int
    href: str
    title: str
    status: str
    status_ja: str
    status_en: str
    group_name: str  # "" for site-wide
    author_name: str
    help_needed: str
    tags: list[str]
    support_count: int
    join_count: int
    threshold: int
    progress: int  # percent of the threshold, at most 100
    posted_ja: str
    posted_en: str


@dataclasses.dataclass(frozen=True)
class JoinerView:
    name: str
    role_ja: str
    role_en: str


@dataclasses.dataclass(frozen=True)
class CommentLine:
    id: int
    author_name: str
    body: str
    when_ja: str
    when_en: str
    edited: bool
    is_mine: bool


@dataclasses.dataclass(frozen=True)
class EventLink:
    href: str
    title: str
    when_ja: str
    when_en: str
    status_ja: str
    status_en: str


@dataclasses.dataclass(frozen=True)
class IdeaPageView:
    card: IdeaCardView
    description: str
    status_reason: str
    supporters: list[str]
    joiners: list[JoinerView]
    comments: list[CommentLine]
    events: list[EventLink]


def idea_href(slug: str) -> str:
    return f"/ideas/{slug}"


def status_labels(status: str) -> tuple[str, str]:
    key = f"idea_status.{status}"
    return translate(key, "ja"), translate(key, "en")


def card_view(card: IdeaCard) -> IdeaCardView:
    ja, en = status_labels(card.status.value)
    return IdeaCardView(
        id=card.id,
        href=idea_href(card.slug),
        title=card.title,
        status=card.status.value,
        status_ja=ja,
        status_en=en,
        group_name=card.group_name,
        author_name=card.author_name,
        help_needed=card.help_needed,
        tags=list(card.tags),
        support_count=card.support_count,
        join_count=card.join_count,
        threshold=card.support_threshold,
        progress=min(100, card.support_count * 100 // max(1, card.support_threshold)),
        posted_ja=format_datetime(card.created_at, TOKYO, "ja"),
        posted_en=format_datetime(card.created_at, TOKYO, "en"),
    )


def role_labels(role: str) -> tuple[str, str]:
    if role in ROLE_PRESETS:
        return translate(f"idea.role.{role}", "ja"), translate(f"idea.role.{role}", "en")
    return role, role


def _joiner(joiner: Joiner) -> JoinerView:
    return JoinerView(joiner.name, *role_labels(joiner.role))


def _comment(comment: CommentView) -> CommentLine:
    return CommentLine(
        id=comment.id,
        author_name=comment.author_name,
        body=comment.body,
        when_ja=format_datetime(comment.created_at, TOKYO, "ja"),
        when_en=format_datetime(comment.created_at, TOKYO, "en"),
        edited=comment.edited,
        is_mine=comment.is_mine,
    )


def _event(event: IdeaEvent) -> EventLink:
    return EventLink(
        href=f"/events/{event.slug}",
        title=event.title,
        when_ja=format_datetime(event.starts_at, event.timezone, "ja"),
        when_en=format_datetime(event.starts_at, event.timezone, "en"),
        status_ja=translate(f"status.{event.status}", "ja"),
        status_en=translate(f"status.{event.status}", "en"),
    )


def page_view(detail: IdeaDetail) -> IdeaPageView:
    return IdeaPageView(
        card=card_view(detail.card),
        description=detail.description,
        status_reason=detail.status_reason,
        supporters=list(detail.supporters),
        joiners=[_joiner(j) for j in detail.joiners],
        comments=[_comment(c) for c in detail.comments],
        events=[_event(e) for e in detail.events],
    )
