"""The idea board (/ideas): sorted, filtered and paginated; trending ideas for home."""

from __future__ import annotations

import asyncio

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from community_app.domain.errors import DomainError
from community_app.ui import idea_actions
from community_app.ui.components.forms import FormMixin, form_error, text_value
from community_app.ui.components.layout import layout
from community_app.ui.idea_views import IdeaCardView, card_view
from community_app.ui.locale import pick, tr
from community_app.ui.pages.idea_settings import idea_settings
from community_app.ui.policy import Access, handler

ROUTE = "/ideas"
SORTS = ("newest", "most_supported", "needs_help", "recently_active")
STATUSES = ("active", "open", "gathering", "ready", "scheduled", "done", "archived")


class IdeaBoardState(FormMixin, rx.State):
    cards: list[IdeaCardView] = []
    sort: str = "newest"
    status: str = "active"
    group: str = ""
    tag: str = ""
    page: int = 1
    page_count: int = 1
    total: int = 0
    loaded: bool = False
    groups: list[tuple[str, str]] = []  # (slug, name)

    async def _fetch(self) -> None:
        self._clear_error()
        try:
            result = await asyncio.to_thread(
                idea_actions.board,
                sort=self.sort,
                status=self.status,
                group_slug=self.group,
                tag=self.tag,
                page=self.page,
            )
        except DomainError as error:
            self._show_error(error)
            return
        except SQLAlchemyError:
            self._show_error(DomainError("load_failed"))
            return
        self.cards = [card_view(card) for card in result.cards]
        self.page, self.page_count, self.total = result.page, result.page_count, result.total
        self.loaded = True

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        groups = await asyncio.to_thread(idea_actions.all_groups)
        self.groups = [(g.slug, g.name) for g in groups]
        await self._fetch()

    @handler(Access.PUBLIC)
    async def set_sort(self, value: str) -> None:
        """Only this browser's view: the domain validates the value."""
        self.sort, self.page = (value if isinstance(value, str) else ""), 1
        await self._fetch()

    @handler(Access.PUBLIC)
    async def apply_filters(self, form_data: dict[str, object]) -> None:
        self.status = text_value(form_data, "status") or "active"
        self.group = text_value(form_data, "group")
        self.tag = text_value(form_data, "tag").strip().lstrip("#")
        self.page = 1
        await self._fetch()

    @handler(Access.PUBLIC)
    async def clear_filters(self) -> None:
        self.status, self.group, self.tag, self.page = "active", "", "", 1
        await self._fetch()

    @handler(Access.PUBLIC)
    async def next_page(self) -> None:
        self.page = min(self.page + 1, self.page_count)
        await self._fetch()

    @handler(Access.PUBLIC)
    async def previous_page(self) -> None:
        self.page = max(self.page - 1, 1)
        await self._fetch()


class TrendingIdeasState(rx.State):
    """The home page's trending ideas (public data only)."""

    ideas: list[IdeaCardView] = []

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        try:
            self.ideas = [card_view(c) for c in await asyncio.to_thread(idea_actions.trending)]
        except SQLAlchemyError:
            self.ideas = []


STATUS_COLOURS = {"ready": "green", "scheduled": "blue", "done": "gray", "archived": "gray"}


def status_badge(card: rx.Var[IdeaCardView]) -> rx.Component:
    return rx.badge(
        pick(card.status_ja, card.status_en),
        color_scheme=rx.match(card.status, *[(k, v) for k, v in STATUS_COLOURS.items()], "orange"),
        class_name="idea-status",
    )


def support_label(card: rx.Var[IdeaCardView]) -> rx.Var[str]:
    """The accessible name of a support progress bar: "賛同 3 / 5"."""
    return (
        tr("ideas.supports").to(str)
        + " "
        + card.support_count.to_string()
        + " / "
        + card.threshold.to_string()
    )


def idea_card(card: rx.Var[IdeaCardView]) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.hstack(
                    status_badge(card),
                    rx.text(
                        rx.cond(card.group_name != "", card.group_name, tr("ideas.site_wide")),
                        size="1",
                        color=rx.color("gray", 10),
                    ),
                    spacing="2",
                    align="center",
                ),
                rx.heading(card.title, as_="h3", size="4"),
                rx.cond(
                    card.help_needed != "",
                    rx.text(
                        tr("ideas.help_needed"),
                        ": ",
                        card.help_needed,
                        size="2",
                        color=rx.color("gray", 11),
                        trim="both",
                    ),
                ),
                rx.progress(
                    value=card.progress,
                    max=100,
                    size="1",
                    width="100%",
                    aria_label=support_label(card),
                ),
                rx.hstack(
                    rx.text(
                        tr("ideas.supports"),
                        " ",
                        card.support_count,
                        " / ",
                        card.threshold,
                        size="1",
                        class_name="idea-support-count",
                    ),
                    rx.text(tr("ideas.joins"), " ", card.join_count, size="1"),
                    rx.foreach(card.tags, lambda t: rx.badge("#", t, variant="outline")),
                    spacing="3",
                    wrap="wrap",
                ),
                spacing="2",
                align="start",
                width="100%",
            ),
            width="100%",
        ),
        href=card.href,
        underline="none",
        class_name="idea-card",
        width="100%",
    )


