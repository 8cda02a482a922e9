"""Calendar integration on the pages: "Add to Google Calendar / Outlook" and the
``.ics`` download on the event page, and the ``webcal://`` subscribe box with its
short guide (group pages and "My calendar").

The links are built on the server from the public feed entry of the event, so they
never carry a join URL.
"""

from __future__ import annotations

import asyncio
from urllib.parse import unquote

import reflex as rx

from community_app.ui import calendar_actions
from community_app.ui.locale import tr
from community_app.ui.policy import Access, handler

MAX_SLUG_LENGTH = 200


class CalendarLinksState(rx.State):
    google: str = ""
    outlook: str = ""
    ics: str = ""
    webcal: str = ""

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        """On the event page: links for a published event, none for anything else."""
        self.google = self.outlook = self.ics = self.webcal = ""
        slug = unquote(self.router.url.path.rstrip("/").rsplit("/", 1)[-1])
        if not slug or len(slug) > MAX_SLUG_LENGTH:
            return
        links = await asyncio.to_thread(calendar_actions.event_links_for, slug)
        if links is not None:
            self.google, self.outlook = links.google, links.outlook
            self.ics, self.webcal = links.ics, links.webcal


def _button(label: str, href: rx.Var[str], icon: str, link_id: str) -> rx.Component:
    return rx.link(
        rx.button(rx.icon(icon, size=16), tr(label), variant="soft", size="2"),
        href=href,
        is_external=True,
        rel="noopener noreferrer",
        id=link_id,
    )


def calendar_buttons() -> rx.Component:
    """The event page's row of calendar buttons (only for published events)."""
    return rx.cond(
        CalendarLinksState.ics != "",
        rx.hstack(
            _button(
                "calendar.add_google", CalendarLinksState.google, "calendar-plus", "add-google"
            ),
            _button(
                "calendar.add_outlook", CalendarLinksState.outlook, "calendar-plus", "add-outlook"
            ),
            rx.link(
                rx.button(
                    rx.icon("download", size=16),
                    tr("calendar.download_ics"),
                    variant="soft",
                    size="2",
                ),
                href=CalendarLinksState.ics,
                is_external=True,
                download=True,
                id="download-ics",
            ),
            spacing="2",
            wrap="wrap",
            id="calendar-buttons",
        ),
    )


def subscribe_box(webcal: rx.Var[str] | str, https: rx.Var[str] | str, box_id: str) -> rx.Component:
    """A ``webcal://`` subscribe link, the plain URL to copy, and how to add it to Google."""
    return rx.vstack(
        rx.link(
            rx.button(rx.icon("calendar-sync", size=16), tr("calendar.subscribe"), size="2"),
            href=webcal,
            is_external=True,
            class_name="webcal-link",
        ),
        rx.text(tr("calendar.copy_url"), size="2"),
        rx.code(https, class_name="feed-url", style={"wordBreak": "break-all"}),
        rx.text(tr("calendar.google_guide"), size="2", color=rx.color("gray", 11)),
        rx.text(tr("calendar.google_delay"), size="2", color=rx.color("gray", 11)),
        spacing="2",
        align="start",
        width="100%",
        id=box_id,
    )
