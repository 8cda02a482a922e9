"""Form pieces: labelled fields and the error message of the last submission."""

from __future__ import annotations

from typing import Any, ClassVar

import reflex as rx

from community_app.domain.errors import DomainError
from community_app.i18n import translate
from community_app.ui.locale import pick, tr


class FormMixin(rx.State, mixin=True):
    """Each form state gets its own error message, in both languages.

    A form that names the field behind an error code (``_error_fields``) shows the message
    next to that field, marks it invalid and moves the focus there (``_focus_error``).
    """

    error_ja: str = ""
    error_en: str = ""
    error_field: str = ""  # the field the message belongs to, "" for the whole form
    busy: bool = False
    _error_fields: ClassVar[dict[str, str]] = {}

    def _show_error(self, error: DomainError) -> None:
        self.error_field = self._error_fields.get(error.code, "")
        key = f"error.{error.code}"
        self.error_ja = (
            translate(key, "ja")
            if translate(key, "ja") != key
            else translate("error.unknown", "ja")
        )
        self.error_en = (
            translate(key, "en")
            if translate(key, "en") != key
            else translate("error.unknown", "en")
        )

    def _clear_error(self) -> None:
        self.error_ja = self.error_en = self.error_field = ""

    def _focus_error(self, prefix: str = "") -> rx.event.EventSpec | None:
        """Move the keyboard focus (and the view) to the field in error, if there is one."""
        if not self.error_field:
            return None
        return rx.call_script(f"document.getElementById('{prefix}{self.error_field}')?.focus()")


def field_error(state: Any, name: str, element_id: str) -> rx.Component:
    """The last error under the field ``name`` when it is about that field (announced)."""
    return rx.cond(
        state.error_field == name,
        rx.text(
            pick(state.error_ja, state.error_en),
            id=f"{element_id}-error",
            role="alert",
            color=rx.color("red", 11),
            size="2",
            class_name="field-error",
        ),
    )


def invalid_props(state: Any, name: str, element_id: str) -> dict[str, Any]:
    """ARIA for a control: invalid and described by its message while it is in error."""
    in_error = state.error_field == name
    return {
        "aria_invalid": rx.cond(in_error, "true", "false"),
        "aria_describedby": rx.cond(in_error, f"{element_id}-error", ""),
    }


def text_value(form_data: object, name: str) -> str:
    """A submitted field as text; anything that is not a string counts as empty."""
    if not isinstance(form_data, dict):
        return ""
    value = form_data.get(name, "")
    return value if isinstance(value, str) else ""


def form_error(
    error_ja: rx.Var[str], error_en: rx.Var[str], error_field: rx.Var[str] | str = ""
) -> rx.Component:
    """The error of the whole form (when it is not shown next to one field)."""
    return rx.cond(
        (error_ja != "") & (error_field == ""),
        rx.callout(
            pick(error_ja, error_en),
            icon="triangle_alert",
            color_scheme="red",
            role="alert",
            class_name="form-error",
        ),
    )


def field(
    label_key: str,
    name: str,
    *,
    type_: str = "text",
    autocomplete: str = "",
    max_length: int = 200,
    required: bool = True,
    default_value: rx.Var[str] | str = "",
    state: Any = None,
) -> rx.Component:
    """A labelled input; given its form's ``state``, it shows that form's errors about it."""
    in_error = invalid_props(state, name, name) if state is not None else {}
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=name, style={"fontWeight": 500, "fontSize": "14px"}),
        rx.input(
            id=name,
            name=name,
            type=type_,
            auto_complete=autocomplete,
            max_length=max_length,
            required=required,
            default_value=default_value,
            size="3",
            width="100%",
            **in_error,
        ),
        field_error(state, name, name) if state is not None else rx.fragment(),
        spacing="1",
        width="100%",
    )


def submit_button(label_key: str, busy: rx.Var[bool]) -> rx.Component:
    return rx.button(tr(label_key), type="submit", size="3", loading=busy, width="100%")


def form_card(title_key: str, *children: rx.Component) -> rx.Component:
    return rx.card(
        rx.vstack(rx.heading(tr(title_key), as_="h1", size="6"), *children, spacing="4"),
        max_width="440px",
        width="100%",
        margin_x="auto",
    )


COMMON_TIMEZONES = [
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Shanghai",
    "Asia/Singapore",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "UTC",
]


# How people join a group: (value, message key).
JOIN_POLICY_OPTIONS = [("open", "join_policy.open"), ("approval", "join_policy.approval")]


def native_select(
    label_key: str,
    name: str,
    options: list[tuple[str, str]],
    value: rx.Var[str] | str,
    *,
    translated: bool = True,
) -> rx.Component:
    """A native select: keyboard and screen-reader friendly, submitted with the form.

    ``options`` are ``(value, message key)`` pairs; with ``translated=False`` the second
    item is shown as it is (time zone names).
    """
    return rx.vstack(
        rx.el.label(tr(label_key), html_for=name, style={"fontWeight": 500, "fontSize": "14px"}),
        rx.el.select(
            *[
                rx.el.option(tr(label) if translated else label, value=option)
                for option, label in options
            ],
            id=name,
            name=name,
            default_value=value,
            key=value,
            style={"padding": "8px", "borderRadius": "6px", "width": "100%"},
        ),
        spacing="1",
        width="100%",
    )
