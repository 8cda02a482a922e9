"""The event list (/events): upcoming and past tabs, filters, search and pages, and the
switch to the month calendar (``?view=month``, pages/events_month.py) with the same filters.

The URL's query string is the only source of the filters, so a list can be shared and
the back button works: the form sends the visitor to a new address, and ``load`` (run
on every change of address) reads it back.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from community_app.domain.enums import EventFormat, EventKind
from community_app.domain.errors import DomainError
from community_app.domain.event_search import MAX_TEXT_LENGTH, PAST, UPCOMING, parse_filters
from community_app.domain.events import EventCard
from community_app.domain.month_calendar import parse_month
from community_app.i18n import translate
from community_app.ui import event_list_actions as actions
from community_app.ui import month_actions
from community_app.ui.components.event_card import event_card
from community_app.ui.components.forms import FormMixin, text_value
from community_app.ui.components.layout import layout
from community_app.ui.locale import pick, tr
from community_app.ui.month_actions import MONTH_VIEW
from community_app.ui.pages.events_month import MonthCalendarState, month_results
from community_app.ui.policy import Access, handler
from community_app.ui.viewer_time import BROWSER_TIMEZONE_JS, accepted_timezone, member_timezone
from community_app.ui.views import EventCardView, card_view, with_viewer_time

ROUTE = actions.ROUTE
FORM_FIELDS = ("q", "group", "kind", "format", "tag", "from", "to")
MAX_ECHOED_LENGTH = 200  # raw query values shown back in the form


@dataclasses.dataclass(frozen=True)
class OptionView:
    value: str
    label_ja: str
    label_en: str


def _echo(query: dict[str, str]) -> dict[str, str]:
    """The visitor's own values, put back into the form even when they were refused."""
    return {key: str(query.get(key, ""))[:MAX_ECHOED_LENGTH] for key in FORM_FIELDS}


def _page_status(locale: str, page: int, page_count: int, total: int) -> str:
    template = translate("events.page_status", locale)
    return template.format(page=page, page_count=page_count, total=total)


class EventListState(FormMixin, rx.State):
    events: list[EventCardView] = []
    when: str = UPCOMING
    values: dict[str, str] = {}
    form_key: str = ""
    group_options: list[OptionView] = []
    tag_options: list[str] = []
    upcoming_href: str = ROUTE
    past_href: str = ROUTE + "?when=past"
    previous_href: str = ""
    next_href: str = ""
    status_ja: str = ""
    status_en: str = ""
    narrowed: bool = False
    loaded: bool = False
    failed: bool = False
    view: str = "list"
    list_href: str = ROUTE
    month_href: str = ROUTE + "?view=" + MONTH_VIEW
    _timezone: str = ""
    _month: str = ""  # the month of the calendar view, as the address gave it
    _cards: list[EventCard] = []  # the page's events, for the viewer's own times
    _browser_timezone: str = ""  # a visitor's zone, read from the browser once

    @handler(Access.PUBLIC)
    async def load(self) -> rx.event.EventSpec | None:
        query = dict(self.router.url.query_parameters)
        self.values, self.form_key = _echo(query), self.router.url.query
        self.when = PAST if query.get("when") == PAST else UPCOMING
        self.view = MONTH_VIEW if query.get("view") == MONTH_VIEW else "list"
        self._month = str(query.get("month", ""))
        self._clear_error()
        try:
            result = await asyncio.to_thread(
                actions.load_list, query, search=self.view != MONTH_VIEW
            )
        except SQLAlchemyError:
            self.failed, self.loaded, self.events = True, False, []
            return None
        self._show_options(result)
        self.failed, self.loaded = False, True
        if self.view == MONTH_VIEW:  # MonthCalendarState shows the month and its errors
            self._timezone = result.filters.timezone if result.filters else ""
            self.events, self._cards = [], []
            return None
        self._show_result(result)
        return await self._show_viewer_times()

    async def _show_viewer_times(self) -> rx.event.EventSpec | None:
        """Each card's times on the viewer's clock; a visitor's browser is asked once."""
        zone = await member_timezone(self) or self._browser_timezone
        if not zone:
            return rx.call_script(BROWSER_TIMEZONE_JS, callback=EventListState.use_browser_timezone)
        self.events = [
            with_viewer_time(view, card, zone)
            for view, card in zip(self.events, self._cards, strict=True)
        ]
        return None

    @handler(Access.PUBLIC)
    async def use_browser_timezone(self, timezone: str) -> None:
        """The zone this browser reports, if the zone database knows it."""
        zone = accepted_timezone(timezone)
        if zone:
            self._browser_timezone = zone
            await self._show_viewer_times()

    def _show_options(self, result: actions.ListResult) -> None:
        self.group_options = [OptionView(g.slug, g.name, g.name_en) for g in result.options.groups]
        self.tag_options = list(result.options.tags)
        self.upcoming_href = actions.tab_href(result.filters, UPCOMING)
        self.past_href = actions.tab_href(result.filters, PAST)
        self.list_href = actions.tab_href(result.filters, self.when)
        self.month_href = month_actions.month_href(result.filters)

    def _show_result(self, result: actions.ListResult) -> None:
        filters, page = result.filters, result.page
        self._timezone = filters.timezone if filters else ""
        self.narrowed = filters.is_narrowed if filters else True
        if result.error is not None or filters is None or page is None:
            self._show_error(result.error or DomainError("unknown"))
            self.events, self.previous_href, self.next_href = [], "", ""
            self._cards = []
            return
        self.events = [card_view(card) for card in page.cards]
        self._cards = list(page.cards)
        self.previous_href = actions.href(filters, page=page.page - 1) if page.page > 1 else ""
        has_next = page.page < page.page_count
        self.next_href = actions.href(filters, page=page.page + 1) if has_next else ""
        self.status_ja = _page_status("ja", page.page, page.page_count, page.total)
        self.status_en = _page_status("en", page.page, page.page_count, page.total)

    @handler(Access.PUBLIC)
    async def search(self, form_data: dict[str, object]) -> rx.event.EventSpec | None:
        query = {key: text_value(form_data, key) for key in FORM_FIELDS}
        query |= {"when": self.when, "tz": self._timezone}
        self._clear_error()
        try:
            filters = parse_filters(query)
        except DomainError as error:
            self._show_error(error)
            self.values = _echo(query)
            return None
        if self.view == MONTH_VIEW:
            return rx.redirect(month_actions.month_href(filters, self._shown_month()))
        return rx.redirect(actions.href(filters))

    def _shown_month(self) -> date | None:
        """The month on screen, kept when the filters change (None: the current one)."""
        try:
            return parse_month(self._month)
        except DomainError:
            return None


