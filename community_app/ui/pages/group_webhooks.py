"""The webhooks section of a group page: organisers add and remove receivers.

The signing secret of a new webhook is shown once, to the organiser who created it, and
forgotten at the next page load. Webhook URLs reach only the group's organisers and
admins (the list is loaded through ``list_webhooks``, which checks the permission), and
only as host and shortened path.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, datetime
from urllib.parse import unquote

import reflex as rx
from reflex.experimental.client_state import ClientStateVar
from sqlmodel import select

from community_app.db import write_session
from community_app.domain import webhooks
from community_app.domain.errors import DomainError, PermissionDenied
from community_app.domain.models import Group
from community_app.domain.webhooks import CreatedWebhook, WebhookView
from community_app.ui import group_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.forms import FormMixin, form_error, native_select
from community_app.ui.locale import tr
from community_app.ui.policy import Access, handler

# Receiver types: (value, message key).
KIND_OPTIONS = [(kind, f"webhooks.kind.{kind}") for kind in ("slack", "discord", "json")]


@dataclasses.dataclass(frozen=True)
class WebhookRowView:
    id: int
    kind: str
    target: str
    active: bool
    last_status: str
    failure_count: int


def _row(view: WebhookView) -> WebhookRowView:
    return WebhookRowView(
        view.webhook_id,
        view.kind.value,
        view.target,
        view.is_active,
        view.last_status,
        view.failure_count,
    )


def _load(*, token: object, slug: str) -> tuple[int, list[WebhookView] | None]:
    """The group's id and, for those who may manage them, its webhooks (else None)."""
    now = datetime.now(UTC)
    with write_session() as session:
        group_id = session.exec(select(Group.id).where(Group.slug == slug)).first()
        if group_id is None:
            return 0, None
        actor = group_actions.actor_for(session, token, now)
        try:
            return group_id, webhooks.list_webhooks(session, actor=actor, group_id=group_id)
        except PermissionDenied:
            return group_id, None


# A new webhook's signing secret, in the page of the organiser who added it only (React
# state pushed by ``add``): never a state var, so no stored page state holds it.
NEW_SECRET = ClientStateVar.create("new_webhook_secret", default="")


class GroupWebhooksState(FormMixin, rx.State):
    can_manage: bool = False
    webhooks: list[WebhookRowView] = []
    _group_id: int = 0

    async def _token(self) -> str:
        return (await self.get_state(AuthState)).session_token

    async def _refresh(self) -> None:
        slug = unquote(self.router.url.path.rstrip("/").rsplit("/", 1)[-1])
        group_id, views = await asyncio.to_thread(_load, token=await self._token(), slug=slug)
        self._group_id, self.can_manage = group_id, views is not None
        self.webhooks = [_row(view) for view in views or []]

    @handler(Access.PUBLIC)
    async def load(self) -> rx.event.EventSpec:
        """On the group page: the list for its organisers, nothing for anyone else."""
        self._clear_error()
        await self._refresh()
        return NEW_SECRET.push("")

    @handler(Access.ORGANISER)
    async def add(self, form_data: dict[str, object]) -> rx.event.EventSpec:
        self._clear_error()
        fields = form_data if isinstance(form_data, dict) else {}
        try:
            created: CreatedWebhook = await asyncio.to_thread(
                group_actions.act_as,
                await self._token(),
                webhooks.add_webhook,
                group_id=self._group_id,
                kind=fields.get("kind"),
                url=fields.get("url"),
            )
        except DomainError as error:
            self._show_error(error)
            return NEW_SECRET.push("")
        await self._refresh()
        return NEW_SECRET.push(created.secret)

    @handler(Access.ORGANISER)
    async def remove(self, webhook_id: int) -> rx.event.EventSpec:
        self._clear_error()
        try:
            await asyncio.to_thread(
                group_actions.act_as,
                await self._token(),
                webhooks.remove_webhook,
                webhook_id=webhook_id,
            )
        except DomainError as error:
            self._show_error(error)
            return NEW_SECRET.push("")
        await self._refresh()
        return NEW_SECRET.push("")


def _webhook_row(row: rx.Var[WebhookRowView]) -> rx.Component:
    return rx.hstack(
        rx.badge(row.kind, variant="soft"),
        rx.code(row.target, class_name="webhook-target"),
        rx.cond(
            row.active,
            rx.badge(tr("webhooks.active"), color_scheme="green"),
            rx.badge(tr("webhooks.inactive"), color_scheme="gray"),
        ),
        rx.text(
            tr("webhooks.last_status"),
            ": ",
            rx.cond(row.last_status != "", row.last_status, tr("webhooks.never_sent")),
            size="2",
        ),
        rx.cond(
            row.failure_count > 0,
            rx.badge(tr("webhooks.failures"), ": ", row.failure_count, color_scheme="red"),
        ),
        rx.button(
            tr("webhooks.remove"),
            size="1",
            variant="ghost",
            color_scheme="red",
            on_click=GroupWebhooksState.remove(row.id),
            class_name="remove-webhook",
        ),
        spacing="3",
        align="center",
        wrap="wrap",
        class_name="webhook-row",
    )


def _secret_once() -> rx.Component:
    return rx.cond(
        NEW_SECRET.value != "",
        rx.callout(
            rx.vstack(
                rx.text(tr("webhooks.added"), weight="medium"),
                rx.text(tr("webhooks.secret_title"), ": "),
                rx.code(NEW_SECRET.value, id="webhook-secret"),
                rx.text(tr("webhooks.secret_once"), size="2"),
                rx.text(tr("webhooks.secret_help"), size="2"),
                spacing="1",
            ),
            icon="key_round",
            color_scheme="amber",
            width="100%",
        ),
    )


def _add_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            native_select("webhooks.kind", "kind", KIND_OPTIONS, "slack"),
            rx.el.label(
                tr("webhooks.url"),
                html_for="webhook-url",
                style={"fontWeight": 500, "fontSize": "14px"},
            ),
            rx.input(
                id="webhook-url",
                name="url",
                type="url",
                max_length=500,
                required=True,
                placeholder="https://hooks.slack.com/services/…",
                width="100%",
            ),
            rx.button(tr("webhooks.add"), type="submit", id="add-webhook"),
            spacing="2",
            width="100%",
        ),
        on_submit=GroupWebhooksState.add,
        reset_on_submit=True,
        id="add-webhook-form",
        width="100%",
    )


def webhooks_section() -> rx.Component:
    """Shown only to those who may manage the group's webhooks."""
    return rx.cond(
        GroupWebhooksState.can_manage,
        rx.card(
            rx.vstack(
                rx.heading(tr("webhooks.title"), as_="h2", size="4"),
                rx.text(tr("webhooks.lead"), size="2", color=rx.color("gray", 11)),
                form_error(GroupWebhooksState.error_ja, GroupWebhooksState.error_en),
                _secret_once(),
                rx.cond(
                    GroupWebhooksState.webhooks.length() == 0,
                    rx.text(tr("webhooks.empty"), size="2"),
                ),
                rx.foreach(GroupWebhooksState.webhooks, _webhook_row),
                _add_form(),
                spacing="3",
                align="start",
                width="100%",
            ),
            width="100%",
            id="group-webhooks",
        ),
    )
