"""The management panel of the event page (status, decisions with a reason, edit,
duplicate, history) and the recap: its form for organisers, its display for all."""

from __future__ import annotations

from typing import Any

import reflex as rx

from community_app.i18n.proposals_messages import CANNED_REASONS
from community_app.ui.components.markdown import safe_markdown
from community_app.ui.locale import pick, tr
from community_app.ui.proposal_views import HistoryView, ManageView, MoveView
from community_app.ui.views import EventDetailView, RecapLinkLine

LABEL_STYLE = {"fontWeight": 500, "fontSize": "14px"}


def _move_button(move: rx.Var[MoveView], on_click: Any, variant: str) -> rx.Component:
    return rx.button(
        pick(move.label_ja, move.label_en),
        on_click=on_click,
        color_scheme=move.colour,  # type: ignore[arg-type]
        variant=variant,  # type: ignore[arg-type]
        class_name="move-button",
        custom_attrs={"data-move": move.target},
    )


def _reason_box(state: Any) -> rx.Component:
    return rx.vstack(
        rx.el.label(tr("manage.reason"), html_for="move-reason", style=LABEL_STYLE),
        rx.text_area(
            id="move-reason",
            value=state.reason,
            on_change=state.set_reason,
            placeholder=tr("manage.reason_placeholder"),
            max_length=2000,
            rows="3",
            width="100%",
        ),
        rx.hstack(
            rx.text(tr("manage.canned"), size="1", color=rx.color("gray", 10)),
            *[
                rx.button(
                    pick(ja, en),
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    on_click=state.use_canned_reason(index),
                    type="button",
                )
                for index, (ja, en) in enumerate(CANNED_REASONS)
            ],
            spacing="2",
            wrap="wrap",
            align="center",
        ),
        spacing="1",
        width="100%",
    )


def _history(manage: rx.Var[ManageView]) -> rx.Component:
    return rx.cond(
        manage.history.length() > 0,
        rx.el.details(
            rx.el.summary(tr("manage.history"), style={"cursor": "pointer", **LABEL_STYLE}),
            rx.vstack(
                rx.foreach(manage.history, _history_line),
                spacing="1",
                padding_top="8px",
            ),
            width="100%",
        ),
    )


def _history_line(entry: rx.Var[HistoryView]) -> rx.Component:
    return rx.hstack(
        rx.text(pick(entry.when_ja, entry.when_en), size="1", color=rx.color("gray", 10)),
        rx.badge(pick(entry.status_ja, entry.status_en), variant="soft"),
        rx.text(entry.actor_name, size="2"),
        rx.text(entry.reason, size="2", color=rx.color("gray", 11)),
        spacing="2",
        wrap="wrap",
        align="center",
    )


def _decisions(state: Any, manage: Any, has_moves: Any) -> rx.Component:
    """The reason box (for organisers) and the buttons of the moves this viewer may make."""
    return rx.vstack(
        rx.cond(manage.reviewer_moves.length() > 0, _reason_box(state)),
        rx.cond(
            has_moves,
            rx.hstack(
                rx.foreach(
                    manage.reviewer_moves,
                    lambda move: _move_button(
                        move, state.review(manage.event_id, move.target), "solid"
                    ),
                ),
                rx.foreach(
                    manage.proposer_moves,
                    lambda move: _move_button(
                        move, state.proposer_move(manage.event_id, move.target), "soft"
                    ),
                ),
                spacing="2",
                wrap="wrap",
            ),
        ),
        spacing="3",
        width="100%",
    )


def manage_panel(state: Any) -> rx.Component:
    """Shown to the proposer and the group's organisers (and admins)."""
    manage = state.manage.to(ManageView)
    has_moves = (manage.proposer_moves.length() > 0) | (manage.reviewer_moves.length() > 0)
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(tr("manage.title"), as_="h2", size="4"),
                rx.badge(
                    pick(manage.status_ja, manage.status_en),
                    color_scheme=manage.colour,  # type: ignore[arg-type]
                    size="2",
                    id="event-status",
                ),
                spacing="3",
                align="center",
                wrap="wrap",
            ),
            rx.cond(
                manage.status == "approved",
                rx.cond(
                    has_moves,
                    rx.el.details(
                        rx.el.summary(
                            tr("manage.cancel_open"),
                            style={"cursor": "pointer", **LABEL_STYLE},
                            id="cancel-toggle",
                        ),
                        _decisions(state, manage, has_moves),
                        width="100%",
                    ),
                ),
                _decisions(state, manage, has_moves),
            ),
            rx.hstack(
                rx.cond(
                    manage.can_edit,
                    rx.link(
                        rx.button(tr("manage.edit"), variant="outline"),
                        href=manage.edit_href,
                        id="edit-event",
                    ),
                ),
                rx.cond(
                    manage.attendees_href != "",
                    rx.link(
                        rx.button(tr("manage.attendees"), variant="outline"),
                        href=manage.attendees_href,
                        id="attendees-link",
                    ),
                ),
                rx.cond(
                    manage.can_duplicate,
                    rx.button(
                        tr("manage.duplicate"),
                        variant="ghost",
                        on_click=state.duplicate(manage.event_id),
                        id="duplicate-event",
                    ),
                ),
                spacing="3",
                wrap="wrap",
            ),
            rx.cond(manage.can_repeat, _repeat_form(state)),
            rx.cond(
                manage.in_series,
                rx.badge(tr("series.part_of"), variant="soft", color_scheme="teal"),
            ),
            rx.cond(manage.can_post_recap, _recap_form(state)),
            _history(manage),
            spacing="3",
            align="start",
            width="100%",
        ),
        width="100%",
        id="manage-panel",
    )