# --- components -----------------------------------------------------------------------


def _tab(key: str, href: rx.Var[str], tab_id: str, is_current: rx.Var[bool]) -> rx.Component:
    return rx.link(
        tr(key),
        href=href,
        id=tab_id,
        size="3",
        weight=rx.cond(is_current, "bold", "regular"),
        underline=rx.cond(is_current, "always", "hover"),
        aria_current=rx.cond(is_current, "page", "false"),
    )


def _tabs() -> rx.Component:
    when = EventListState.when
    return rx.hstack(
        _tab("events.upcoming", EventListState.upcoming_href, "tab-upcoming", when == UPCOMING),
        _tab("events.past", EventListState.past_href, "tab-past", when == PAST),
        spacing="5",
        role="navigation",
    )


def _view_switch() -> rx.Component:
    is_month = EventListState.view == MONTH_VIEW
    return rx.el.nav(
        rx.hstack(
            _tab("view.list", EventListState.list_href, "view-list", ~is_month),
            rx.text("/", aria_hidden="true", color=rx.color("gray", 10)),
            _tab("view.month", EventListState.month_href, "view-month", is_month),
            spacing="2",
            align="center",
        ),
        aria_label=tr("view.switch"),
        id="view-switch",
    )


def _labelled(label_key: str, name: str, control: rx.Component) -> rx.Component:
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=f"filter-{name}", style={"fontSize": "13px"}),
        control,
        spacing="1",
        min_width="150px",
        flex="1",
        width="100%" if name == "q" else "auto",
    )


_SELECT_STYLE = {"padding": "7px", "borderRadius": "6px", "width": "100%"}


def _select(label_key: str, name: str, options: list[rx.Component] | rx.Component) -> rx.Component:
    children = options if isinstance(options, list) else [options]
    return _labelled(
        label_key,
        name,
        rx.el.select(
            rx.el.option(tr("events.any"), value=""),
            *children,
            id=f"filter-{name}",
            name=name,
            default_value=EventListState.values[name],
            style=_SELECT_STYLE,
        ),
    )


def _input(label_key: str, name: str, **props: object) -> rx.Component:
    return _labelled(
        label_key,
        name,
        rx.input(
            id=f"filter-{name}",
            name=name,
            default_value=EventListState.values[name],
            size="2",
            width="100%",
            **props,
        ),
    )


