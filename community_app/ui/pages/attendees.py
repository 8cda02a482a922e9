"""Attendee list of an event, for the organisers of its group and admins: tiers with
their counts, each RSVP with its actions, the self check-in code, the lottery's "draw
now", attendance after the event and the CSV export. Anyone else gets a refusal and no
row. The members' self check-in form is in ``checkin``.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import reflex as rx
from reflex.experimental.client_state import ClientStateVar
from sqlalchemy.exc import SQLAlchemyError

from community_app.domain import attendees, checkin, lottery
from community_app.domain.attendees import AttendeeList, AttendeeRow, TierAttendees
from community_app.domain.errors import DomainError, NotFound, PermissionDenied
from community_app.i18n import translate
from community_app.ui import attendee_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.forms import FormMixin, form_error
from community_app.ui.components.layout import layout
from community_app.ui.group_actions import act_as
from community_app.ui.locale import LocaleState, pick, tr
from community_app.ui.pages.event import slug_from_path
from community_app.ui.policy import Access, handler

ROUTE = "/events/[slug]/attendees"


@dataclasses.dataclass(frozen=True)
class RowView:
    rsvp_id: int
    name: str
    status: str
    position: int  # 0: not waiting
    checked_in: bool
    checked_in_at: str  # HH:MM in the event's time zone, or ""


@dataclasses.dataclass(frozen=True)
class TierView:
    tier_id: int
    name: str
    name_en: str
    capacity: int  # -1: unlimited
    seats_left: int  # -1: unlimited
    waitlist_length: int
    lottery_undrawn: bool
    rows: list[RowView]


@dataclasses.dataclass(frozen=True)
class TierChoice:
    tier_id: int
    name: str
    name_en: str


def _row(row: AttendeeRow, zone: ZoneInfo) -> RowView:
    at = row.checked_in_at
    return RowView(
        row.rsvp_id,
        row.display_name,
        row.status.value,
        row.position or 0,
        at is not None,
        at.astimezone(zone).strftime("%H:%M") if at else "",
    )


def _tier(tier: TierAttendees, zone: ZoneInfo) -> TierView:
    return TierView(
        tier.tier_id,
        tier.name,
        tier.name_en,
        -1 if tier.capacity is None else tier.capacity,
        -1 if tier.seats_left is None else tier.seats_left,
        tier.waitlist_length,
        tier.lottery_undrawn,
        [_row(row, zone) for row in tier.rows],
    )


# The self check-in code, in the organiser's page only (React state pushed by
# ``show_code``): never a state var, so no stored page state or later hydrate holds it.
CHECKIN_CODE = ClientStateVar.create("checkin_code", default="")


class AttendeesState(FormMixin, rx.State):
    event_id: int = 0
    slug: str = ""
    title: str = ""
    is_over: bool = False
    refused: bool = False
    not_found: bool = False
    tiers: list[TierView] = []
    choices: list[TierChoice] = []
    totals: dict[str, int] = {}

    async def _token(self) -> str:
        return (await self.get_state(AuthState)).session_token

    def _show(self, listing: AttendeeList) -> None:
        zone = ZoneInfo(listing.timezone)
        self.event_id, self.slug, self.title = listing.event_id, listing.slug, listing.title
        self.is_over = listing.is_over
        self.tiers = [_tier(tier, zone) for tier in listing.tiers]
        self.choices = [TierChoice(t.tier_id, t.name, t.name_en) for t in listing.tiers]
        self.totals = dataclasses.asdict(listing.totals)

    def _forget(self) -> None:
        self.event_id, self.slug, self.title = 0, "", ""
        self.tiers, self.choices, self.totals, self.is_over = [], [], {}, False

    @handler(Access.ORGANISER)
    async def load(self) -> rx.event.EventSpec:
        """The list for the event's organisers; a refusal, and no row, for anyone else."""
        await self._load()
        return CHECKIN_CODE.push("")

    async def _load(self) -> None:
        self._forget()
        self._clear_error()
        self.refused = self.not_found = False
        slug = slug_from_path(self.router.url.path, suffix="/attendees")
        try:
            listing = await asyncio.to_thread(
                attendee_actions.load_by_slug, token=await self._token(), slug=slug
            )
        except PermissionDenied:
            self.refused = True
            return
        except (NotFound, SQLAlchemyError):
            self.not_found = True
            return
        self._show(listing)

    async def _act(self, verb: Callable[..., Any], **arguments: Any) -> list[rx.event.EventSpec]:
        """Run one organiser verb, then show the list afresh (for this page's event)."""
        self._clear_error()
        token = await self._token()
        try:
            await asyncio.to_thread(act_as, token, verb, **arguments)
        except DomainError as error:
            self._show_error(error)
            return []
        if self.event_id:
            try:
                self._show(
                    await asyncio.to_thread(
                        attendee_actions.load_by_id, token=token, event_id=self.event_id
                    )
                )
            except DomainError:
                self._forget()
                self.refused = True
        locale = (await self.get_state(LocaleState)).locale
        return [rx.toast.success(translate("attendees.done", locale))]

    @handler(Access.ORGANISER)
    async def decide(self, rsvp_id: int, approve: bool) -> list[rx.event.EventSpec]:
        return await self._act(attendees.decide_pending, rsvp_id=rsvp_id, approve=approve)

    @handler(Access.ORGANISER)
    async def remove(self, rsvp_id: int) -> list[rx.event.EventSpec]:
        return await self._act(attendees.remove_attendee, rsvp_id=rsvp_id)

    @handler(Access.ORGANISER)
    async def move(self, rsvp_id: int, tier_id: int) -> list[rx.event.EventSpec]:
        return await self._act(attendees.move_attendee, rsvp_id=rsvp_id, tier_id=tier_id)

    @handler(Access.ORGANISER)
    async def set_checked_in(self, rsvp_id: int, checked_in: bool) -> list[rx.event.EventSpec]:
        return await self._act(checkin.set_checked_in, rsvp_id=rsvp_id, checked_in=checked_in)

    @handler(Access.ORGANISER)
    async def draw(self, tier_id: int) -> list[rx.event.EventSpec]:
        return await self._act(lottery.draw_lottery, tier_id=tier_id)

    @handler(Access.ORGANISER)
    async def close_attendance(self, event_id: int) -> list[rx.event.EventSpec]:
        return await self._act(checkin.close_attendance, event_id=event_id)

    @handler(Access.ORGANISER)
    async def show_code(self, event_id: int) -> rx.event.EventSpec | None:
        """Create (on first use) and show the event's self check-in code."""
        self._clear_error()
        try:
            code = await asyncio.to_thread(
                act_as, await self._token(), checkin.checkin_code, event_id=event_id
            )
        except DomainError as error:
            self._show_error(error)
            return None
        return CHECKIN_CODE.push(code if event_id == self.event_id else "")

    @handler(Access.ORGANISER)
    async def download_csv(self, event_id: int) -> rx.event.EventSpec | None:
        """The CSV, built on the server after the permission check (and audited)."""
        self._clear_error()
        locale = (await self.get_state(LocaleState)).locale
        try:
            text = await asyncio.to_thread(
                attendee_actions.export,
                token=await self._token(),
                event_id=event_id,
                locale=locale,
            )
        except DomainError as error:
            self._show_error(error)
            return None
        filename = f"attendees-{event_id}.csv"
        return rx.download(data=text, filename=filename, mime_type="text/csv;charset=utf-8")


