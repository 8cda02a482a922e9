"""The calendar section of a group page: subscribe to the group's feed, see events
imported from partner calendars (with their source, read-only), and, for organisers,
add, fetch now and remove those partner calendars.

Visitors see each source's name, host and state; full URLs stay on the server.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime
from urllib.parse import unquote

import reflex as rx

from community_app.calendar_import import refresh
from community_app.domain import external_calendars
from community_app.domain.calendar_links import group_feed_path, webcal_url
from community_app.domain.errors import DomainError
from community_app.domain.external_calendars import ExternalCalendarView, ImportedEventView
from community_app.fetch_guard import guarded_client
from community_app.i18n import format_range
from community_app.settings import get_settings
from community_app.ui import calendar_actions, group_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.calendar_links import subscribe_box
from community_app.ui.components.forms import FormMixin, form_error
from community_app.ui.locale import pick, tr
from community_app.ui.policy import Access, handler


@dataclasses.dataclass(frozen=True)
class SourceRow:
    id: int
    name: str
    host: str
    fetched: bool
    error: str


@dataclasses.dataclass(frozen=True)
class ImportedRow:
    title: str
    when_ja: str
    when_en: str
    location: str
    cancelled: bool
    source: str


def _source(view: ExternalCalendarView) -> SourceRow:
    return SourceRow(
        view.calendar_id, view.name, view.host, view.last_fetched_at is not None, view.last_error
    )


def _imported(view: ImportedEventView) -> ImportedRow:
    def when(locale: str) -> str:
        return format_range(view.starts_at, view.ends_at, view.timezone, locale)

    return ImportedRow(
        view.title, when("ja"), when("en"), view.location, view.cancelled, view.source
    )


class GroupCalendarState(FormMixin, rx.State):
    feed_url: str = ""
    webcal: str = ""
    can_manage: bool = False
    sources: list[SourceRow] = []
    imported: list[ImportedRow] = []
    _group_id: int = 0

    async def _token(self) -> str:
        return (await self.get_state(AuthState)).session_token

    async def _refresh(self) -> None:
        slug = unquote(self.router.url.path.rstrip("/").rsplit("/", 1)[-1])
        data = await asyncio.to_thread(
            calendar_actions.load_group_calendar, token=await self._token(), slug=slug
        )
        if data is None:
            self._group_id, self.feed_url, self.webcal = 0, "", ""
            self.can_manage, self.sources, self.imported = False, [], []
            return
        path = group_feed_path(data.group_slug)
        site = get_settings().site_url
        self._group_id, self.feed_url, self.webcal = (
            data.group_id,
            site + path,
            webcal_url(site, path),
        )
        self.can_manage = data.can_manage
        self.sources = [_source(view) for view in data.sources]
        self.imported = [_imported(view) for view in data.events]

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        self._clear_error()
        await self._refresh()

    @handler(Access.ORGANISER)
    async def add(self, form_data: dict[str, object]) -> None:
        self._clear_error()
        fields = form_data if isinstance(form_data, dict) else {}
        try:
            await asyncio.to_thread(
                group_actions.act_as,
                await self._token(),
                external_calendars.add_external_calendar,
                group_id=self._group_id,
                name=fields.get("name"),
                url=fields.get("url"),
            )
        except DomainError as error:
            self._show_error(error)
            return
        await self._refresh()

    @handler(Access.ORGANISER)
    async def remove(self, calendar_id: int) -> None:
        self._clear_error()
        try:
            await asyncio.to_thread(
                group_actions.act_as,
                await self._token(),
                external_calendars.remove_external_calendar,
                calendar_id=calendar_id,
            )
        except DomainError as error:
            self._show_error(error)
            return
        await self._refresh()

    @handler(Access.ORGANISER)
    async def fetch_now(self, calendar_id: int) -> None:
        """Fetch one partner calendar at once (the outcome shows on its source)."""
        self._clear_error()
        try:
            target = await asyncio.to_thread(
                calendar_actions.fetch_target_for,
                token=await self._token(),
                calendar_id=calendar_id,
            )
        except DomainError as error:
            self._show_error(error)
            return
        if get_settings().fetch_calendars:
            async with guarded_client() as client:
                await refresh(target, client=client, now=datetime.now(UTC))
        else:  # say so on the source rather than do nothing silently
            await asyncio.to_thread(calendar_actions.record_fetching_off, target)
        await self._refresh()


def _imported_row(row: rx.Var[ImportedRow]) -> rx.Component:
    return rx.hstack(
        rx.text(pick(row.when_ja, row.when_en), size="2"),
        rx.text(row.title, weight="medium"),
        rx.cond(row.cancelled, rx.badge(tr("calendar.imported_cancelled"), color_scheme="red")),
        rx.cond(row.location != "", rx.text(row.location, size="2")),
        rx.badge(tr("calendar.source"), ": ", row.source, variant="soft"),
        spacing="3",
        wrap="wrap",
        class_name="imported-event",
    )


def _source_row(row: rx.Var[SourceRow]) -> rx.Component:
    return rx.hstack(
        rx.text(row.name, weight="medium"),
        rx.code(row.host),
        rx.cond(
            row.error != "",
            rx.badge(tr("calendar.source_error"), color_scheme="red", title=row.error),
            rx.cond(
                row.fetched,
                rx.badge(tr("calendar.source_ok"), color_scheme="green"),
                rx.badge(tr("calendar.source_waiting"), color_scheme="gray"),
            ),
        ),
        rx.cond(
            GroupCalendarState.can_manage,
            rx.hstack(
                rx.button(
                    tr("calendar.fetch_now"),
                    size="1",
                    variant="soft",
                    on_click=GroupCalendarState.fetch_now(row.id),
                ),
                rx.button(
                    tr("calendar.remove_source"),
                    size="1",
                    variant="ghost",
                    color_scheme="red",
                    on_click=GroupCalendarState.remove(row.id),
                ),
            ),
        ),
        spacing="3",
        align="center",
        wrap="wrap",
        class_name="calendar-source",
    )


def _add_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(tr("calendar.add_source_title"), weight="medium"),
            rx.input(
                name="name", max_length=120, required=True, placeholder=tr("calendar.source_name")
            ),
            rx.input(
                name="url", max_length=500, required=True, placeholder="https://…/calendar.ics"
            ),
            rx.button(tr("calendar.add_source"), type="submit", id="add-calendar-source"),
            spacing="2",
            width="100%",
        ),
        on_submit=GroupCalendarState.add,
        reset_on_submit=True,
        width="100%",
    )


def group_calendar_section() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(tr("calendar.group_title"), as_="h2", size="4"),
            subscribe_box(
                GroupCalendarState.webcal, GroupCalendarState.feed_url, "group-subscribe"
            ),
            form_error(GroupCalendarState.error_ja, GroupCalendarState.error_en),
            rx.cond(
                GroupCalendarState.imported.length() > 0,
                rx.vstack(
                    rx.heading(tr("calendar.imported_title"), as_="h3", size="3"),
                    rx.foreach(GroupCalendarState.imported, _imported_row),
                    spacing="2",
                ),
            ),
            rx.foreach(GroupCalendarState.sources, _source_row),
            rx.cond(GroupCalendarState.can_manage, _add_form()),
            spacing="3",
            align="start",
            width="100%",
        ),
        width="100%",
        id="group-calendar",
    )