def _selects() -> rx.Component:
    groups = rx.foreach(
        EventListState.group_options,
        lambda o: rx.el.option(pick(o.label_ja, o.label_en), value=o.value),
    )
    tags = rx.foreach(EventListState.tag_options, lambda tag: rx.el.option(tag, value=tag))
    kinds = [rx.el.option(tr(f"kind.{k.value}"), value=k.value) for k in EventKind]
    formats = [rx.el.option(tr(f"format.{f.value}"), value=f.value) for f in EventFormat]
    return rx.flex(
        _select("events.group", "group", groups),
        _select("events.kind", "kind", kinds),
        _select("events.format", "format", formats),
        _select("events.tag", "tag", tags),
        rx.cond(  # the month is the calendar's range
            EventListState.view != MONTH_VIEW,
            rx.fragment(
                _input("events.date_from", "from", type="date"),
                _input("events.date_to", "to", type="date"),
            ),
        ),
        gap="3",
        wrap="wrap",
        width="100%",
    )


def _filter_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _input(
                "events.search",
                "q",
                type="search",
                max_length=MAX_TEXT_LENGTH,
                placeholder=tr("events.search_placeholder"),
            ),
            _selects(),
            rx.hstack(
                rx.button(tr("events.apply"), type="submit", size="2", id="filter-submit"),
                rx.link(tr("events.clear"), href=ROUTE, size="2", id="filter-clear"),
                spacing="4",
                align="center",
            ),
            spacing="3",
            width="100%",
        ),
        on_submit=EventListState.search,
        reset_on_submit=False,
        key=EventListState.form_key,
        id="event-filters",
        aria_label=tr("events.filters"),
        width="100%",
    )


def _notice(title_key: str, hint_key: str, link_key: str, href: rx.Var[str] | str) -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("calendar_search")),
        rx.callout.text(tr(title_key), weight="bold"),
        rx.callout.text(tr(hint_key)),
        rx.callout.text(rx.link(tr(link_key), href=href)),
        id="events-empty",
    )


def _empty() -> rx.Component:
    return rx.cond(
        EventListState.narrowed,
        _notice("events.empty_filtered", "events.empty_filtered_hint", "events.clear", ROUTE),
        rx.cond(
            EventListState.when == UPCOMING,
            _notice(
                "events.empty_upcoming",
                "events.empty_upcoming_hint",
                "events.past",
                EventListState.past_href,
            ),
            rx.callout(tr("events.empty_past"), icon="calendar", id="events-empty"),
        ),
    )


def _refused() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("triangle_alert")),
        rx.callout.text(pick(EventListState.error_ja, EventListState.error_en), weight="bold"),
        rx.callout.text(tr("events.bad_filters_hint")),
        rx.callout.text(rx.link(tr("events.clear"), href=ROUTE)),
        color_scheme="red",
        role="alert",
        id="events-error",
    )


def _pager() -> rx.Component:
    return rx.hstack(
        rx.cond(
            EventListState.previous_href != "",
            rx.link(tr("events.previous"), href=EventListState.previous_href, id="page-previous"),
        ),
        rx.text(
            pick(EventListState.status_ja, EventListState.status_en),
            id="page-status",
            color=rx.color("gray", 11),
        ),
        rx.cond(
            EventListState.next_href != "",
            rx.link(tr("events.next"), href=EventListState.next_href, id="page-next"),
        ),
        spacing="4",
        align="center",
        justify="center",
        width="100%",
        role="navigation",
    )


def _results() -> rx.Component:
    return rx.cond(
        EventListState.failed,
        rx.callout(
            tr("error.load_failed"), icon="triangle_alert", color_scheme="red", role="alert"
        ),
        rx.cond(
            EventListState.error_ja != "",
            _refused(),
            rx.cond(
                EventListState.events.length() > 0,
                rx.vstack(
                    rx.vstack(
                        rx.foreach(EventListState.events, event_card), spacing="3", width="100%"
                    ),
                    _pager(),
                    spacing="4",
                    width="100%",
                ),
                rx.cond(EventListState.loaded, _empty(), rx.text(tr("event.loading"))),
            ),
        ),
    )


def events_page() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading(tr("events.title"), as_="h1", size="7"),
            rx.text(tr("events.lead"), color=rx.color("gray", 11)),
            rx.hstack(
                _view_switch(),
                rx.cond(EventListState.view != MONTH_VIEW, _tabs()),
                spacing="6",
                wrap="wrap",
                align="center",
            ),
            rx.card(_filter_form(), width="100%"),
            rx.cond(
                MonthCalendarState.is_month,
                rx.box(month_results(), id="month-results", width="100%"),
                rx.box(_results(), id="event-results", width="100%"),
            ),
            spacing="4",
            width="100%",
        )
    )
