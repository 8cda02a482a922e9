"""The pieces of an idea's page: header, people, actions, comments, organiser tools."""

from __future__ import annotations

import reflex as rx

from community_app.ui.auth import AuthState
from community_app.ui.components.forms import form_error
from community_app.ui.components.layout import layout
from community_app.ui.components.markdown import safe_markdown
from community_app.ui.idea_views import CommentLine, EventLink, IdeaPageView, JoinerView
from community_app.ui.locale import pick, tr
from community_app.ui.pages.idea import IdeaPageState
from community_app.ui.pages.ideas import status_badge, support_label

S = IdeaPageState
ROLE_CHOICES = ("speaker", "venue", "helper")


def _hidden_id() -> rx.Component:
    return rx.el.input(type="hidden", name="idea_id", value=S.idea_id.to_string())


def _header(idea: rx.Var[IdeaPageView]) -> rx.Component:
    card = idea.card
    return rx.vstack(
        rx.link(tr("idea.back"), href="/ideas", size="2"),
        rx.hstack(
            status_badge(card),
            rx.foreach(card.tags, lambda t: rx.badge("#", t)),
            spacing="2",
            wrap="wrap",
        ),
        rx.heading(card.title, as_="h1", size="7", id="idea-title"),
        rx.text(
            tr("ideas.by"),
            ": ",
            card.author_name,
            " · ",
            pick(card.posted_ja, card.posted_en),
            " · ",
            rx.cond(card.group_name != "", card.group_name, tr("ideas.site_wide")),
            size="2",
            color=rx.color("gray", 10),
        ),
        rx.cond(
            idea.status_reason != "",
            rx.callout(
                rx.text(tr("idea.status_reason"), " ", idea.status_reason),
                icon="info",
                id="idea-status-reason",
            ),
        ),
        rx.box(safe_markdown(idea.description), width="100%", id="idea-description"),
        rx.cond(
            card.help_needed != "",
            rx.callout(rx.text(tr("ideas.help_needed"), ": ", card.help_needed), icon="hand"),
        ),
        spacing="3",
        align="start",
        width="100%",
    )


