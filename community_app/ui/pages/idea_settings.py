"""On the idea board, for organisers: their groups' idea rules (support threshold,
whether authors may turn their own ideas into events)."""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from community_app.domain.errors import DomainError
from community_app.domain.idea_posting import update_idea_settings
from community_app.ui import idea_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.forms import FormMixin, form_error, text_value
from community_app.ui.locale import tr
from community_app.ui.policy import Access, handler


@dataclasses.dataclass(frozen=True)
class RulesView:
    id: str
    name: str
    threshold: str
    authors_convert: bool


class IdeaSettingsState(FormMixin, rx.State):
    groups: list[RulesView] = []
    saved: bool = False

    async def _token(self) -> str:
        return (await self.get_state(AuthState)).session_token

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        """Lists nothing for visitors and members: the domain picks the groups."""
        rules = await asyncio.to_thread(idea_actions.idea_rules, token=await self._token())
        self.groups = [
            RulesView(str(r.id), r.name, str(r.threshold), r.authors_convert) for r in rules
        ]

    @handler(Access.ORGANISER)
    async def save(self, form_data: dict[str, object]) -> None:
        group, threshold = text_value(form_data, "group_id"), text_value(form_data, "threshold")
        self._clear_error()
        self.saved = False
        try:
            await asyncio.to_thread(
                idea_actions.act,
                await self._token(),
                update_idea_settings,
                group_id=int(group) if group.isdigit() and len(group) < 11 else group,
                support_threshold=(
                    int(threshold) if threshold.isdigit() and len(threshold) < 6 else threshold
                ),
                authors_convert_ideas=text_value(form_data, "authors_convert") == "on",
            )
        except DomainError as error:
            self._show_error(error)
            return
        self.saved = True
        await self.load()


def _group_rules(rules: rx.Var[RulesView]) -> rx.Component:
    return rx.form(
        rx.el.input(type="hidden", name="group_id", value=rules.id),
        rx.hstack(
            rx.text(rules.name, weight="medium", min_width="160px"),
            rx.el.label(tr("idea.settings_threshold"), html_for="threshold-" + rules.id),
            rx.input(
                name="threshold",
                id="threshold-" + rules.id,
                default_value=rules.threshold,
                type="number",
                min=1,
                max=1000,
                width="80px",
            ),
            rx.el.label(
                rx.el.input(
                    type="checkbox", name="authors_convert", default_checked=rules.authors_convert
                ),
                " ",
                tr("idea.settings_authors"),
            ),
            rx.button(tr("idea.settings_save"), type="submit", size="1", variant="soft"),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        on_submit=IdeaSettingsState.save,
        class_name="idea-rules",
    )


def idea_settings() -> rx.Component:
    s = IdeaSettingsState
    return rx.cond(
        s.groups.length() > 0,
        rx.card(
            rx.vstack(
                rx.heading(tr("idea.settings"), as_="h2", size="4"),
                form_error(s.error_ja, s.error_en),
                rx.cond(s.saved, rx.text(tr("idea.settings_saved"), color=rx.color("green", 11))),
                rx.foreach(s.groups, _group_rules),
                spacing="2",
            ),
            width="100%",
            id="idea-settings",
        ),
    )
