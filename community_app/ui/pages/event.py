"""Event page: everything a visitor needs to decide to come, by slug; for the proposer
and the group's organisers also the preview of an unpublished event and its
management (decisions, edit, duplicate, recap)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from urllib.parse import quote, unquote

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from community_app.domain.errors import DomainError, NotFound
from community_app.domain.participation import RsvpPanel
from community_app.i18n import translate
from community_app.i18n.proposals_messages import CANNED_REASONS
from community_app.ui import event_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.calendar_links import CalendarLinksState, calendar_buttons
from community_app.ui.components.event_card import badge_row
from community_app.ui.components.event_manage import manage_panel, recap_section
from community_app.ui.components.forms import FormMixin, form_error, text_value
from community_app.ui.components.layout import layout
from community_app.ui.components.markdown import safe_markdown
from community_app.ui.components.rsvp_panel import rsvp_panel
from community_app.ui.locale import LocaleState, pick, tr
from community_app.ui.pages.idea import idea_link
from community_app.ui.participation_views import ParticipationView, participation_view
from community_app.ui.policy import Access, handler
from community_app.ui.proposal_views import ManageView, event_href, manage_view
from community_app.ui.viewer_time import BROWSER_TIMEZONE_JS, accepted_timezone, member_timezone
from community_app.ui.views import EventDetailView, LineView, detail_view, viewer_lines

ROUTE = "/events/[slug]"
MAX_SLUG_LENGTH = 200
PROPOSER_MOVES = ("submitted", "withdrawn")
REVIEWER_MOVES = ("approved", "rejected", "changes_requested", "cancelled")
RECAP_KINDS = ("material", "recording", "photo")
REPEAT_FIELDS = ("frequency", "interval", "nth", "until", "count")


def slug_from_path(path: str, *, suffix: str = "") -> str:
    parts = path.rstrip("/").removesuffix(suffix).rstrip("/").rsplit("/", 1)
    return unquote(parts[-1])


class EventPageState(FormMixin, rx.State):
    event: EventDetailView | None = None
    manage: ManageView | None = None
    participation: ParticipationView | None = None
    rsvp_busy: bool = False
    login_href: str = "/login"
    not_found: bool = False
    failed: bool = False
    reason: str = ""
    viewer_when_ja: str = ""  # the event's times on the viewer's clock, when they differ
    viewer_when_en: str = ""
    _span: tuple[datetime, datetime, str] | None = None  # start, end, the event's zone
    _browser_timezone: str = ""  # a visitor's zone, read from the browser once

    async def _token(self) -> str:
        return (await self.get_state(AuthState)).session_token

    @handler(Access.PUBLIC)
    async def load(self) -> rx.event.EventSpec | None:
        path = self.router.url.path.rstrip("/")
        slug = slug_from_path(path)
        self.login_href = "/login?next=" + quote(path, safe="/")
        self.event, self.manage, self.not_found, self.failed = None, None, False, False
        self.participation, self._span = None, None
        self.viewer_when_ja = self.viewer_when_en = ""
        self._clear_error()
        if not slug or len(slug) > MAX_SLUG_LENGTH:
            self.not_found = True
            return None
        try:
            viewer, panel = await asyncio.to_thread(
                event_actions.load_event, token=await self._token(), slug=slug
            )
        except NotFound:
            self.not_found = True
            return None
        except SQLAlchemyError:
            self.failed = True
            return None
        self.event, self.manage = detail_view(viewer.detail), manage_view(viewer)
        self._show_panel(panel, viewer.detail.event_id, viewer.detail.card.timezone)
        card = viewer.detail.card
        self._span = (card.starts_at, card.ends_at, card.timezone)
        return await self._show_viewer_time()

    async def _show_viewer_time(self) -> rx.event.EventSpec | None:
        """The "your time" line; a visitor's browser is asked for its zone the first time."""
        zone = await member_timezone(self) or self._browser_timezone
        if not zone:
            return rx.call_script(BROWSER_TIMEZONE_JS, callback=EventPageState.use_browser_timezone)
        if self._span is not None:
            starts_at, ends_at, event_zone = self._span
            self.viewer_when_ja, self.viewer_when_en = viewer_lines(
                starts_at, ends_at, event_timezone=event_zone, viewer_timezone=zone
            )
        return None

    @handler(Access.PUBLIC)
    async def use_browser_timezone(self, timezone: str) -> None:
        """The zone this browser reports; anything the zone database does not know is
        ignored (the page then shows the event's own time only)."""
        zone = accepted_timezone(timezone)
        if zone:
            self._browser_timezone = zone
            await self._show_viewer_time()

    def _show_panel(self, panel: RsvpPanel, event_id: int, timezone: str) -> None:
        path = event_href(slug_from_path(self.router.url.path.rstrip("/")))
        self.participation = participation_view(
            panel, event_id=event_id, timezone=timezone, event_path=path
        )

    async def _rsvp_action(self, action, **arguments) -> AsyncIterator[None]:  # type: ignore[no-untyped-def]
        """Run one RSVP action for this browser's member, then show the new state of the
        RSVP panel (nothing else on the page changes); the buttons show they are working
        from the click until the answer is back."""
        self.rsvp_busy = True
        yield
        try:
            if not await self._run(action, **arguments):
                return
            event_id = arguments["event_id"]
            shown = self.participation.event_id if self.participation else None
            if self._span is None or shown != event_id:  # not this page's panel: reload
                await self.load()
                return
            try:
                panel = await asyncio.to_thread(
                    event_actions.load_rsvp_panel, token=await self._token(), event_id=event_id
                )
            except NotFound:
                await self.load()
                return
            self._show_panel(panel, event_id, self._span[2])
        finally:
            self.rsvp_busy = False

    @handler(Access.SIGNED_IN)
    async def sign_up(self, event_id: int, tier_id: int) -> AsyncIterator[None]:
        """RSVP to a tier (a second click on the same tier changes nothing)."""
        async for update in self._rsvp_action(
            event_actions.sign_up, event_id=event_id, tier_id=tier_id
        ):
            yield update

    @handler(Access.SIGNED_IN)
    async def cancel_rsvp(self, event_id: int) -> AsyncIterator[rx.event.EventSpec | None]:
        async for update in self._rsvp_action(event_actions.cancel_rsvp, event_id=event_id):
            yield update
        if not self.error_ja:
            yield rx.toast.info(translate("rsvp.cancelled", await self._locale()))

    @handler(Access.SIGNED_IN)
    async def join_series(self, event_id: int) -> AsyncIterator[rx.event.EventSpec | None]:
        """RSVP to every upcoming occurrence, each in the tier named like the member's."""
        mine = (
            [t.tier_id for t in self.participation.tiers if t.is_mine] if self.participation else []
        )
        self._clear_error()
        self.rsvp_busy = True
        yield
        try:
            signup = await asyncio.to_thread(
                event_actions.join_series,
                token=await self._token(),
                event_id=event_id,
                tier_id=mine[0] if mine else 0,
            )
        except DomainError as error:
            self._show_error(error)
            return
        finally:
            self.rsvp_busy = False
        locale = await self._locale()
        text = translate("rsvp.series_done", locale).format(joined=signup.joined)
        if signup.skipped:
            text += translate("rsvp.series_skipped", locale).format(skipped=signup.skipped)
        yield rx.toast.success(text)

    @handler(Access.PUBLIC)
    def set_reason(self, value: str) -> None:
        """Only this browser's draft of a reason: nothing is saved."""
        self.reason = value[:2000] if isinstance(value, str) else ""

    @handler(Access.PUBLIC)
    async def use_canned_reason(self, index: int) -> None:
        if type(index) is int and 0 <= index < len(CANNED_REASONS):
            english = (await self.get_state(LocaleState)).locale == "en"
            self.reason = CANNED_REASONS[index][1 if english else 0]

    async def _run(self, action, **arguments) -> bool:  # type: ignore[no-untyped-def]
        self._clear_error()
        try:
            await asyncio.to_thread(action, token=await self._token(), **arguments)
        except DomainError as error:
            self._show_error(error)
            return False
        return True

    async def _move(
        self, event_id: object, to: object, allowed: tuple[str, ...]
    ) -> list[rx.event.EventSpec]:
        if to not in allowed:
            self._show_error(DomainError("invalid_status"))
            return []
        done = await self._run(event_actions.move, event_id=event_id, to=to, reason=self.reason)
        if not done:
            return []
        self.reason = ""
        await self.load()
        # Publishing or cancelling changes what the calendar buttons offer.
        return [
            rx.toast.success(translate("manage.done", await self._locale())),
            CalendarLinksState.load,
        ]

    async def _locale(self) -> str:
        return (await self.get_state(LocaleState)).locale

    @handler(Access.SIGNED_IN)
    async def proposer_move(self, event_id: int, to: str) -> list[rx.event.EventSpec]:
        """Submit, resubmit or withdraw one's own proposal (the domain checks it is theirs)."""
        return await self._move(event_id, to, PROPOSER_MOVES)

    @handler(Access.ORGANISER)
    async def review(self, event_id: int, to: str) -> list[rx.event.EventSpec]:
        """Approve, reject, ask for changes or cancel, as an organiser of the event's group."""
        return await self._move(event_id, to, REVIEWER_MOVES)

    @handler(Access.SIGNED_IN)
    async def duplicate(self, event_id: int) -> rx.event.EventSpec | None:
        self._clear_error()
        try:
            slug = await asyncio.to_thread(
                event_actions.duplicate, token=await self._token(), event_id=event_id
            )
        except DomainError as error:
            self._show_error(error)
            return None
        return rx.redirect(event_href(slug) + "/edit")

    @handler(Access.ORGANISER)
    async def repeat(self, form_data: dict[str, object]) -> list[rx.event.EventSpec]:
        """Turn the event into a recurring series (weekly, every N weeks, monthly)."""
        rule = {name: text_value(form_data, name) for name in REPEAT_FIELDS}
        event_id = text_value(form_data, "event_id")
        done = await self._run(
            event_actions.repeat,
            event_id=int(event_id) if event_id.isascii() and event_id.isdigit() else event_id,
            rule=rule,
        )
        if not done:
            return []
        await self.load()
        return [rx.toast.success(translate("series.saved", await self._locale()))]

    @handler(Access.ORGANISER)
    async def post_recap(self, form_data: dict[str, object]) -> list[rx.event.EventSpec]:
        links = {kind: text_value(form_data, kind) for kind in RECAP_KINDS}
        event_id = text_value(form_data, "event_id")
        done = await self._run(
            event_actions.post_recap,
            event_id=int(event_id) if event_id.isascii() and event_id.isdigit() else event_id,
            summary=text_value(form_data, "summary"),
            links=links,
        )
        if not done:
            return []
        await self.load()
        return [rx.toast.success(translate("recap.saved", await self._locale()))]


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
                        rx.cond(
                            EventPageState.viewer_when_ja != "",
                            rx.text(
                                pick(EventPageState.viewer_when_ja, EventPageState.viewer_when_en),
                                id="viewer-when",
                                size="2",
                                color=rx.color("gray", 11),
                                margin_top="4px",
                            ),
                        ),
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


