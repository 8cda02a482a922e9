"""Proposing a new event (/propose) and editing one (/events/<slug>/edit): one form.

Inputs are uncontrolled: what the member typed stays in the browser when the server
refuses it, so a refused save loses nothing.
"""

from __future__ import annotations

import asyncio
import dataclasses

import reflex as rx

from community_app.domain.errors import DomainError, NotFound, PermissionDenied
from community_app.domain.event_fields import MAX_DESCRIPTION
from community_app.domain.review import EditableEvent
from community_app.i18n import translate
from community_app.ui import event_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.forms import (
    COMMON_TIMEZONES,
    FormMixin,
    field_error,
    form_error,
    invalid_props,
    native_select,
    text_value,
)
from community_app.ui.components.layout import layout
from community_app.ui.locale import tr
from community_app.ui.pages.event import slug_from_path
from community_app.ui.policy import Access, handler
from community_app.ui.proposal_views import event_href

NEW_ROUTE = "/propose"
EDIT_ROUTE = "/events/[slug]/edit"
FIELDS = (
    "title", "summary", "description", "kind", "format", "timezone", "start_date",
    "start_time", "end_date", "end_time", "venue_name", "venue_address", "online_platform",
    "join_url", "join_url_reveal_minutes", "tags", "hosts", "agenda", "tiers",
)  # fmt: skip
NEW_EVENT = {name: "" for name in FIELDS} | {
    "kind": "study_session",
    "format": "online",
    "timezone": "Asia/Tokyo",
    "start_time": "19:00",
    "end_time": "21:00",
    "tiers": translate("form.default_tier", "ja"),
}
# (value, message key) pairs for the native selects.
KIND_OPTIONS = [(kind, f"kind.{kind}") for kind in
                ("gathering", "study_session", "workshop", "online_exchange", "other")]  # fmt: skip
SCOPE_OPTIONS = [("this", "scope.this"), ("following", "scope.following")]
FORMAT_OPTIONS = [(name, f"format.{name}") for name in ("online", "in_person", "hybrid")]


@dataclasses.dataclass(frozen=True)
class GroupOption:
    value: str
    name: str