def _select(name: str, value: rx.Var[str], options: list[rx.Component]) -> rx.Component:
    return rx.el.select(
        *options,
        id=f"idea-{name}",
        name=name,
        default_value=value,
        key=value,
        style={"padding": "6px", "borderRadius": "6px"},
    )


def _filters() -> rx.Component:
    s = IdeaBoardState
    return rx.form(
        rx.hstack(
            rx.el.label(tr("ideas.filter.status"), html_for="idea-status"),
            _select(
                "status",
                s.status,
                [rx.el.option(tr(f"idea_status.{v}"), value=v) for v in STATUSES],
            ),
            rx.el.label(tr("ideas.filter.group"), html_for="idea-group"),
            _select(
                "group",
                s.group,
                [
                    rx.el.option(tr("ideas.filter.all_groups"), value=""),
                    rx.foreach(s.groups, lambda g: rx.el.option(g[1], value=g[0])),
                ],
            ),
            rx.el.label(tr("ideas.filter.tag"), html_for="idea-tag"),
            rx.input(
                id="idea-tag",
                name="tag",
                default_value=s.tag,
                key=s.tag,
                max_length=50,
                width="120px",
            ),
            rx.button(tr("ideas.filter.apply"), type="submit", variant="soft"),
            rx.button(
                tr("ideas.filter.clear"), type="button", variant="ghost", on_click=s.clear_filters
            ),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        on_submit=s.apply_filters,
        id="idea-filters",
    )


def _sorts() -> rx.Component:
    return rx.hstack(
        rx.text(tr("ideas.sort"), size="2"),
        *[
            rx.button(
                tr(f"ideas.sort.{value}"),
                on_click=IdeaBoardState.set_sort(value),
                variant=rx.cond(IdeaBoardState.sort == value, "solid", "outline"),
                size="1",
                data_sort=value,
            )
            for value in SORTS
        ],
        spacing="2",
        wrap="wrap",
        align="center",
    )


def _pager() -> rx.Component:
    s = IdeaBoardState
    return rx.hstack(
        rx.button(
            tr("ideas.previous"),
            on_click=s.previous_page,
            disabled=s.page <= 1,
            variant="soft",
            id="ideas-previous",
        ),
        rx.text(tr("ideas.page"), " ", s.page, " / ", s.page_count, size="2"),
        rx.button(
            tr("ideas.next"),
            on_click=s.next_page,
            disabled=s.page >= s.page_count,
            variant="soft",
            id="ideas-next",
        ),
        spacing="3",
        align="center",
    )


def ideas_page() -> rx.Component:
    s = IdeaBoardState
    return layout(
        rx.vstack(
            rx.hstack(
                rx.heading(tr("ideas.title"), as_="h1", size="7"),
                rx.link(rx.button(tr("ideas.post")), href="/ideas/new", id="post-idea-link"),
                justify="between",
                width="100%",
                wrap="wrap",
            ),
            rx.text(tr("ideas.lead"), color=rx.color("gray", 11)),
            _sorts(),
            _filters(),
            form_error(s.error_ja, s.error_en),
            rx.cond(
                s.cards.length() > 0,
                rx.grid(
                    rx.foreach(s.cards, idea_card),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                rx.cond(s.loaded, rx.callout(tr("ideas.empty"), icon="lightbulb")),
            ),
            _pager(),
            idea_settings(),
            spacing="4",
            width="100%",
        )
    )


def trending_ideas() -> rx.Component:
    """The home page's column of trending ideas."""
    return rx.vstack(
        rx.heading(tr("ideas.trending"), as_="h2", size="5"),
        rx.cond(
            TrendingIdeasState.ideas.length() > 0,
            rx.vstack(rx.foreach(TrendingIdeasState.ideas, idea_card), spacing="3", width="100%"),
            rx.text(tr("ideas.trending_empty"), color=rx.color("gray", 10)),
        ),
        rx.link(tr("ideas.see_all"), href=ROUTE, size="2"),
        spacing="3",
        width="100%",
        id="trending-ideas",
    )
