"""The month calendar of /events (``?view=month&month=2026-12``), beside the list.

A seven-column table from Sunday (日曜始まり) on wide screens; on a phone the same
month as an agenda of the days that have events (assets/calendar.css swaps them).
"""

from __future__ import annotations

import asyncio

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from community_app.ui import month_actions
from community_app.ui.components.forms import FormMixin
from community_app.ui.locale import pick, tr
from community_app.ui.month_actions import MONTH_VIEW, MonthDayView, MonthEntryView, MonthView
from community_app.ui.policy import Access, handler


class MonthCalendarState(FormMixin, rx.State):
    month: MonthView | None = None
    is_month: bool = False
    loaded: bool = False
    failed: bool = False

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        """On every address of /events: the month when ``view=month``, else nothing."""
        query = dict(self.router.url.query_parameters)
        self.is_month = query.get("view") == MONTH_VIEW
        self._clear_error()
        if not self.is_month:
            self.month, self.loaded, self.failed = None, False, False
            return
        try:
            result = await asyncio.to_thread(month_actions.load_month_view, query)
        except SQLAlchemyError:
            self.month, self.loaded, self.failed = None, False, True
            return
        if result.error is not None:
            self._show_error(result.error)
        self.month, self.loaded, self.failed = result.view, True, False


# --- components -----------------------------------------------------------------------


def _entry(entry: rx.Var[MonthEntryView]) -> rx.Component:
    return rx.el.li(
        rx.link(
            rx.cond(
                entry.is_cancelled,
                rx.el.span(tr("month.cancelled"), class_name="month-cancelled-tag"),
            ),
            rx.el.span(pick(entry.time_ja, entry.time_en), class_name="month-time"),
            " ",
            rx.el.span(
                entry.title,
                class_name=rx.cond(entry.is_cancelled, "month-title is-cancelled", "month-title"),
            ),
            href=entry.href,
            title=entry.title,
            class_name="month-entry",
            underline="none",
        )
    )


def _more(day: rx.Var[MonthDayView]) -> rx.Component:
    return rx.cond(
        day.more.length() > 0,
        rx.el.details(
            rx.el.summary(pick(day.more_ja, day.more_en), class_name="month-more"),
            rx.el.ul(rx.foreach(day.more, _entry), class_name="month-entries"),
        ),
    )


def _cell_class(day: rx.Var[MonthDayView]) -> rx.Var[str]:
    return rx.cond(
        day.is_today,
        "month-cell is-today",
        rx.cond(day.in_month, "month-cell", "month-cell is-outside"),
    )


def _cell(day: rx.Var[MonthDayView]) -> rx.Component:
    return rx.el.td(
        rx.el.div(
            rx.el.span(day.number, aria_hidden="true"),
            rx.el.span(pick(day.label_ja, day.label_en), class_name="sr-only"),
            rx.cond(day.is_today, rx.el.span(tr("month.today"), class_name="month-today-tag")),
            class_name="month-day-number",
            aria_current=rx.cond(day.is_today, "date", "false"),
        ),
        rx.el.ul(rx.foreach(day.shown, _entry), class_name="month-entries"),
        _more(day),
        class_name=_cell_class(day),
        data_day=day.key,
    )


def _weekday_headers() -> rx.Component:
    names = zip(
        month_actions.weekday_headers("ja"), month_actions.weekday_headers("en"), strict=True
    )
    return rx.el.thead(rx.el.tr(*[rx.el.th(pick(ja, en), scope="col") for ja, en in names]))


def _grid(month: rx.Var[MonthView]) -> rx.Component:
    return rx.el.table(
        rx.el.caption(pick(month.title_ja, month.title_en), class_name="sr-only"),
        _weekday_headers(),
        rx.el.tbody(rx.foreach(month.weeks, lambda week: rx.el.tr(rx.foreach(week, _cell)))),
        class_name="month-grid",
        id="month-grid",
    )


def _agenda_day(day: rx.Var[MonthDayView]) -> rx.Component:
    return rx.el.li(
        rx.heading(pick(day.label_ja, day.label_en), as_="h3", size="3"),
        rx.el.ul(rx.foreach(day.shown, _entry), class_name="month-entries"),
        class_name=rx.cond(day.is_today, "month-agenda-day is-today", "month-agenda-day"),
        data_day=day.key,
    )


def _agenda(month: rx.Var[MonthView]) -> rx.Component:
    return rx.el.ol(
        rx.foreach(month.agenda, _agenda_day),
        class_name="month-agenda",
        id="month-agenda",
        aria_label=tr("month.agenda"),
    )


def _navigation(month: rx.Var[MonthView]) -> rx.Component:
    return rx.el.nav(
        rx.hstack(
            rx.link(tr("month.previous"), href=month.previous_href, id="month-previous"),
            rx.link(tr("month.current"), href=month.current_href, id="month-current"),
            rx.link(tr("month.next"), href=month.next_href, id="month-next"),
            spacing="4",
            wrap="wrap",
            align="center",
        ),
        aria_label=tr("month.navigation"),
    )


def _empty() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("calendar_search")),
        rx.callout.text(tr("month.empty"), weight="bold"),
        rx.callout.text(tr("month.empty_hint")),
        id="month-empty",
    )


def _month(month: rx.Var[MonthView]) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(pick(month.title_ja, month.title_en), as_="h2", size="5", id="month-title"),
            _navigation(month),
            justify="between",
            align="center",
            wrap="wrap",
            width="100%",
            spacing="3",
        ),
        rx.text(tr("month.timezone_note"), size="2", color=rx.color("gray", 11), id="month-tz"),
        _grid(month),
        rx.cond(month.agenda.length() > 0, _agenda(month), _empty()),
        spacing="3",
        width="100%",
        id="month-calendar",
    )


def month_results() -> rx.Component:
    """The refusal of the month (with this month below it), of the filters, or the month."""
    state = MonthCalendarState
    return rx.cond(
        state.failed,
        rx.callout(
            tr("error.load_failed"), icon="triangle_alert", color_scheme="red", role="alert"
        ),
        rx.vstack(
            rx.cond(
                state.error_ja != "",
                rx.callout(
                    pick(state.error_ja, state.error_en),
                    icon="triangle_alert",
                    color_scheme="red",
                    role="alert",
                    id="month-error",
                ),
            ),
            rx.cond(
                state.month,
                _month(state.month.to(MonthView)),
                rx.cond(state.loaded, rx.fragment(), rx.text(tr("event.loading"))),
            ),
            spacing="3",
            width="100%",
        ),
    )
