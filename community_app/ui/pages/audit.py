"""The audit log for site admins: newest first, filtered by action and actor, in pages."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from community_app.domain.audit import AuditRow
from community_app.domain.errors import DomainError, PermissionDenied
from community_app.i18n import format_datetime
from community_app.ui import inbox_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.forms import FormMixin, form_error, text_value
from community_app.ui.components.layout import layout
from community_app.ui.locale import pick, tr
from community_app.ui.policy import Access, handler

ROUTE = "/admin/audit"


@dataclasses.dataclass(frozen=True)
class AuditRowView:
    id: int
    when_ja: str
    when_en: str
    actor_name: str
    action: str
    target: str
    detail: str


def _row(row: AuditRow, timezone: str) -> AuditRowView:
    target = f"{row.target_type} #{row.target_id}" if row.target_id is not None else row.target_type
    return AuditRowView(
        id=row.id,
        when_ja=format_datetime(row.at, timezone, "ja"),
        when_en=format_datetime(row.at, timezone, "en"),
        actor_name=row.actor_name,
        action=row.action,
        target=target,
        detail=row.detail,
    )


class AuditState(FormMixin, rx.State):
    """Read-only: every handler only reads the log, and the domain lets only admins."""

    allowed: bool = False
    loaded: bool = False
    rows: list[AuditRowView] = []
    actions: list[str] = []
    action: str = ""
    actor_name: str = ""
    page: int = 1
    page_count: int = 1
    total: int = 0

    async def _query(self) -> None:
        self._clear_error()
        token = (await self.get_state(AuthState)).session_token
        try:
            data = await asyncio.to_thread(
                inbox_actions.audit_log,
                token=token,
                action=self.action,
                actor_name=self.actor_name,
                page=self.page,
            )
        except PermissionDenied:
            self.allowed, self.rows, self.actions, self.total = False, [], [], 0
            return
        except DomainError as error:  # a bad filter: keep what was typed, say why
            self._show_error(error)
            return
        finally:
            self.loaded = True
        result = data.page
        self.allowed = True
        self.rows = [_row(row, data.timezone) for row in result.rows]
        self.actions = list(result.actions)
        self.page, self.page_count, self.total = result.page, result.page_count, result.total

    @handler(Access.ADMIN)
    async def load(self) -> None:
        self.action, self.actor_name, self.page = "", "", 1
        await self._query()

    @handler(Access.ADMIN)
    async def apply_filters(self, form_data: dict[str, object]) -> None:
        self.action = text_value(form_data, "action")
        self.actor_name = text_value(form_data, "actor_name")
        self.page = 1
        await self._query()

    @handler(Access.ADMIN)
    async def clear_filters(self) -> None:
        await self.load()

    @handler(Access.ADMIN)
    async def next_page(self) -> None:
        self.page = min(self.page + 1, self.page_count)
        await self._query()

    @handler(Access.ADMIN)
    async def previous_page(self) -> None:
        self.page = max(self.page - 1, 1)
        await self._query()


def _filters() -> rx.Component:
    label_style = {"fontWeight": 500, "fontSize": "14px"}
    return rx.form(
        rx.hstack(
            rx.vstack(
                rx.el.label(tr("audit.action"), html_for="audit-action", style=label_style),
                rx.el.select(
                    rx.el.option(tr("audit.all_actions"), value=""),
                    rx.foreach(AuditState.actions, lambda a: rx.el.option(a, value=a)),
                    id="audit-action",
                    name="action",
                    default_value=AuditState.action,
                    key=AuditState.action,
                    style={"padding": "8px", "borderRadius": "6px"},
                ),
                spacing="1",
            ),
            rx.vstack(
                rx.el.label(tr("audit.actor"), html_for="audit-actor", style=label_style),
                rx.input(
                    id="audit-actor",
                    name="actor_name",
                    default_value=AuditState.actor_name,
                    key=AuditState.actor_name,
                    placeholder=tr("audit.actor_hint"),
                    max_length=80,
                ),
                spacing="1",
            ),
            rx.button(tr("audit.filter"), type="submit", id="audit-filter"),
            rx.button(
                tr("audit.clear"), type="button", variant="ghost", on_click=AuditState.clear_filters
            ),
            spacing="3",
            align="end",
            wrap="wrap",
        ),
        on_submit=AuditState.apply_filters,
        id="audit-filters",
    )


def _audit_row(row: rx.Var[AuditRowView]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(pick(row.when_ja, row.when_en), white_space="nowrap"),
        rx.table.cell(row.actor_name),
        rx.table.cell(rx.code(row.action)),
        rx.table.cell(row.target),
        rx.table.cell(row.detail),
        class_name="audit-row",
    )


def _table() -> rx.Component:
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                *[
                    rx.table.column_header_cell(tr(f"audit.{key}"))
                    for key in ("time", "actor", "action", "target", "detail")
                ]
            )
        ),
        rx.table.body(rx.foreach(AuditState.rows, _audit_row)),
        width="100%",
        id="audit-log",
    )


def _pager() -> rx.Component:
    position = (
        tr("audit.page_of")
        .to(str)
        .replace("{page}", AuditState.page.to_string())
        .replace("{count}", AuditState.page_count.to_string())
        .replace("{total}", AuditState.total.to_string())
    )
    return rx.hstack(
        rx.button(
            tr("audit.previous"),
            on_click=AuditState.previous_page,
            disabled=AuditState.page <= 1,
            variant="outline",
            id="audit-previous",
        ),
        rx.text(position, size="2", id="audit-position"),
        rx.button(
            tr("audit.next"),
            on_click=AuditState.next_page,
            disabled=AuditState.page >= AuditState.page_count,
            variant="outline",
            id="audit-next",
        ),
        spacing="3",
        align="center",
    )


def _log() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("audit.title"), as_="h1", size="7"),
        rx.text(tr("audit.lead"), color=rx.color("gray", 11)),
        form_error(AuditState.error_ja, AuditState.error_en),
        _filters(),
        rx.cond(
            AuditState.rows.length() == 0,
            rx.text(tr("audit.empty"), id="audit-empty"),
            _table(),
        ),
        _pager(),
        spacing="4",
        width="100%",
    )


def audit_page() -> rx.Component:
    return layout(
        rx.cond(
            AuditState.allowed,
            _log(),
            rx.cond(
                AuditState.loaded,
                rx.callout(
                    tr("audit.admins_only"), icon="lock", color_scheme="gray", id="audit-denied"
                ),
                rx.text(tr("event.loading")),
            ),
        )
    )
