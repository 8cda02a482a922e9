"""The group directory and one group's page: join, leave, and the organisers' queue."""

from __future__ import annotations

import asyncio
import dataclasses
from urllib.parse import quote, unquote

import reflex as rx

from community_app.domain.errors import DomainError, NotFound
from community_app.domain.groups import GroupCard
from community_app.ui import group_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.embed_snippet import embed_snippet_section
from community_app.ui.components.event_card import event_card
from community_app.ui.components.forms import (
    COMMON_TIMEZONES,
    JOIN_POLICY_OPTIONS,
    FormMixin,
    form_error,
    native_select,
    submit_button,
    text_value,
)
from community_app.ui.components.layout import layout
from community_app.ui.locale import pick, tr
from community_app.ui.pages.group_calendar import group_calendar_section
from community_app.ui.pages.group_webhooks import webhooks_section
from community_app.ui.policy import Access, handler
from community_app.ui.views import EventCardView, card_view

ROUTE = "/groups/[slug]"


@dataclasses.dataclass(frozen=True)
class GroupCardView:
    href: str
    name: str
    name_en: str
    description: str
    description_en: str
    needs_approval: bool
    member_count: int
    upcoming_count: int


@dataclasses.dataclass(frozen=True)
class PersonView:
    id: int
    name: str
    detail: str


def _group_view(card: GroupCard) -> GroupCardView:
    return GroupCardView(
        href=f"/groups/{card.slug}",
        name=card.name,
        name_en=card.name_en or card.name,
        description=card.description,
        description_en=card.description_en or card.description,
        needs_approval=card.join_policy.value == "approval",
        member_count=card.member_count,
        upcoming_count=card.upcoming_count,
    )


class GroupsState(rx.State):
    groups: list[GroupCardView] = []

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        cards = await asyncio.to_thread(group_actions.directory)
        self.groups = [_group_view(card) for card in cards]


class GroupPageState(FormMixin, rx.State):
    group: GroupCardView | None = None
    not_found: bool = False
    organisers: list[str] = []
    upcoming: list[EventCardView] = []
    viewer_status: str = ""
    can_manage: bool = False
    requests: list[PersonView] = []
    members: list[PersonView] = []
    login_href: str = "/login"
    timezone: str = "Asia/Tokyo"
    can_edit: bool = False
    saved: bool = False
    _group_id: int = 0

    async def _token(self) -> str:
        return (await self.get_state(AuthState)).session_token

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        path = self.router.url.path.rstrip("/")
        slug = unquote(path.rsplit("/", 1)[-1])
        self.login_href = "/login?next=" + quote(path, safe="/")
        self._clear_error()
        try:
            data = await asyncio.to_thread(
                group_actions.load_page, token=await self._token(), slug=slug
            )
        except NotFound:
            self.group, self.not_found = None, True
            return
        page = data.page
        self.group, self.not_found, self._group_id = _group_view(page.card), False, data.group_id
        self.organisers = list(page.organisers)
        self.upcoming = [card_view(card) for card in page.upcoming]
        self.viewer_status = page.viewer_status.value if page.viewer_status else ""
        self.can_manage = page.viewer_can_manage
        self.can_edit = page.viewer_can_manage  # organisers of this group and admins
        self.timezone = page.timezone
        self.requests = [
            PersonView(r.membership_id, r.member_display_name, r.requested_at.date().isoformat())
            for r in data.requests
        ]
        self.members = [PersonView(m.member_id, m.display_name, m.role.value) for m in data.members]

    async def _act(self, action, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """Run one domain action for this browser's member, then reload the page."""
        self._clear_error()
        try:
            await asyncio.to_thread(action, token=await self._token(), **kwargs)
        except DomainError as error:
            self._show_error(error)
            return
        await self.load()

    @handler(Access.SIGNED_IN)
    async def join(self) -> None:
        await self._act(group_actions.join, group_id=self._group_id)

    @handler(Access.SIGNED_IN)
    async def leave(self) -> None:
        await self._act(group_actions.leave, group_id=self._group_id)

    @handler(Access.ORGANISER)
    async def decide(self, membership_id: int, approve: bool) -> None:
        await self._act(group_actions.decide, membership_id=membership_id, approve=approve)

    @handler(Access.ORGANISER)
    async def edit_group(self, form_data: dict[str, object]) -> None:
        fields = {name: text_value(form_data, name) for name in group_actions.EDITABLE_FIELDS}
        self.saved = False
        await self._act(group_actions.edit, group_id=self._group_id, fields=fields)
        self.saved = not self.error_ja

    @handler(Access.ORGANISER)
    async def remove_member(self, member_id: int) -> None:
        await self._act(group_actions.remove, group_id=self._group_id, member_id=member_id)


def _group_card(group: rx.Var[GroupCardView]) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.heading(pick(group.name, group.name_en), as_="h2", size="4"),
                rx.text(
                    pick(group.description, group.description_en),
                    size="2",
                    color=rx.color("gray", 11),
                    trim="both",
                ),
                rx.hstack(
                    rx.badge(tr("groups.members"), ": ", group.member_count, variant="soft"),
                    rx.badge(tr("groups.upcoming"), ": ", group.upcoming_count, variant="soft"),
                    rx.cond(
                        group.needs_approval, rx.badge(tr("groups.approval"), color_scheme="amber")
                    ),
                    spacing="2",
                    wrap="wrap",
                ),
                spacing="2",
                align="start",
            ),
            width="100%",
        ),
        href=group.href,
        underline="none",
        class_name="group-card",
        width="100%",
    )