# --- components ---------------------------------------------------------------------


def _status_badge(status: rx.Var[str]) -> rx.Component:
    colours = {"going": "green", "attended": "green", "waitlisted": "amber", "pending": "blue"}
    return rx.match(
        status,
        *[
            (
                value,
                rx.badge(tr(f"attendees.status.{value}"), color_scheme=colours.get(value, "gray")),
            )
            for value in (
                "going",
                "waitlisted",
                "pending",
                "applied",
                "cancelled",
                "attended",
                "no_show",
            )
        ],
        rx.badge(status),
    )


def _move_menu(row: rx.Var[RowView]) -> rx.Component:
    return rx.menu.root(
        rx.menu.trigger(
            rx.button(tr("attendees.move_to"), size="1", variant="soft", class_name="move-attendee")
        ),
        rx.menu.content(
            rx.foreach(
                AttendeesState.choices,
                lambda choice: rx.menu.item(
                    pick(choice.name, choice.name_en),
                    on_click=AttendeesState.move(row.rsvp_id, choice.tier_id),
                    class_name="move-choice",
                ),
            )
        ),
    )


def _check_in_button(row: rx.Var[RowView]) -> rx.Component:
    return rx.cond(
        row.checked_in,
        rx.button(
            tr("attendees.undo_check_in"),
            size="1",
            variant="outline",
            on_click=AttendeesState.set_checked_in(row.rsvp_id, False),
            class_name="undo-check-in",
        ),
        rx.button(
            tr("attendees.check_in"),
            size="1",
            on_click=AttendeesState.set_checked_in(row.rsvp_id, True),
            class_name="check-in",
        ),
    )