def _banners(event: rx.Var[EventDetailView]) -> rx.Component:
    manage = EventPageState.manage.to(ManageView)
    return rx.fragment(
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
        rx.cond(
            EventPageState.manage & ~manage.is_public,
            rx.callout.root(
                rx.callout.icon(rx.icon("eye_off")),
                rx.callout.text(
                    tr("manage.preview"),
                    " — ",
                    pick(manage.status_ja, manage.status_en),
                    weight="bold",
                ),
                rx.callout.text(tr("manage.preview_hint"), size="2"),
                color_scheme="amber",
                id="preview-banner",
            ),
        ),
    )


def _event_body(event: rx.Var[EventDetailView]) -> rx.Component:
    return rx.vstack(
        rx.link(tr("event.back"), href="/", size="2"),
        _banners(event),
        badge_row(event.card),
        rx.heading(event.card.title, as_="h1", size="7", id="event-title"),
        rx.text(event.card.summary, size="4", color=rx.color("gray", 11)),
        idea_link(),
        form_error(EventPageState.error_ja, EventPageState.error_en),
        rx.cond(
            EventPageState.manage & EventPageState.manage.to(ManageView).is_insider,
            manage_panel(EventPageState),
        ),
        _facts(event),
        calendar_buttons(),
        rsvp_panel(EventPageState),
        rx.box(safe_markdown(event.description), id="event-description", width="100%"),
        _section("event.hosts", event.hosts),
        _section("event.agenda", event.agenda),
        recap_section(event),
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