def _as_id(text: str) -> object:
    """A form's id text as an int for the domain to check; anything else stays as is."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 11 else text


# The text field each refusal is about (its message is shown there); the others (the
# selects, which only a tampered form gets wrong) are shown above the buttons.
EVENT_ERROR_FIELDS = {
    "invalid_title": "title",
    "invalid_summary": "summary",
    "invalid_event_description": "description",
    "invalid_event_description_too_long": "description",
    "invalid_start": "start_date",
    "starts_in_past": "start_date",
    "nonexistent_local_time": "start_time",
    "invalid_end": "end_time",
    "ends_before_start": "end_time",
    "event_too_long": "end_date",
    "invalid_venue": "venue_name",
    "venue_required": "venue_name",
    "invalid_venue_address": "venue_address",
    "invalid_online_platform": "online_platform",
    "invalid_join_url": "join_url",
    "invalid_reveal_minutes": "join_url_reveal_minutes",
    "invalid_tags": "tags",
    "too_many_tags": "tags",
    "invalid_hosts": "hosts",
    "invalid_host_role": "hosts",
    "invalid_agenda": "agenda",
    "invalid_tiers": "tiers",
    "invalid_tier_option": "tiers",
    "invalid_tier_window": "tiers",
    "invalid_capacity": "tiers",
    "duplicate_tier": "tiers",
    "tier_has_rsvps": "tiers",
    "capacity_below_going": "tiers",
    "lottery_already_drawn": "tiers",
}


class EventFormState(FormMixin, rx.State):
    _error_fields = EVENT_ERROR_FIELDS
    is_new: bool = True
    ready: bool = False
    refused: bool = False
    groups: list[GroupOption] = []
    values: dict[str, str] = NEW_EVENT
    slug: str = ""
    group_name: str = ""
    can_submit: bool = True
    can_publish: bool = False
    in_series: bool = False
    intent: str = "draft"
    _event_id: int = 0

    async def _token(self) -> str:
        return (await self.get_state(AuthState)).session_token

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        """A blank form (in the member's groups), or the event's values for its editors."""
        self._clear_error()
        self.ready, self.refused, self.intent = False, False, "draft"
        path = self.router.url.path
        self.is_new = not path.rstrip("/").endswith("/edit")
        token = await self._token()
        if self.is_new:
            choices = await asyncio.to_thread(event_actions.proposing_groups, token=token)
            self.groups = [GroupOption(str(c.group_id), c.name) for c in choices]
            self.values, self.can_submit, self.in_series = dict(NEW_EVENT), True, False
            self.can_publish = any(c.can_publish for c in choices)
            self.ready = True
            return
        try:
            editable: EditableEvent = await asyncio.to_thread(
                event_actions.load_form, token=token, slug=slug_from_path(path, suffix="/edit")
            )
        except (NotFound, PermissionDenied):
            self.refused = True
            return
        self._event_id, self.slug, self.group_name = (
            editable.event_id,
            editable.slug,
            editable.group_name,
        )
        self.values = dict(editable.values)
        self.in_series = editable.series_id is not None
        moves = {move.value for move in editable.moves}
        self.can_submit, self.can_publish = "submitted" in moves, "approved" in moves
        self.ready = True

    @handler(Access.PUBLIC)
    def set_intent(self, intent: str) -> None:
        """Which button was pressed; only this browser's view (``save`` checks it)."""
        self.intent = intent if intent in event_actions.INTENTS else "draft"

    @handler(Access.SIGNED_IN)
    async def save(self, form_data: dict[str, object]):  # type: ignore[no-untyped-def]
        self._clear_error()
        self.busy = True
        yield
        form = {name: text_value(form_data, name) for name in FIELDS}
        try:
            slug = await asyncio.to_thread(
                event_actions.save_event,
                token=await self._token(),
                event_id=None if self.is_new else self._event_id,
                group_id=_as_id(text_value(form_data, "group_id")),
                form=form,
                intent=self.intent,
                scope=text_value(form_data, "scope") or "this",
            )
        except DomainError as error:
            self._show_error(error)
            self.busy = False
            yield self._focus_error("event-")
            return
        self.busy = False
        yield rx.redirect(event_href(slug))


def _label(key: str, html_for: str) -> rx.Component:
    return rx.el.label(tr(key), html_for=html_for, style={"fontWeight": 500, "fontSize": "14px"})


def _input(
    key: str, name: str, *, type_: str = "text", max_length: int = 200, required: bool = False
) -> rx.Component:
    value = EventFormState.values[name]
    return rx.vstack(
        _label(key, f"event-{name}"),
        rx.input(
            id=f"event-{name}",
            name=name,
            type=type_,
            default_value=value,
            key=value,
            max_length=max_length,
            required=required,
            width="100%",
            **invalid_props(EventFormState, name, f"event-{name}"),
        ),
        field_error(EventFormState, name, f"event-{name}"),
        spacing="1",
        width="100%",
    )


def _area(
    key: str, name: str, *, rows: str = "4", hint: str = "", max_length: int = 5000
) -> rx.Component:
    value = EventFormState.values[name]
    return rx.vstack(
        _label(key, f"event-{name}"),
        rx.text_area(
            id=f"event-{name}",
            name=name,
            default_value=value,
            key=value,
            rows=rows,
            max_length=max_length,
            width="100%",
            **invalid_props(EventFormState, name, f"event-{name}"),
        ),
        field_error(EventFormState, name, f"event-{name}"),
        rx.cond(
            hint != "", rx.text(tr(hint) if hint else "", size="1", color=rx.color("gray", 10))
        ),
        spacing="1",
        width="100%",
    )


def _fieldset(legend_key: str, *children: rx.Component) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(tr(legend_key), style={"fontWeight": 700, "padding": "0 6px"}),
        rx.vstack(*children, spacing="3", width="100%"),
        style={
            "border": f"1px solid {rx.color('gray', 5)}",
            "borderRadius": "8px",
            "padding": "12px",
        },
        width="100%",
    )


def _group_select() -> rx.Component:
    return rx.vstack(
        _label("form.group", "event-group"),
        rx.el.select(
            rx.foreach(EventFormState.groups, lambda g: rx.el.option(g.name, value=g.value)),
            id="event-group",
            name="group_id",
            style={"padding": "8px", "borderRadius": "6px", "width": "100%"},
        ),
        spacing="1",
        width="100%",
    )


