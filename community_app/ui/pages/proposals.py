"""A member's own proposals (/proposals) and the organisers' review queue (/review)."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from community_app.domain.errors import DomainError, PermissionDenied
from community_app.i18n import translate
from community_app.ui import event_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.forms import FormMixin, form_error
from community_app.ui.components.layout import layout
from community_app.ui.locale import pick, tr
from community_app.ui.policy import Access, handler
from community_app.ui.proposal_views import ProposalRowView, proposal_row_view

SHOW_OPTIONS = ("waiting", "changes_requested", "decided", "all")


@dataclasses.dataclass(frozen=True)
class GroupOption:
    value: str
    name: str


async def _token(state: rx.State) -> str:
    return (await state.get_state(AuthState)).session_token


class MyProposalsState(rx.State):
    rows: list[ProposalRowView] = []
    loaded: bool = False

    @handler(Access.SIGNED_IN)
    async def load(self) -> None:
        """The signed-in member's own proposals; nothing for a visitor."""
        self.loaded = False
        try:
            rows = await asyncio.to_thread(event_actions.my_proposals, token=await _token(self))
        except PermissionDenied:
            rows = []
        self.rows = [proposal_row_view(row) for row in rows]
        self.loaded = True


class ReviewState(FormMixin, rx.State):
    rows: list[ProposalRowView] = []
    groups: list[GroupOption] = []
    show: str = "waiting"
    group: str = ""
    selected: list[int] = []
    reason: str = ""
    allowed: bool = False
    loaded: bool = False
    outcome_ja: str = ""
    outcome_en: str = ""

    @handler(Access.ORGANISER)
    async def load(self) -> None:
        """The queue of the groups the actor reviews; nothing for anyone else."""
        self.loaded = False
        group_id = int(self.group) if self.group.isdigit() else None
        try:
            rows, groups = await asyncio.to_thread(
                event_actions.review_queue,
                token=await _token(self),
                show=self.show,
                group_id=group_id,
            )
        except PermissionDenied:
            self.allowed, self.rows, self.groups, self.loaded = False, [], [], True
            return
        except DomainError as error:
            self._show_error(error)
            return
        self.allowed = True
        self.rows = [proposal_row_view(row) for row in rows]
        self.groups = [GroupOption(str(g.group_id), g.name) for g in groups]
        visible = {row.event_id for row in rows}
        self.selected = [event_id for event_id in self.selected if event_id in visible]
        self.loaded = True

    @handler(Access.PUBLIC)
    async def filter(self, show: str, group: str) -> None:
        """Change this browser's filters, then reload (``load`` checks the rights)."""
        self.show = show if show in SHOW_OPTIONS else "waiting"
        self.group = group if isinstance(group, str) and group.isdigit() else ""
        await self.load()

    @handler(Access.PUBLIC)
    def toggle(self, event_id: int) -> None:
        """Tick or untick one row in this browser (nothing is decided yet)."""
        if type(event_id) is not int:
            return
        if event_id in self.selected:
            self.selected = [other for other in self.selected if other != event_id]
        elif len(self.selected) < 100:
            self.selected = [*self.selected, event_id]

    @handler(Access.PUBLIC)
    def set_reason(self, value: str) -> None:
        self.reason = value[:2000] if isinstance(value, str) else ""

    @handler(Access.ORGANISER)
    async def decide(self, event_ids: list[int], to: str) -> None:
        """Approve or decline the ticked proposals; the ones someone else decided first
        (or that this organiser may not decide) are skipped and counted."""
        self._clear_error()
        self.outcome_ja = self.outcome_en = ""
        try:
            result = await asyncio.to_thread(
                event_actions.decide_many,
                token=await _token(self),
                event_ids=event_ids,
                to=to,
                reason=self.reason,
            )
        except DomainError as error:
            self._show_error(error)
            return
        done, skipped = len(result.done), len(result.skipped)
        self.outcome_ja = f"{done}{translate('review.bulk_done', 'ja')}" + (
            f" {skipped}{translate('review.bulk_skipped', 'ja')}" if skipped else ""
        )
        self.outcome_en = f"{done} {translate('review.bulk_done', 'en')}" + (
            f" {skipped} {translate('review.bulk_skipped', 'en')}" if skipped else ""
        )
        self.selected, self.reason = [], ""
        await self.load()


def _status_badge(row: rx.Var[ProposalRowView]) -> rx.Component:
    return rx.badge(
        pick(row.status_ja, row.status_en),
        color_scheme=row.colour,  # type: ignore[arg-type]
        variant="soft",
        class_name="proposal-status",
    )


