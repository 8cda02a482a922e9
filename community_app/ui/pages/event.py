"""Event page: everything a visitor needs to decide to come, by slug."""

from __future__ import annotations

import asyncio
from urllib.parse import unquote

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from community_app.db import read_session
from community_app.domain.errors import NotFound
from community_app.domain.events import get_public_event
from community_app.ui.components.event_card import badge_row
from community_app.ui.components.layout import layout
from community_app.ui.components.markdown import safe_markdown
from community_app.ui.locale import pick, tr
from community_app.ui.policy import Access, handler
from community_app.ui.views import EventDetailView, LineView, detail_view

ROUTE = "/events/[slug]"
MAX_SLUG_LENGTH = 200


def _load_event(slug: str) -> EventDetailView | None:
    with read_session() as session:
        try:
            return detail_view(get_public_event(session, slug=slug))
        except NotFound:
            return None


class EventPageState(rx.State):
    event: EventDetailView | None = None
    not_found: bool = False
    failed: bool = False

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        slug = unquote(self.router.url.path.rstrip("/").rsplit("/", 1)[-1])
        self.event, self.not_found, self.failed = None, False, False
        if not slug or len(slug) > MAX_SLUG_LENGTH:
            self.not_found = True
            return
        try:
            self.event = await asyncio.to_thread(_load_event, slug)
        except SQLAlchemyError:
            self.failed = True
            return
        self.not_found = self.event is None


def _section(title_key: str, lines: rx.Var[list[LineView]]) -> rx.Component:
    return rx.cond(
        lines.length() > 0,
        rx.vstack(
            rx.heading(tr(title_key), as_="h2", size="4"),
            rx.foreach(
                lines,
                lambda line: rx.hstack(
                    rx.text(pick(line.label_ja, line.label_en), weight="medium"),
                    rx.text(pick(line.detail_ja, line.detail_en), color=rx.color("gray", 11)),
                    spacing="3",
                    wrap="wrap",
                ),
            ),
            spacing="2",
            align="start",
            width="100%",
        ),
    )


def _facts(event: rx.Var[EventDetailView]) -> rx.Component:
    card = event.card
    return rx.card(
        rx.data_list.root(
            rx.data_list.item(
                rx.data_list.label(tr("event.when")),
                rx.data_list.value(
                    rx.vstack(
                        rx.text(pick(card.when_ja, card.when_en), id="event-when", weight="medium"),
                        rx.text(event.timezone, color=rx.color("gray", 10), size="1"),
                        spacing="0",
                    )
                ),
            ),
            rx.data_list.item(
                rx.data_list.label(tr("event.where")),
                rx.data_list.value(
                    rx.vstack(
                        rx.cond(card.venue_name != "", rx.text(card.venue_name)),
                        rx.cond(
                            event.venue_address != "",
                            rx.text(event.venue_address, color=rx.color("gray", 11), size="2"),
                        ),
                        rx.cond(
                            event.online_platform != "",
                            rx.text(tr("event.online"), ": ", event.online_platform),
                        ),
                        spacing="1",
                    )
                ),
            ),
            rx.data_list.item(
                rx.data_list.label(tr("event.group")),
                rx.data_list.value(pick(card.group_name, card.group_name_en)),
            ),
        ),
        width="100%",
    )


def _event_body(event: rx.Var[EventDetailView]) -> rx.Component:
    return rx.vstack(
        rx.link(tr("event.back"), href="/", size="2"),
        rx.cond(
            event.card.is_cancelled,
            rx.callout.root(
                rx.callout.icon(rx.icon("triangle_alert")),
                rx.callout.text(tr("event.cancelled"), weight="bold"),
                rx.callout.text(event.status_reason),
                color_scheme="red",
                role="alert",
            ),
        ),
        badge_row(event.card),
        rx.heading(event.card.title, as_="h1", size="7", id="event-title"),
        rx.text(event.card.summary, size="4", color=rx.color("gray", 11)),
        _facts(event),
        rx.box(safe_markdown(event.description), id="event-description", width="100%"),
        _section("event.hosts", event.hosts),
        _section("event.agenda", event.agenda),
        _section("event.tiers", event.tiers),
        spacing="4",
        align="start",
        width="100%",
    )


def _not_found() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("event.not_found"), as_="h1", size="6"),
        rx.text(tr("event.not_found_hint")),
        rx.link(tr("event.back"), href="/"),
        spacing="3",
    )


def event_page() -> rx.Component:
    return layout(
        rx.cond(
            EventPageState.event,
            _event_body(EventPageState.event.to(EventDetailView)),
            rx.cond(
                EventPageState.failed,
                rx.callout(tr("error.load_failed"), icon="triangle_alert", color_scheme="red"),
                rx.cond(EventPageState.not_found, _not_found(), rx.text(tr("event.loading"))),
            ),
        )
    )