def _support_box(idea: rx.Var[IdeaPageView]) -> rx.Component:
    card = idea.card
    button = rx.cond(
        S.has_supported,
        rx.button(
            tr("idea.withdraw"),
            on_click=S.withdraw(S.idea_id),
            variant="outline",
            id="withdraw-support",
        ),
        rx.button(tr("idea.support"), on_click=S.support(S.idea_id), id="support-idea"),
    )
    return rx.card(
        rx.vstack(
            rx.text(
                tr("ideas.supports"),
                " ",
                rx.el.span(card.support_count, id="support-count"),
                " / ",
                tr("ideas.goal"),
                " ",
                card.threshold,
                weight="bold",
            ),
            rx.progress(value=card.progress, max=100, width="100%", aria_label=support_label(card)),
            rx.cond(
                AuthState.signed_in,
                rx.cond(
                    S.is_author,
                    rx.text(tr("idea.own_idea_note"), size="2", id="own-idea-note"),
                    button,
                ),
                rx.link(tr("idea.login_to_support"), href="/login"),
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
    )


def _join_form() -> rx.Component:
    options = [rx.el.option(tr(f"idea.role.{r}"), value=r) for r in ROLE_CHOICES]
    return rx.form(
        rx.hstack(
            _hidden_id(),
            rx.el.label(tr("idea.join_role"), html_for="join-role"),
            rx.el.select(
                *options,
                rx.el.option(tr("idea.join_own_role"), value="other"),
                id="join-role",
                name="role",
                style={"padding": "6px"},
            ),
            rx.input(
                name="own_role",
                id="join-own-role",
                max_length=120,
                width="180px",
                aria_label=tr("idea.join_own_role"),
                placeholder=tr("idea.join_own_role"),
            ),
            rx.button(tr("idea.join"), type="submit", variant="soft", id="join-idea"),
            spacing="2",
            align="center",
            wrap="wrap",
        ),
        on_submit=S.join,
    )


def _people(idea: rx.Var[IdeaPageView]) -> rx.Component:
    return rx.grid(
        rx.vstack(
            rx.heading(tr("idea.supporters"), as_="h2", size="4"),
            rx.cond(
                idea.supporters.length() > 0,
                rx.hstack(
                    rx.foreach(idea.supporters, lambda n: rx.badge(n, variant="soft")),
                    wrap="wrap",
                    id="supporters",
                ),
                rx.text(tr("idea.nobody_yet"), color=rx.color("gray", 10)),
            ),
            align="start",
        ),
        rx.vstack(
            rx.heading(tr("idea.joiners"), as_="h2", size="4"),
            rx.cond(
                idea.joiners.length() > 0,
                rx.vstack(rx.foreach(idea.joiners, _joiner), id="joiners"),
                rx.text(tr("idea.nobody_yet"), color=rx.color("gray", 10)),
            ),
            rx.cond(
                AuthState.signed_in,
                rx.cond(
                    S.joined_role != "",
                    rx.hstack(
                        rx.text(tr("idea.joined_as"), ": ", S.joined_role, size="2"),
                        rx.button(
                            tr("idea.leave"), on_click=S.leave(S.idea_id), variant="ghost", size="1"
                        ),
                    ),
                    _join_form(),
                ),
            ),
            align="start",
        ),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="4",
        width="100%",
    )


def _joiner(joiner: rx.Var[JoinerView]) -> rx.Component:
    return rx.text(joiner.name, " — ", pick(joiner.role_ja, joiner.role_en), size="2")


def _comment(comment: rx.Var[CommentLine]) -> rx.Component:
    editing = S.editing_comment == comment.id
    edit_form = rx.form(
        rx.el.input(type="hidden", name="comment_id", value=comment.id.to_string()),
        rx.text_area(name="body", default_value=comment.body, max_length=4000, width="100%"),
        rx.button(tr("idea.comment_save"), type="submit", size="1"),
        on_submit=S.save_comment,
    )
    own_tools = rx.hstack(
        rx.button(
            tr("idea.comment_edit"), on_click=S.start_edit(comment.id), size="1", variant="ghost"
        ),
        rx.button(
            tr("idea.comment_delete"),
            on_click=S.delete_comment(comment.id),
            size="1",
            variant="ghost",
            color_scheme="red",
        ),
    )
    return rx.box(
        rx.text(
            comment.author_name,
            " · ",
            pick(comment.when_ja, comment.when_en),
            rx.cond(comment.edited, tr("idea.comment_edited"), ""),
            size="1",
            color=rx.color("gray", 10),
        ),
        rx.cond(editing, edit_form, safe_markdown(comment.body)),
        rx.hstack(
            rx.cond(comment.is_mine, own_tools),
            rx.cond(
                S.can_moderate,
                rx.button(
                    tr("idea.comment_hide"),
                    on_click=S.hide_comment(comment.id),
                    size="1",
                    variant="ghost",
                    color_scheme="gray",
                    class_name="hide-comment",
                ),
            ),
        ),
        class_name="idea-comment",
        padding_y="8px",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        width="100%",
    )


def _comments(idea: rx.Var[IdeaPageView]) -> rx.Component:
    form = rx.form(
        _hidden_id(),
        rx.text_area(
            name="body",
            id="comment-body",
            max_length=4000,
            width="100%",
            placeholder=tr("idea.comment_placeholder"),
            key=S.comment_key.to_string(),
        ),
        rx.button(tr("idea.comment_send"), type="submit", id="send-comment"),
        on_submit=S.comment,
    )
    return rx.vstack(
        rx.heading(tr("idea.comments"), as_="h2", size="4"),
        rx.cond(
            idea.comments.length() > 0,
            rx.vstack(rx.foreach(idea.comments, _comment), width="100%", spacing="0"),
            rx.text(tr("idea.no_comments"), color=rx.color("gray", 10)),
        ),
        rx.cond(AuthState.signed_in, form),
        spacing="3",
        width="100%",
    )


def _event_link(event: rx.Var[EventLink]) -> rx.Component:
    return rx.hstack(
        rx.link(event.title, href=event.href, class_name="idea-event-link"),
        rx.text(pick(event.when_ja, event.when_en), size="2"),
        rx.badge(pick(event.status_ja, event.status_en), variant="soft"),
        spacing="2",
        wrap="wrap",
    )


def _events(idea: rx.Var[IdeaPageView]) -> rx.Component:
    return rx.vstack(
        rx.heading(tr("idea.events"), as_="h2", size="4"),
        rx.cond(
            idea.events.length() > 0,
            rx.vstack(rx.foreach(idea.events, _event_link), id="idea-events"),
            rx.text(tr("idea.no_events"), color=rx.color("gray", 10)),
        ),
        spacing="2",
        width="100%",
    )


def _organiser_tools(idea: rx.Var[IdeaPageView]) -> rx.Component:
    convert = rx.form(
        _hidden_id(),
        rx.text(tr("idea.convert_hint"), size="2"),
        rx.el.label(tr("idea.convert_group"), html_for="convert-group"),
        rx.el.select(
            rx.foreach(S.convert_groups, lambda g: rx.el.option(g[1], value=g[0])),
            id="convert-group",
            name="group_id",
            style={"padding": "6px"},
        ),
        rx.button(tr("idea.convert"), type="submit", id="convert-idea"),
        on_submit=S.convert,
    )
    archived = idea.card.status == "archived"
    moderate = rx.cond(
        archived,
        _reason_form(S.reopen, "idea.reopen", "reopen-idea"),
        _reason_form(S.archive, "idea.archive", "archive-idea"),
    )
    return rx.card(
        rx.vstack(
            rx.heading(tr("idea.manage"), as_="h2", size="4"),
            rx.cond(S.can_convert, convert),
            rx.cond(S.can_moderate, moderate),
            spacing="3",
        ),
        width="100%",
        id="idea-tools",
    )


def _reason_form(on_submit: rx.EventHandler, label: str, button_id: str) -> rx.Component:
    return rx.form(
        _hidden_id(),
        rx.el.label(tr("idea.reason"), html_for=f"{button_id}-reason"),
        rx.input(name="reason", id=f"{button_id}-reason", max_length=2000),
        rx.button(tr(label), type="submit", variant="soft", id=button_id),
        on_submit=on_submit,
    )


def _idea_body(idea: rx.Var[IdeaPageView]) -> rx.Component:
    return rx.vstack(
        _header(idea),
        form_error(S.error_ja, S.error_en),
        _support_box(idea),
        rx.cond(S.can_convert | S.can_moderate, _organiser_tools(idea)),
        _events(idea),
        _people(idea),
        _comments(idea),
        spacing="5",
        align="start",
        width="100%",
    )


def idea_page() -> rx.Component:
    return layout(
        rx.cond(
            S.idea,
            _idea_body(S.idea.to(IdeaPageView)),
            rx.cond(
                S.not_found,
                rx.vstack(
                    rx.heading(tr("idea.not_found"), as_="h1", size="6"),
                    rx.link(tr("idea.back"), href="/ideas"),
                ),
                rx.text(tr("event.loading")),
            ),
        )
    )