def _row_card(row: rx.Var[ProposalRowView], *extra: rx.Component) -> rx.Component:
    return rx.card(
        rx.hstack(
            *extra,
            rx.vstack(
                rx.hstack(
                    _status_badge(row), rx.text(row.group_name, size="1"), spacing="2", wrap="wrap"
                ),
                rx.link(row.title, href=row.href, weight="bold", class_name="proposal-title"),
                rx.text(pick(row.when_ja, row.when_en), size="2", color=rx.color("gray", 11)),
                rx.text(
                    tr("review.proposer"),
                    ": ",
                    row.proposer_name,
                    size="1",
                    color=rx.color("gray", 10),
                ),
                rx.cond(
                    row.reason != "",
                    rx.text(
                        row.reason,
                        size="2",
                        color=rx.color("orange", 11),
                        class_name="proposal-reason",
                    ),
                ),
                spacing="1",
                align="start",
                width="100%",
            ),
            spacing="3",
            align="start",
            width="100%",
        ),
        width="100%",
        class_name="proposal-row",
    )


def my_proposals_page() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading(tr("proposals.title"), as_="h1", size="7"),
            rx.text(tr("proposals.lead"), color=rx.color("gray", 11)),
            rx.link(rx.button(tr("nav.propose")), href="/propose"),
            rx.cond(
                AuthState.signed_in,
                rx.cond(
                    MyProposalsState.rows.length() > 0,
                    rx.vstack(
                        rx.foreach(MyProposalsState.rows, _row_card), spacing="3", width="100%"
                    ),
                    rx.cond(
                        MyProposalsState.loaded, rx.callout(tr("proposals.empty"), icon="lightbulb")
                    ),
                ),
                rx.link(tr("auth.login"), href="/login?next=/proposals"),
            ),
            spacing="4",
            width="100%",
        )
    )


def _filters() -> rx.Component:
    return rx.hstack(
        rx.el.select(
            *[rx.el.option(tr(f"review.show.{option}"), value=option) for option in SHOW_OPTIONS],
            value=ReviewState.show,
            on_change=lambda value: ReviewState.filter(value, ReviewState.group),
            aria_label=tr("review.show_label"),
            id="review-show",
            style={"padding": "8px", "borderRadius": "6px"},
        ),
        rx.el.select(
            rx.el.option(tr("review.all_groups"), value=""),
            rx.foreach(ReviewState.groups, lambda g: rx.el.option(g.name, value=g.value)),
            value=ReviewState.group,
            on_change=lambda value: ReviewState.filter(ReviewState.show, value),
            aria_label=tr("review.group_label"),
            id="review-group",
            style={"padding": "8px", "borderRadius": "6px"},
        ),
        spacing="3",
        wrap="wrap",
    )


def _bulk_bar() -> rx.Component:
    return rx.cond(
        ReviewState.selected.length() > 0,
        rx.card(
            rx.vstack(
                rx.text_area(
                    value=ReviewState.reason,
                    on_change=ReviewState.set_reason,
                    placeholder=tr("manage.reason_placeholder"),
                    aria_label=tr("review.reason_label"),
                    id="bulk-reason",
                    width="100%",
                ),
                rx.hstack(
                    rx.button(
                        tr("review.bulk_approve"),
                        color_scheme="green",
                        on_click=ReviewState.decide(ReviewState.selected, "approved"),
                        id="bulk-approve",
                    ),
                    rx.button(
                        tr("review.bulk_reject"),
                        color_scheme="red",
                        variant="soft",
                        on_click=ReviewState.decide(ReviewState.selected, "rejected"),
                        id="bulk-reject",
                    ),
                    spacing="3",
                    wrap="wrap",
                ),
                spacing="2",
                width="100%",
            ),
            width="100%",
        ),
    )


def _review_row(row: rx.Var[ProposalRowView]) -> rx.Component:
    checkbox = rx.checkbox(
        checked=ReviewState.selected.contains(row.event_id),
        on_change=lambda _checked: ReviewState.toggle(row.event_id),
        aria_label=tr("review.select"),
        class_name="review-select",
    )
    return _row_card(
        row,
        rx.cond((row.status == "submitted"), checkbox),
    )


def review_page() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading(tr("review.title"), as_="h1", size="7"),
            rx.cond(
                ReviewState.allowed,
                rx.vstack(
                    rx.text(tr("review.lead"), color=rx.color("gray", 11)),
                    _filters(),
                    form_error(ReviewState.error_ja, ReviewState.error_en),
                    rx.cond(
                        ReviewState.outcome_ja != "",
                        rx.callout(
                            pick(ReviewState.outcome_ja, ReviewState.outcome_en),
                            icon="check",
                            id="bulk-outcome",
                        ),
                    ),
                    _bulk_bar(),
                    rx.cond(
                        ReviewState.rows.length() > 0,
                        rx.vstack(
                            rx.foreach(ReviewState.rows, _review_row), spacing="3", width="100%"
                        ),
                        rx.callout(tr("review.empty"), icon="inbox"),
                    ),
                    spacing="4",
                    width="100%",
                ),
                rx.cond(
                    ReviewState.loaded,
                    rx.callout(tr("review.not_organiser"), icon="lock", id="review-refused"),
                ),
            ),
            spacing="4",
            width="100%",
        )
    )