def _textarea(
    label_key: str, name: str, rows: str, default: rx.Var[str] | str = ""
) -> rx.Component:
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=f"recap-{name}", style=LABEL_STYLE),
        rx.text_area(id=f"recap-{name}", name=name, rows=rows, default_value=default, width="100%"),
        spacing="1",
        width="100%",
    )


def _recap_form(state: Any) -> rx.Component:
    manage = state.manage.to(ManageView)
    return rx.el.details(
        rx.el.summary(tr("recap.post"), style={"cursor": "pointer", **LABEL_STYLE}),
        rx.form(
            rx.vstack(
                rx.el.input(type="hidden", name="event_id", value=manage.event_id.to_string()),
                _textarea("recap.summary", "summary", "6", state.event.recap_summary),
                _textarea("recap.materials", "material", "2"),
                _textarea("recap.recordings", "recording", "2"),
                _textarea("recap.photos", "photo", "2"),
                rx.button(tr("recap.post"), type="submit"),
                spacing="3",
                width="100%",
                padding_top="8px",
            ),
            on_submit=state.post_recap,
            id="recap-form",
            width="100%",
        ),
        width="100%",
    )


# (value, message key) pairs for the selects of the "repeat" form.
FREQUENCY_OPTIONS = (
    ("weekly", "series.freq.weekly"),
    ("monthly_nth_weekday", "series.freq.monthly_nth_weekday"),
)
NTH_OPTIONS = (("", "series.nth.none"), ("1", "series.nth.1"), ("2", "series.nth.2"),
               ("3", "series.nth.3"), ("4", "series.nth.4"), ("-1", "series.nth.last"))  # fmt: skip


def _small_select(label_key: str, name: str, options: tuple[tuple[str, str], ...]) -> rx.Component:
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=f"repeat-{name}", style=LABEL_STYLE),
        rx.el.select(
            *[rx.el.option(tr(key), value=value) for value, key in options],
            id=f"repeat-{name}",
            name=name,
            style={"padding": "8px", "borderRadius": "6px", "width": "100%"},
        ),
        spacing="1",
        width="100%",
    )


def _small_input(label_key: str, name: str, type_: str, **props: Any) -> rx.Component:
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=f"repeat-{name}", style=LABEL_STYLE),
        rx.input(id=f"repeat-{name}", name=name, type=type_, width="100%", **props),
        spacing="1",
        width="100%",
    )


def _repeat_form(state: Any) -> rx.Component:
    manage = state.manage.to(ManageView)
    return rx.el.details(
        rx.el.summary(tr("series.repeat"), style={"cursor": "pointer", **LABEL_STYLE}),
        rx.form(
            rx.vstack(
                rx.el.input(type="hidden", name="event_id", value=manage.event_id.to_string()),
                rx.text(tr("series.hint"), size="1", color=rx.color("gray", 10)),
                rx.grid(
                    _small_select("series.frequency", "frequency", FREQUENCY_OPTIONS),
                    _small_input(
                        "series.interval", "interval", "number", min=1, max=52, default_value="1"
                    ),
                    _small_select("series.nth", "nth", NTH_OPTIONS),
                    _small_input("series.count", "count", "number", min=2, max=104),
                    _small_input("series.until", "until", "date"),
                    columns=rx.breakpoints(initial="1", sm="3"),
                    spacing="3",
                    width="100%",
                ),
                rx.button(tr("series.create"), type="submit", id="repeat-submit"),
                spacing="3",
                width="100%",
                padding_top="8px",
            ),
            on_submit=state.repeat,
            id="repeat-form",
            width="100%",
        ),
        width="100%",
    )


def _recap_link(link: rx.Var[RecapLinkLine]) -> rx.Component:
    return rx.cond(
        link.is_photo,
        rx.link(
            rx.image(
                src=link.url,
                alt=link.label,
                max_width="240px",
                border_radius="8px",
                loading="lazy",
                referrer_policy="no-referrer",
            ),
            href=link.url,
            is_external=True,
        ),
        rx.hstack(
            rx.badge(pick(link.kind_ja, link.kind_en), variant="soft"),
            rx.link(
                link.label, href=link.url, is_external=True, rel="noopener noreferrer nofollow"
            ),
            spacing="2",
            align="center",
        ),
    )


def recap_section(event: rx.Var[EventDetailView]) -> rx.Component:
    return rx.cond(
        event.recap_summary != "",
        rx.vstack(
            rx.heading(tr("recap.title"), as_="h2", size="5"),
            rx.box(safe_markdown(event.recap_summary), width="100%"),
            rx.flex(rx.foreach(event.recap_links, _recap_link), gap="3", wrap="wrap"),
            spacing="3",
            width="100%",
            id="event-recap",
        ),
    )