def _row_actions(row: rx.Var[RowView]) -> rx.Component:
    seated = (row.status == "going") | (row.status == "attended") | (row.status == "no_show")
    active = (row.status != "cancelled") & (row.status != "attended") & (row.status != "no_show")
    return rx.hstack(
        rx.cond(
            row.status == "pending",
            rx.hstack(
                rx.button(
                    tr("attendees.approve"),
                    size="1",
                    class_name="approve-attendee",
                    on_click=AttendeesState.decide(row.rsvp_id, True),
                ),
                rx.button(
                    tr("attendees.decline"),
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    class_name="decline-attendee",
                    on_click=AttendeesState.decide(row.rsvp_id, False),
                ),
            ),
        ),
        rx.cond(seated, _check_in_button(row)),
        rx.cond(active & ~AttendeesState.is_over, _move_menu(row)),
        rx.cond(
            active & ~AttendeesState.is_over,
            rx.button(
                tr("attendees.remove"),
                size="1",
                variant="ghost",
                color_scheme="red",
                on_click=AttendeesState.remove(row.rsvp_id),
                class_name="remove-attendee",
            ),
        ),
        spacing="2",
        wrap="wrap",
    )


def _attendee_row(row: rx.Var[RowView]) -> rx.Component:
    return rx.hstack(
        rx.text(row.name, weight="medium", class_name="attendee-name"),
        _status_badge(row.status),
        rx.cond(row.position > 0, rx.text(row.position, " ", tr("attendees.position"), size="2")),
        rx.cond(
            row.checked_in,
            rx.badge(
                tr("attendees.checked_in"),
                " ",
                row.checked_in_at,
                color_scheme="green",
                class_name="checked-in",
            ),
        ),
        rx.spacer(),
        _row_actions(row),
        align="center",
        spacing="3",
        wrap="wrap",
        width="100%",
        padding_y="6px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="attendee-row",
        data_rsvp=row.rsvp_id,
    )


def _tier_counts(tier: rx.Var[TierView]) -> rx.Component:
    return rx.hstack(
        rx.cond(
            tier.capacity < 0,
            rx.badge(tr("attendees.unlimited")),
            rx.hstack(
                rx.badge(tr("attendees.capacity"), " ", tier.capacity),
                rx.badge(tr("attendees.seats_left"), " ", tier.seats_left, color_scheme="green"),
            ),
        ),
        rx.badge(tr("attendees.waitlist"), " ", tier.waitlist_length, color_scheme="amber"),
        spacing="2",
        wrap="wrap",
    )