def groups_page() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading(tr("groups.title"), as_="h1", size="7"),
            rx.text(tr("groups.lead"), color=rx.color("gray", 11)),
            rx.vstack(rx.foreach(GroupsState.groups, _group_card), spacing="3", width="100%"),
            spacing="4",
            width="100%",
        )
    )


def _membership_actions() -> rx.Component:
    status = GroupPageState.viewer_status
    return rx.cond(
        AuthState.signed_in,
        rx.match(
            status,
            (
                "active",
                rx.hstack(
                    rx.badge(tr("groups.you_are_member"), color_scheme="green", size="2"),
                    rx.button(
                        tr("groups.leave"),
                        on_click=GroupPageState.leave,
                        variant="outline",
                        id="leave-group",
                    ),
                    spacing="3",
                    align="center",
                ),
            ),
            (
                "pending",
                rx.hstack(
                    rx.badge(tr("groups.pending"), color_scheme="amber", size="2"),
                    rx.button(
                        tr("groups.cancel_request"),
                        on_click=GroupPageState.leave,
                        variant="outline",
                        id="leave-group",
                    ),
                    spacing="3",
                    align="center",
                ),
            ),
            rx.button(tr("groups.join"), on_click=GroupPageState.join, size="3", id="join-group"),
        ),
        rx.link(tr("groups.login_to_join"), href=GroupPageState.login_href, id="login-to-join"),
    )


def _person_row(person: rx.Var[PersonView], *buttons: rx.Component) -> rx.Component:
    return rx.hstack(
        rx.text(person.name, weight="medium"),
        rx.text(person.detail, color=rx.color("gray", 10), size="2"),
        *buttons,
        spacing="3",
        align="center",
        wrap="wrap",
    )


def _management() -> rx.Component:
    return rx.cond(
        GroupPageState.can_manage,
        rx.card(
            rx.vstack(
                rx.heading(tr("groups.requests"), as_="h2", size="4"),
                rx.cond(
                    GroupPageState.requests.length() == 0,
                    rx.text(tr("groups.no_requests"), size="2"),
                ),
                rx.foreach(
                    GroupPageState.requests,
                    lambda r: _person_row(
                        r,
                        rx.button(
                            tr("groups.approve"),
                            size="1",
                            on_click=GroupPageState.decide(r.id, True),
                        ),
                        rx.button(
                            tr("groups.decline"),
                            size="1",
                            variant="outline",
                            color_scheme="red",
                            on_click=GroupPageState.decide(r.id, False),
                        ),
                    ),
                ),
                rx.heading(tr("groups.member_list"), as_="h2", size="4"),
                rx.foreach(
                    GroupPageState.members,
                    lambda m: _person_row(
                        m,
                        rx.button(
                            tr("groups.remove"),
                            size="1",
                            variant="ghost",
                            color_scheme="red",
                            on_click=GroupPageState.remove_member(m.id),
                        ),
                    ),
                ),
                spacing="3",
                align="start",
            ),
            width="100%",
            id="group-management",
        ),
    )


