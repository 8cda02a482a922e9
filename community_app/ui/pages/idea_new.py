"""Posting an idea (/ideas/new): title, description, help wanted, tags, group."""

from __future__ import annotations

import asyncio

import reflex as rx

from community_app.domain.errors import DomainError
from community_app.domain.idea_posting import post_idea
from community_app.ui import idea_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.forms import FormMixin, form_error, text_value
from community_app.ui.components.layout import layout
from community_app.ui.idea_views import idea_href
from community_app.ui.locale import tr
from community_app.ui.policy import Access, handler

ROUTE = "/ideas/new"


class IdeaFormState(FormMixin, rx.State):
    signed_in: bool = False
    groups: list[tuple[str, str]] = []  # (id as text, name) the member may post in
    # What was typed, kept when the server refuses it (nothing is lost).
    values: dict[str, str] = {}

    async def _token(self) -> str:
        return (await self.get_state(AuthState)).session_token

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        self._clear_error()
        signed_in, post, _manage = await asyncio.to_thread(
            idea_actions.my_groups, token=await self._token()
        )
        self.signed_in = signed_in
        self.groups = [(str(g.id), g.name) for g in post]

    @handler(Access.SIGNED_IN)
    async def submit(self, form_data: dict[str, object]):  # type: ignore[no-untyped-def]
        names = ("title", "description", "help_needed", "tags", "group_id")
        self.values = {name: text_value(form_data, name) for name in names}
        group = self.values["group_id"]
        self._clear_error()
        self.busy = True
        try:
            ref = await asyncio.to_thread(
                idea_actions.act,
                await self._token(),
                post_idea,
                title=self.values["title"],
                description=self.values["description"],
                help_needed=self.values["help_needed"],
                tags=self.values["tags"],
                group_id=int(group) if group.isdigit() and len(group) < 10 else (group or None),
            )
        except DomainError as error:
            self._show_error(error)
            return None
        finally:
            self.busy = False
        self.values = {}
        return rx.redirect(idea_href(ref.slug))


def _labelled(key: str, control: rx.Component, name: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(tr(key), html_for=f"idea-{name}", style={"fontWeight": 500}),
        control,
        spacing="1",
        width="100%",
    )


def _text_area(key: str, name: str, max_length: int, rows: str) -> rx.Component:
    return _labelled(
        key,
        rx.text_area(
            id=f"idea-{name}",
            name=name,
            max_length=max_length,
            rows=rows,
            default_value=IdeaFormState.values.get(name, ""),
            width="100%",
        ),
        name,
    )


def _form() -> rx.Component:
    s = IdeaFormState
    return rx.form(
        rx.vstack(
            form_error(s.error_ja, s.error_en),
            _labelled(
                "idea_form.name",
                rx.input(
                    id="idea-title",
                    name="title",
                    max_length=200,
                    required=True,
                    default_value=s.values.get("title", ""),
                    width="100%",
                    size="3",
                ),
                "title",
            ),
            _text_area("idea_form.description", "description", 10_000, "8"),
            _text_area("idea_form.help", "help_needed", 2_000, "3"),
            _labelled(
                "idea_form.tags",
                rx.input(
                    id="idea-tags",
                    name="tags",
                    max_length=400,
                    default_value=s.values.get("tags", ""),
                    width="100%",
                ),
                "tags",
            ),
            _labelled(
                "idea_form.group",
                rx.el.select(
                    rx.el.option(tr("idea_form.site_wide"), value=""),
                    rx.foreach(s.groups, lambda g: rx.el.option(g[1], value=g[0])),
                    id="idea-group_id",
                    name="group_id",
                    style={"padding": "8px", "borderRadius": "6px", "width": "100%"},
                ),
                "group_id",
            ),
            rx.button(
                tr("idea_form.submit"), type="submit", size="3", loading=s.busy, id="submit-idea"
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=s.submit,
        id="idea-form",
    )


def idea_new_page() -> rx.Component:
    return layout(
        rx.vstack(
            rx.link(tr("idea.back"), href="/ideas", size="2"),
            rx.heading(tr("idea_form.title"), as_="h1", size="7"),
            rx.text(tr("idea_form.lead"), color=rx.color("gray", 11)),
            rx.cond(
                AuthState.signed_in,
                _form(),
                rx.callout(
                    rx.link(tr("idea_form.login_first"), href="/login?next=/ideas/new"),
                    icon="log_in",
                ),
            ),
            spacing="4",
            width="100%",
            max_width="720px",
        )
    )