def _tier_card(tier: rx.Var[TierView]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(pick(tier.name, tier.name_en), as_="h2", size="4"),
                _tier_counts(tier),
                rx.cond(
                    tier.lottery_undrawn,
                    rx.button(
                        tr("attendees.draw_now"),
                        size="1",
                        class_name="draw-now",
                        on_click=AttendeesState.draw(tier.tier_id),
                    ),
                ),
                justify="between",
                align="center",
                wrap="wrap",
                width="100%",
            ),
            rx.cond(tier.rows.length() == 0, rx.text(tr("attendees.empty_tier"), size="2")),
            rx.foreach(tier.rows, _attendee_row),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="tier-card",
    )


def _code_box() -> rx.Component:
    checkin_path = "/events/" + AttendeesState.slug + "/checkin"
    return rx.card(
        rx.vstack(
            rx.heading(tr("attendees.code_title"), as_="h2", size="4"),
            rx.cond(
                CHECKIN_CODE.value != "",
                rx.vstack(
                    rx.text(
                        CHECKIN_CODE.value,
                        id="checkin-code",
                        size="9",
                        weight="bold",
                        style={"letterSpacing": "0.3em", "fontFamily": "monospace"},
                    ),
                    rx.text(tr("attendees.code_lead"), size="2"),
                    rx.code(checkin_path),
                ),
                rx.button(
                    tr("attendees.code_title"),
                    id="show-code",
                    on_click=AttendeesState.show_code(AttendeesState.event_id),
                ),
            ),
            spacing="2",
        ),
        width="100%",
    )


def _totals() -> rx.Component:
    def item(key: str) -> rx.Component:
        return rx.badge(
            tr(f"attendees.status.{key}"),
            " ",
            AttendeesState.totals[key],
            class_name=f"total-{key}",
        )

    return rx.hstack(
        rx.text(tr("attendees.totals"), weight="medium"),
        *[item(key) for key in ("going", "waitlisted", "pending", "applied")],
        rx.cond(AttendeesState.is_over, rx.hstack(item("attended"), item("no_show"))),
        spacing="2",
        wrap="wrap",
        align="center",
    )


def _after_the_event() -> rx.Component:
    return rx.cond(
        AttendeesState.is_over,
        rx.callout(
            rx.vstack(
                rx.text(tr("attendees.close_lead")),
                rx.button(
                    tr("attendees.close_attendance"),
                    id="close-attendance",
                    on_click=AttendeesState.close_attendance(AttendeesState.event_id),
                ),
            ),
            icon="clipboard_check",
            width="100%",
        ),
    )


def _listing() -> rx.Component:
    return rx.vstack(
        rx.link(tr("attendees.back"), href="/events/" + AttendeesState.slug),
        rx.heading(tr("attendees.title"), ": ", AttendeesState.title, as_="h1", size="6"),
        form_error(AttendeesState.error_ja, AttendeesState.error_en),
        _totals(),
        rx.button(
            tr("attendees.download_csv"),
            id="download-csv",
            variant="outline",
            on_click=AttendeesState.download_csv(AttendeesState.event_id),
        ),
        _after_the_event(),
        _code_box(),
        rx.cond(AttendeesState.tiers.length() == 0, rx.text(tr("attendees.no_tiers"))),
        rx.foreach(AttendeesState.tiers, _tier_card),
        spacing="4",
        width="100%",
        id="attendee-list",
    )


def attendees_page() -> rx.Component:
    return layout(
        rx.cond(
            AttendeesState.refused,
            rx.callout(
                rx.cond(AuthState.signed_in, tr("attendees.refused"), tr("attendees.login_first")),
                icon="lock",
                color_scheme="amber",
                id="attendees-refused",
            ),
            rx.cond(
                AttendeesState.not_found,
                rx.callout(tr("attendees.not_found"), icon="triangle_alert", color_scheme="red"),
                rx.cond(AttendeesState.event_id > 0, _listing(), rx.text(tr("attendees.loading"))),
            ),
        )
    )
