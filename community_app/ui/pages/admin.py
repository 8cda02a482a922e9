"""Site administration: create groups, appoint organisers, disable accounts."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from community_app.domain.errors import DomainError
from community_app.ui import admin_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.forms import (
    COMMON_TIMEZONES,
    JOIN_POLICY_OPTIONS,
    FormMixin,
    field,
    form_card,
    form_error,
    native_select,
    submit_button,
    text_value,
)
from community_app.ui.components.layout import layout
from community_app.ui.locale import tr
from community_app.ui.policy import Access, handler

GROUP_FIELDS = (
    "name",
    "name_en",
    "slug",
    "description",
    "description_en",
    "timezone",
    "join_policy",
)


@dataclasses.dataclass(frozen=True)
class OrganiserView:
    group_id: int
    member_id: int
    name: str


@dataclasses.dataclass(frozen=True)
class GroupRowView:
    group_id: int
    slug: str
    name: str
    organisers: list[OrganiserView]


@dataclasses.dataclass(frozen=True)
class MemberRowView:
    member_id: int
    label: str
    email: str
    is_admin: bool
    is_disabled: bool


def as_int(value: object) -> object:
    """Digits from a form become an int; anything else goes on to the verb, which refuses it."""
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 12 else value


class AdminState(FormMixin, rx.State):
    allowed: bool = False
    groups: list[GroupRowView] = []
    members: list[MemberRowView] = []
    notice_key: str = ""

    async def _token(self) -> str:
        return (await self.get_state(AuthState)).session_token

    @handler(Access.ADMIN)
    async def load(self) -> None:
        try:
            data = await asyncio.to_thread(admin_actions.load, token=await self._token())
        except DomainError:
            self.allowed, self.groups, self.members = False, [], []
            return
        self.allowed = True
        self.groups = [
            GroupRowView(
                g.group_id,
                g.slug,
                g.name,
                [OrganiserView(g.group_id, mid, name) for mid, name in g.organisers],
            )
            for g in data.groups
        ]
        self.members = [
            MemberRowView(
                m.member_id,
                f"{m.display_name} (#{m.member_id})",
                m.email,
                m.is_admin,
                m.is_disabled,
            )
            for m in data.members
        ]

    async def _run(self, action, notice_key: str, **kwargs) -> None:  # type: ignore[no-untyped-def]
        self._clear_error()
        self.notice_key = ""
        try:
            await asyncio.to_thread(action, token=await self._token(), **kwargs)
        except DomainError as error:
            self._show_error(error)
            return
        self.notice_key = notice_key
        await self.load()

    @handler(Access.ADMIN)
    async def create_group(self, form_data: dict[str, object]) -> None:
        fields = {name: text_value(form_data, name) for name in GROUP_FIELDS}
        await self._run(admin_actions.create_group, "admin.group_created", fields=fields)

    @handler(Access.ADMIN)
    async def appoint(self, form_data: dict[str, object]) -> None:
        await self._run(
            admin_actions.appoint,
            "admin.appointed",
            group_id=as_int(text_value(form_data, "group_id")),
            member_id=as_int(text_value(form_data, "member_id")),
        )

    @handler(Access.ADMIN)
    async def demote(self, group_id: int, member_id: int) -> None:
        await self._run(
            admin_actions.demote, "admin.demoted", group_id=group_id, member_id=member_id
        )

    @handler(Access.ADMIN)
    async def set_disabled(self, member_id: int, disabled: bool) -> None:
        await self._run(
            admin_actions.set_disabled, "admin.saved", member_id=member_id, disabled=disabled
        )


def _create_group_form() -> rx.Component:
    return form_card(
        "admin.create_group",
        rx.form(
            rx.vstack(
                field("admin.group_name", "name", max_length=120),
                field("admin.group_name_en", "name_en", max_length=120, required=False),
                field("admin.group_slug", "slug", max_length=120, required=False),
                rx.text(tr("admin.group_slug_hint"), size="1", color=rx.color("gray", 10)),
                field("admin.group_description", "description", max_length=5000, required=False),
                field(
                    "admin.group_description_en", "description_en", max_length=5000, required=False
                ),
                native_select(
                    "account.timezone",
                    "timezone",
                    [(tz, tz) for tz in COMMON_TIMEZONES],
                    "Asia/Tokyo",
                    translated=False,
                ),
                native_select(
                    "admin.join_policy",
                    "join_policy",
                    JOIN_POLICY_OPTIONS,
                    "open",
                ),
                submit_button("admin.create", AdminState.busy),
                spacing="3",
            ),
            on_submit=AdminState.create_group,
            reset_on_submit=True,
            id="create-group-form",
        ),
    )


def _select_from(name: str, label_key: str, items: rx.Var, value_of, label_of) -> rx.Component:  # type: ignore[no-untyped-def]
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=name, style={"fontWeight": 500, "fontSize": "14px"}),
        rx.el.select(
            rx.foreach(items, lambda item: rx.el.option(label_of(item), value=value_of(item))),
            id=name,
            name=name,
            style={"padding": "8px", "borderRadius": "6px", "width": "100%"},
        ),
        spacing="1",
        width="100%",
    )


def _appoint_form() -> rx.Component:
    return form_card(
        "admin.appoint_title",
        rx.form(
            rx.vstack(
                _select_from(
                    "group_id",
                    "admin.group",
                    AdminState.groups,
                    lambda g: g.group_id,
                    lambda g: g.name,
                ),
                _select_from(
                    "member_id",
                    "admin.member",
                    AdminState.members,
                    lambda m: m.member_id,
                    lambda m: m.label,
                ),
                submit_button("admin.appoint", AdminState.busy),
                spacing="3",
            ),
            on_submit=AdminState.appoint,
            id="appoint-form",
        ),
    )


def _organiser_badge(organiser: rx.Var[OrganiserView]) -> rx.Component:
    return rx.hstack(
        rx.text(organiser.name, size="2"),
        rx.button(
            tr("admin.demote"),
            size="1",
            variant="ghost",
            color_scheme="red",
            on_click=AdminState.demote(organiser.group_id, organiser.member_id),
        ),
        spacing="1",
        align="center",
    )


def _groups_table() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("admin.groups"), as_="h2", size="5"),
        rx.foreach(
            AdminState.groups,
            lambda g: rx.card(
                rx.vstack(
                    rx.link(g.name, href="/groups/" + g.slug, weight="medium"),
                    rx.hstack(rx.foreach(g.organisers, _organiser_badge), wrap="wrap", spacing="3"),
                    spacing="1",
                ),
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _member_row(member: rx.Var[MemberRowView]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(member.label),
        rx.table.cell(member.email),
        rx.table.cell(rx.cond(member.is_admin, rx.badge(tr("admin.badge")), "")),
        rx.table.cell(
            rx.cond(
                member.is_disabled,
                rx.button(
                    tr("admin.enable"),
                    size="1",
                    variant="soft",
                    on_click=AdminState.set_disabled(member.member_id, False),
                ),
                rx.button(
                    tr("admin.disable"),
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=AdminState.set_disabled(member.member_id, True),
                ),
            )
        ),
    )


def _members_table() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("admin.members"), as_="h2", size="5"),
        rx.table.root(
            rx.table.body(rx.foreach(AdminState.members, _member_row)),
            width="100%",
            id="admin-members",
        ),
        spacing="2",
        width="100%",
    )


def _notice() -> rx.Component:
    return rx.cond(
        AdminState.notice_key != "",
        rx.callout(
            rx.match(
                AdminState.notice_key,
                ("admin.group_created", tr("admin.group_created")),
                ("admin.appointed", tr("admin.appointed")),
                ("admin.demoted", tr("admin.demoted")),
                tr("admin.saved"),
            ),
            icon="check",
            color_scheme="green",
            class_name="admin-notice",
        ),
    )


def admin_page() -> rx.Component:
    return layout(
        rx.cond(
            AdminState.allowed,
            rx.vstack(
                rx.heading(tr("admin.title"), as_="h1", size="7"),
                rx.hstack(
                    rx.link(tr("admin.audit_link"), href="/admin/audit", id="audit-link"),
                    rx.link(tr("mail.admin.link"), href="/admin/mail", id="mailbox-link"),
                    spacing="4",
                ),
                form_error(AdminState.error_ja, AdminState.error_en),
                _notice(),
                rx.grid(
                    _create_group_form(),
                    _appoint_form(),
                    columns=rx.breakpoints(initial="1", md="2"),
                    spacing="4",
                    width="100%",
                ),
                _groups_table(),
                _members_table(),
                spacing="5",
                width="100%",
            ),
            rx.callout(tr("error.permission_denied"), icon="lock", color_scheme="gray"),
        )
    )