def _when() -> rx.Component:
    return _fieldset(
        "form.when",
        rx.grid(
            _input("form.start_date", "start_date", type_="date", required=True),
            _input("form.start_time", "start_time", type_="time", required=True),
            _input("form.end_date", "end_date", type_="date"),
            _input("form.end_time", "end_time", type_="time", required=True),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        native_select(
            "form.timezone",
            "timezone",
            [(tz, tz) for tz in COMMON_TIMEZONES],
            EventFormState.values["timezone"],
            translated=False,
        ),
    )


def _buttons() -> rx.Component:
    def button(key: str, intent: str, variant: str, identifier: str) -> rx.Component:
        return rx.button(
            tr(key),
            type="submit",
            variant=variant,
            size="3",  # type: ignore[arg-type]
            on_click=EventFormState.set_intent(intent),
            loading=EventFormState.busy,
            id=identifier,
        )

    return rx.hstack(
        rx.cond(
            EventFormState.is_new,
            button("form.save_draft", "draft", "outline", "save-draft"),
            button("form.save", "draft", "outline", "save-draft"),
        ),
        rx.cond(
            EventFormState.can_submit, button("form.submit", "submit", "solid", "submit-proposal")
        ),
        rx.cond(
            EventFormState.can_publish, button("form.publish", "publish", "soft", "publish-now")
        ),
        spacing="3",
        wrap="wrap",
    )


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.cond(
                EventFormState.is_new,
                _group_select(),
                rx.text(EventFormState.group_name, weight="medium"),
            ),
            _fieldset(
                "form.details",
                _input("form.title", "title", required=True),
                _input("form.summary", "summary", max_length=500),
                rx.grid(
                    native_select("form.kind", "kind", KIND_OPTIONS, EventFormState.values["kind"]),
                    native_select(
                        "form.format", "format", FORMAT_OPTIONS, EventFormState.values["format"]
                    ),
                    columns=rx.breakpoints(initial="1", sm="2"),
                    spacing="3",
                    width="100%",
                ),
                _area("form.description", "description", rows="8", max_length=MAX_DESCRIPTION),
                _input("form.tags", "tags"),
            ),
            _when(),
            _fieldset(
                "form.where",
                _input("form.venue_name", "venue_name"),
                _input("form.venue_address", "venue_address", max_length=300),
                _input("form.online_platform", "online_platform", max_length=80),
                _input("form.join_url", "join_url", type_="url", max_length=500),
                _input("form.join_url_reveal_minutes", "join_url_reveal_minutes", type_="number"),
            ),
            _fieldset(
                "form.people",
                _area("form.hosts", "hosts", rows="3", hint="form.hosts_hint"),
                _area("form.agenda", "agenda", rows="4"),
                _area("form.tiers", "tiers", rows="3", hint="form.tiers_hint"),
            ),
            rx.cond(
                EventFormState.in_series,
                native_select("series.scope", "scope", SCOPE_OPTIONS, "this"),
            ),
            form_error(
                EventFormState.error_ja, EventFormState.error_en, EventFormState.error_field
            ),
            rx.text(tr("form.preview_hint"), size="2", color=rx.color("gray", 10)),
            _buttons(),
            spacing="4",
            width="100%",
        ),
        on_submit=EventFormState.save,
        id="event-form",
        width="100%",
    )


def _blank_state() -> rx.Component:
    return rx.cond(
        AuthState.signed_in,
        rx.callout.root(
            rx.callout.text(tr("form.no_group")),
            rx.link(tr("form.find_group"), href="/groups"),
            id="no-group",
        ),
        rx.callout.root(
            rx.callout.text(tr("form.login_first")),
            rx.link(tr("auth.login"), href="/login?next=/propose"),
            id="login-first",
        ),
    )


def event_form_page() -> rx.Component:
    return layout(
        rx.vstack(
            rx.heading(
                rx.cond(EventFormState.is_new, tr("form.new_title"), tr("form.edit_title")),
                as_="h1",
                size="7",
            ),
            rx.cond(
                EventFormState.is_new, rx.text(tr("form.new_lead"), color=rx.color("gray", 11))
            ),
            rx.cond(
                EventFormState.refused,
                rx.callout(
                    tr("form.not_allowed"),
                    icon="triangle_alert",
                    color_scheme="red",
                    id="edit-refused",
                ),
                rx.cond(
                    EventFormState.ready,
                    rx.cond(
                        EventFormState.is_new & (EventFormState.groups.length() == 0),
                        _blank_state(),
                        _form(),
                    ),
                    rx.text(tr("event.loading")),
                ),
            ),
            spacing="4",
            width="100%",
            max_width="760px",
        )
    )
