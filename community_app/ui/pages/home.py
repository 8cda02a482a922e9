"""Home page: the upcoming published events, soonest first."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from community_app.db import read_session
from community_app.domain.events import list_upcoming_events
from community_app.ui.components.event_card import event_card
from community_app.ui.components.layout import FEED_PATH, layout
from community_app.ui.locale import tr
from community_app.ui.pages.ideas import trending_ideas
from community_app.ui.policy import Access, handler
from community_app.ui.views import EventCardView, card_view


def _load_upcoming() -> list[EventCardView]:
    with read_session() as session:
        return [card_view(card) for card in list_upcoming_events(session, now=datetime.now(UTC))]


class HomeState(rx.State):
    events: list[EventCardView] = []
    loaded: bool = False
    failed: bool = False

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        try:
            self.events = await asyncio.to_thread(_load_upcoming)
        except SQLAlchemyError:
            self.failed = True
            return
        self.loaded, self.failed = True, False


def _event_list() -> rx.Component:
    return rx.cond(
        HomeState.failed,
        rx.callout(
            tr("error.load_failed"), icon="triangle_alert", color_scheme="red", role="alert"
        ),
        _loaded_list(),
    )


def _loaded_list() -> rx.Component:
    return rx.cond(
        HomeState.events.length() > 0,
        rx.vstack(rx.foreach(HomeState.events, event_card), spacing="3", width="100%"),
        rx.cond(
            HomeState.loaded,
            rx.callout(tr("home.empty"), icon="calendar"),
            rx.text(tr("event.loading"), color=rx.color("gray", 10)),
        ),
    )


def home_page() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading(tr("home.title"), as_="h1", size="7"),
            rx.text(tr("home.lead"), color=rx.color("gray", 11)),
            rx.link(tr("home.subscribe"), href=FEED_PATH, size="2", is_external=True),
            rx.grid(
                _event_list(),
                trending_ideas(),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="5",
                width="100%",
            ),
            spacing="4",
            width="100%",
        )
    )
