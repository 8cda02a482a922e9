"""Taking part, on the event page: one card per tier with its seats and a button, the
member's own status, cancel, "join every occurrence", and the join link when allowed."""

from __future__ import annotations

from typing import Any

import reflex as rx

from community_app.ui.auth import AuthState
from community_app.ui.locale import pick, tr
from community_app.ui.participation_views import ParticipationView, TierChoice


def _tier_card(
    state: Any, view: rx.Var[ParticipationView], tier: rx.Var[TierChoice]
) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.text(pick(tier.name_ja, tier.name_en), weight="bold"),
                rx.text(pick(tier.seats_ja, tier.seats_en), size="2", class_name="tier-seats"),
                rx.cond(
                    tier.note_ja != "",
                    rx.text(pick(tier.note_ja, tier.note_en), size="1", color=rx.color("gray", 10)),
                ),
                spacing="1",
                align="start",
            ),
            rx.spacer(),
            rx.cond(
                tier.is_mine,
                rx.badge(tr("rsvp.your_tier"), color_scheme="green", size="2"),
                rx.cond(
                    view.is_open & AuthState.signed_in,
                    rx.button(
                        rx.cond(
                            view.has_rsvp,
                            tr("rsvp.switch"),
                            rx.cond(tier.is_full, tr("rsvp.join_waitlist"), tr("rsvp.join")),
                        ),
                        on_click=state.sign_up(view.event_id, tier.tier_id),
                        loading=state.rsvp_busy,
                        class_name="rsvp-button",
                        variant=rx.cond(view.has_rsvp, "soft", "solid"),
                    ),
                ),
            ),
            align="center",
            width="100%",
            wrap="wrap",
            spacing="3",
        ),
        width="100%",
        class_name="tier-card",
    )


def _mine(state: Any, view: rx.Var[ParticipationView]) -> rx.Component:
    return rx.cond(
        view.has_rsvp,
        rx.callout.root(
            rx.callout.text(pick(view.status_ja, view.status_en), weight="bold", id="rsvp-status"),
            rx.cond(
                view.join_url != "",
                rx.callout.text(
                    tr("rsvp.join_link"), ": ",
                    rx.link(view.join_url, href=view.join_url, is_external=True, id="join-url"),
                ),
            ),
            rx.cond(
                view.checkin_href != "",
                rx.link(tr("rsvp.checkin"), href=view.checkin_href, id="checkin-link", size="2"),
            ),
            rx.cond(
                view.is_open,
                rx.button(
                    tr("rsvp.cancel"), variant="outline", color_scheme="red", size="1",
                    on_click=state.cancel_rsvp(view.event_id), loading=state.rsvp_busy,
                    id="cancel-rsvp",
                ),
            ),
            color_scheme=rx.cond(view.status == "going", "green", "amber"),
        ),
    )  # fmt: skip


def rsvp_panel(state: Any) -> rx.Component:
    view = state.participation.to(ParticipationView)
    return rx.cond(
        state.participation,
        rx.vstack(
            rx.heading(tr("event.tiers"), as_="h2", size="5"),
            _mine(state, view),
            rx.foreach(view.tiers, lambda tier: _tier_card(state, view, tier)),
            rx.cond(
                ~AuthState.signed_in & view.is_open,
                rx.link(tr("rsvp.login_to_join"), href=state.login_href, id="login-to-rsvp"),
            ),
            rx.cond(
                view.in_series & view.has_rsvp & view.is_open,
                rx.button(
                    tr("rsvp.join_series"),
                    variant="ghost",
                    on_click=state.join_series(view.event_id),
                    loading=state.rsvp_busy,
                    id="join-series",
                ),
            ),
            spacing="3",
            width="100%",
            id="rsvp-panel",
        ),
    )
