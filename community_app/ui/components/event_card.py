"""An event in a list: date, title, group, kind and format at a glance."""

from __future__ import annotations

import reflex as rx

from community_app.ui.locale import pick, tr
from community_app.ui.views import EventCardView


def badge_row(event: rx.Var[EventCardView]) -> rx.Component:
    return rx.hstack(
        rx.cond(
            event.is_cancelled,
            rx.badge(tr("events.cancelled"), color_scheme="red", class_name="cancelled-badge"),
        ),
        rx.badge(pick(event.kind_ja, event.kind_en), color_scheme="orange", variant="soft"),
        rx.badge(pick(event.format_ja, event.format_en), color_scheme="teal", variant="soft"),
        rx.foreach(
            event.tags, lambda tag: rx.badge("#", tag, color_scheme="gray", variant="outline")
        ),
        spacing="2",
        wrap="wrap",
    )


def event_card(event: rx.Var[EventCardView]) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.text(
                    pick(event.when_ja, event.when_en),
                    size="2",
                    weight="medium",
                    color=rx.color("orange", 11),
                ),
                rx.cond(
                    event.viewer_ja != "",
                    rx.text(
                        pick(event.viewer_ja, event.viewer_en),
                        size="1",
                        color=rx.color("gray", 11),
                        class_name="card-viewer-time",
                    ),
                ),
                rx.heading(event.title, as_="h3", size="4"),
                rx.text(event.summary, size="2", color=rx.color("gray", 11)),
                rx.text(
                    pick(event.group_name, event.group_name_en),
                    size="1",
                    color=rx.color("gray", 10),
                ),
                badge_row(event),
                rx.cond(
                    event.seats_ja != "",
                    rx.badge(
                        pick(event.seats_ja, event.seats_en),
                        color_scheme=rx.cond(event.is_full, "red", "green"),
                        variant="surface",
                        class_name="card-seats",
                    ),
                ),
                spacing="2",
                align="start",
            ),
            width="100%",
        ),
        href=event.href,
        underline="none",
        class_name="event-card",
        width="100%",
    )