def _text_field(label_key: str, name: str, value: rx.Var[str], max_length: int) -> rx.Component:
    return rx.vstack(
        rx.el.label(
            tr(label_key), html_for=f"edit-{name}", style={"fontWeight": 500, "fontSize": "14px"}
        ),
        rx.input(
            id=f"edit-{name}",
            name=name,
            default_value=value,
            key=value,
            max_length=max_length,
            width="100%",
        ),
        spacing="1",
        width="100%",
    )


def _edit_form(group: rx.Var[GroupCardView]) -> rx.Component:
    return rx.cond(
        GroupPageState.can_edit,
        rx.el.details(
            rx.el.summary(tr("groups.edit"), style={"cursor": "pointer", "fontWeight": 500}),
            rx.form(
                rx.vstack(
                    _text_field("admin.group_name", "name", group.name, 120),
                    _text_field("admin.group_name_en", "name_en", group.name_en, 120),
                    _text_field("admin.group_description", "description", group.description, 5000),
                    _text_field(
                        "admin.group_description_en", "description_en", group.description_en, 5000
                    ),
                    native_select(
                        "account.timezone",
                        "timezone",
                        [(tz, tz) for tz in COMMON_TIMEZONES],
                        GroupPageState.timezone,
                        translated=False,
                    ),
                    native_select(
                        "admin.join_policy",
                        "join_policy",
                        JOIN_POLICY_OPTIONS,
                        rx.cond(group.needs_approval, "approval", "open"),
                    ),
                    submit_button("account.save", GroupPageState.busy),
                    rx.cond(
                        GroupPageState.saved,
                        rx.text(tr("account.saved"), color=rx.color("green", 11)),
                    ),
                    spacing="3",
                    padding_top="12px",
                ),
                on_submit=GroupPageState.edit_group,
                id="edit-group-form",
            ),
            width="100%",
        ),
    )


def _group_body(group: rx.Var[GroupCardView]) -> rx.Component:
    return rx.vstack(
        rx.link(tr("groups.back"), href="/groups", size="2"),
        rx.heading(pick(group.name, group.name_en), as_="h1", size="7", id="group-name"),
        rx.text(pick(group.description, group.description_en), color=rx.color("gray", 11)),
        rx.hstack(
            rx.badge(
                tr("groups.members"), ": ", group.member_count, variant="soft", id="member-count"
            ),
            rx.cond(group.needs_approval, rx.badge(tr("groups.approval"), color_scheme="amber")),
            rx.text(tr("groups.organisers"), ": ", GroupPageState.organisers.join("、"), size="2"),
            spacing="3",
            wrap="wrap",
            align="center",
        ),
        form_error(GroupPageState.error_ja, GroupPageState.error_en),
        _membership_actions(),
        _management(),
        _edit_form(group),
        webhooks_section(),
        group_calendar_section(),
        rx.heading(tr("home.title"), as_="h2", size="5"),
        rx.vstack(rx.foreach(GroupPageState.upcoming, event_card), spacing="3", width="100%"),
        embed_snippet_section(),
        spacing="4",
        align="start",
        width="100%",
    )


def group_page() -> rx.Component:
    return layout(
        rx.cond(
            GroupPageState.group,
            _group_body(GroupPageState.group.to(GroupCardView)),
            rx.cond(
                GroupPageState.not_found,
                rx.heading(tr("error.group_not_found"), as_="h1", size="6"),
                rx.text(tr("event.loading")),
            ),
        )
    )
