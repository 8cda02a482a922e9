"""The components of the admin mailbox page (its state is in ``mailbox``)."""

from __future__ import annotations

import reflex as rx

from community_app.ui.components.forms import form_error
from community_app.ui.components.layout import layout
from community_app.ui.locale import pick, tr
from community_app.ui.pages.mailbox import SANDBOX, MailboxState, MailRowView, Segment

STATUS_COLOURS = {"sent": "green", "queued": "amber", "failed": "red", "held": "gray"}


def _status_badge(row: rx.Var[MailRowView]) -> rx.Component:
    return rx.badge(
        pick(row.status_ja, row.status_en),
        color_scheme=rx.match(
            row.status, *[(key, colour) for key, colour in STATUS_COLOURS.items()], "gray"
        ),
        class_name="mail-status",
    )


def _mail_row(row: rx.Var[MailRowView]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(pick(row.when_ja, row.when_en), white_space="nowrap"),
        rx.table.cell(row.recipient, class_name="mail-to"),
        rx.table.cell(
            rx.link(
                row.subject,
                href="#",
                on_click=MailboxState.open_mail(row.id).prevent_default,
                class_name="mail-open",
            )
        ),
        rx.table.cell(_status_badge(row)),
        rx.table.cell(row.attempts),
        rx.table.cell(rx.text(row.error, size="1", color=rx.color("red", 11))),
        class_name="mail-row",
    )


def _table() -> rx.Component:
    keys = ("created", "to", "subject", "status", "attempts", "error")
    return rx.table.root(
        rx.table.header(
            rx.table.row(*[rx.table.column_header_cell(tr(f"mail.admin.{key}")) for key in keys])
        ),
        rx.table.body(rx.foreach(MailboxState.rows, _mail_row)),
        width="100%",
        id="mail-list",
    )


def _pager() -> rx.Component:
    return rx.hstack(
        rx.button(
            tr("mail.admin.previous"),
            on_click=MailboxState.previous_page,
            disabled=MailboxState.page <= 1,
            variant="outline",
        ),
        rx.button(
            tr("mail.admin.next"),
            on_click=MailboxState.next_page,
            disabled=~MailboxState.has_next,
            variant="outline",
        ),
        rx.button(
            tr("mail.admin.refresh"),
            on_click=MailboxState.refresh,
            variant="ghost",
            id="mail-refresh",
        ),
        spacing="3",
    )


def _test_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(tr("mail.admin.test_title"), as_="h2", size="4"),
                rx.text(tr("mail.admin.test_lead"), size="2"),
                rx.el.label(tr("mail.admin.test_to"), html_for="mail-test-to"),
                rx.hstack(
                    rx.input(
                        id="mail-test-to", name="to", type="email", required=True, max_length=254
                    ),
                    rx.button(tr("mail.admin.test_send"), type="submit", id="mail-test-send"),
                    spacing="2",
                    wrap="wrap",
                ),
                rx.cond(
                    MailboxState.test_queued,
                    rx.callout(
                        tr("mail.admin.test_queued"),
                        icon="check",
                        color_scheme="green",
                        id="mail-test-queued",
                    ),
                ),
                spacing="2",
            ),
            on_submit=MailboxState.send_test,
            reset_on_submit=True,
        ),
        width="100%",
    )


def _segment(segment: rx.Var[Segment]) -> rx.Component:
    return rx.cond(
        segment.is_link,
        rx.link(segment.text, href=segment.text, is_external=True),
        rx.text.span(segment.text),
    )


def _part(title: rx.Var[str], body: rx.Component) -> rx.Component:
    return rx.vstack(rx.heading(title, as_="h3", size="3"), body, spacing="2", width="100%")


def _detail() -> rx.Component:
    row = MailboxState.open_row
    return rx.vstack(
        rx.button(tr("mail.admin.back"), on_click=MailboxState.close_mail, variant="outline"),
        rx.heading(row.subject, as_="h2", size="5", id="mail-subject"),
        rx.text(tr("mail.admin.to"), ": ", MailboxState.open_to_name, " <", row.recipient, ">"),
        rx.hstack(_status_badge(row), rx.text(pick(row.when_ja, row.when_en)), spacing="2"),
        rx.cond(row.error != "", rx.callout(row.error, icon="triangle_alert", color_scheme="red")),
        _part(
            tr("mail.admin.html_part"),
            rx.el.iframe(
                src_doc=MailboxState.open_html,
                sandbox=SANDBOX,
                title=tr("mail.admin.html_part"),
                id="mail-html",
                style={"width": "100%", "height": "480px", "border": "1px solid #d6d3d1"},
            ),
        ),
        _part(
            tr("mail.admin.text_part"),
            rx.el.pre(
                rx.foreach(MailboxState.open_text, _segment),
                id="mail-text",
                style={"whiteSpace": "pre-wrap", "wordBreak": "break-word", "fontSize": "14px"},
            ),
        ),
        rx.cond(
            MailboxState.open_calendar != "",
            _part(tr("mail.admin.calendar_part"), rx.el.pre(MailboxState.open_calendar)),
        ),
        rx.cond(
            MailboxState.open_unsubscribe != "",
            _part(
                tr("mail.admin.unsubscribe"),
                rx.code(MailboxState.open_unsubscribe, id="mail-unsubscribe"),
            ),
        ),
        spacing="4",
        width="100%",
        id="mail-detail",
    )


def _mailbox() -> rx.Component:
    return rx.vstack(
        rx.heading(tr("mail.admin.title"), as_="h1", size="7"),
        rx.text(tr("mail.admin.lead"), color=rx.color("gray", 11)),
        rx.cond(
            ~MailboxState.sending,
            rx.callout(tr("mail.admin.held_notice"), icon="info", id="mail-held-notice"),
        ),
        form_error(MailboxState.error_ja, MailboxState.error_en),
        rx.cond(
            MailboxState.open_id != 0,
            _detail(),
            rx.vstack(
                _test_form(),
                rx.cond(
                    MailboxState.rows.length() == 0,
                    rx.text(tr("mail.admin.empty"), id="mail-empty"),
                    _table(),
                ),
                _pager(),
                spacing="4",
                width="100%",
            ),
        ),
        spacing="4",
        width="100%",
    )


def mailbox_page() -> rx.Component:
    return layout(
        rx.cond(
            MailboxState.allowed,
            _mailbox(),
            rx.cond(
                MailboxState.loaded,
                rx.callout(
                    tr("mail.admin.admins_only"), icon="lock", color_scheme="gray", id="mail-denied"
                ),
                rx.text(tr("event.loading")),
            ),
        )
    )
