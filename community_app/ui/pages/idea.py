"""One idea's page (/ideas/<slug>): support, join, comments, and the organisers' tools.

Handlers that act on an idea or a comment take its id from the form or the argument
(not from a var set by ``load``): the domain checks the permission on that object.
"""

from __future__ import annotations

import asyncio
from urllib.parse import unquote

import reflex as rx
from sqlalchemy.exc import SQLAlchemyError

from community_app.domain import idea_comments, idea_events, idea_posting, ideas
from community_app.domain.errors import DomainError, NotFound
from community_app.ui import idea_actions
from community_app.ui.auth import AuthState
from community_app.ui.components.forms import FormMixin, text_value
from community_app.ui.idea_views import IdeaPageView, idea_href, page_view
from community_app.ui.locale import tr
from community_app.ui.policy import Access, handler
from community_app.ui.proposal_views import event_href

ROUTE = "/ideas/[slug]"
MAX_SLUG = 200


def as_number(text: str) -> int | str:
    """A form's id field: digits become an int, anything else goes to the verb as is
    (which refuses it with a clear message)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 11 else text


class IdeaPageState(FormMixin, rx.State):
    idea: IdeaPageView | None = None
    idea_id: int = 0  # public: the id of a public idea
    not_found: bool = False
    is_author: bool = False
    has_supported: bool = False
    joined_role: str = ""
    can_moderate: bool = False
    can_convert: bool = False
    convert_groups: list[tuple[str, str]] = []  # (id as text, name)
    editing_comment: int = 0  # the comment being edited in this browser
    comment_key: int = 0  # bumped to empty the comment box after sending

    async def _token(self) -> str:
        return (await self.get_state(AuthState)).session_token

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        slug = unquote(self.router.url.path.rstrip("/").rsplit("/", 1)[-1])
        self._clear_error()
        self.not_found, self.editing_comment = False, 0
        try:
            if len(slug) > MAX_SLUG:
                raise NotFound("idea_not_found")
            data = await asyncio.to_thread(
                idea_actions.detail, token=await self._token(), slug=slug
            )
        except (NotFound, SQLAlchemyError):
            self.idea, self.not_found = None, True
            return
        self.idea, self.idea_id = page_view(data), data.card.id
        self.is_author, self.has_supported = data.is_author, data.has_supported
        self.joined_role = data.joined_role
        self.can_moderate, self.can_convert = data.can_moderate, data.can_convert
        self.convert_groups = [(str(gid), name) for gid, name in data.convert_groups]

    async def _act(self, verb, **arguments) -> bool:  # type: ignore[no-untyped-def]
        """One domain verb for this browser's member, then the page again."""
        self._clear_error()
        try:
            await asyncio.to_thread(idea_actions.act, await self._token(), verb, **arguments)
        except DomainError as error:
            self._show_error(error)
            return False
        await self.load()
        return True

    @handler(Access.SIGNED_IN)
    async def support(self, idea_id: int) -> None:
        await self._act(idea_posting.support_idea, idea_id=idea_id)

    @handler(Access.SIGNED_IN)
    async def withdraw(self, idea_id: int) -> None:
        await self._act(idea_posting.withdraw_support, idea_id=idea_id)

    @handler(Access.SIGNED_IN)
    async def join(self, form_data: dict[str, object]) -> None:
        preset = text_value(form_data, "role")
        role = text_value(form_data, "own_role") if preset == "other" else preset
        idea_id = as_number(text_value(form_data, "idea_id"))
        await self._act(idea_posting.join_idea, idea_id=idea_id, role=role)

    @handler(Access.SIGNED_IN)
    async def leave(self, idea_id: int) -> None:
        await self._act(idea_posting.leave_idea, idea_id=idea_id)

    @handler(Access.SIGNED_IN)
    async def comment(self, form_data: dict[str, object]) -> None:
        idea_id = as_number(text_value(form_data, "idea_id"))
        body = text_value(form_data, "body")
        if await self._act(idea_comments.add_comment, idea_id=idea_id, body=body):
            self.comment_key += 1

    @handler(Access.PUBLIC)
    def start_edit(self, comment_id: int) -> None:
        """Only this browser's view: which comment shows an edit box."""
        self.editing_comment = comment_id if type(comment_id) is int else 0

    @handler(Access.SIGNED_IN)
    async def save_comment(self, form_data: dict[str, object]) -> None:
        comment_id = as_number(text_value(form_data, "comment_id"))
        body = text_value(form_data, "body")
        await self._act(idea_comments.edit_comment, comment_id=comment_id, body=body)

    @handler(Access.SIGNED_IN)
    async def delete_comment(self, comment_id: int) -> None:
        await self._act(idea_comments.delete_comment, comment_id=comment_id)

    @handler(Access.ORGANISER)
    async def hide_comment(self, comment_id: int) -> None:
        await self._act(idea_comments.hide_comment, comment_id=comment_id, reason="")

    @handler(Access.ORGANISER)
    async def archive(self, form_data: dict[str, object]) -> None:
        idea_id = as_number(text_value(form_data, "idea_id"))
        reason = text_value(form_data, "reason")
        await self._act(ideas.archive_idea, idea_id=idea_id, reason=reason)

    @handler(Access.ORGANISER)
    async def reopen(self, form_data: dict[str, object]) -> None:
        idea_id = as_number(text_value(form_data, "idea_id"))
        reason = text_value(form_data, "reason")
        await self._act(ideas.reopen_idea, idea_id=idea_id, reason=reason)

    @handler(Access.ORGANISER)
    async def convert(self, form_data: dict[str, object]) -> rx.event.EventSpec | None:
        """Make a pre-filled event draft and open its edit page."""
        idea_id = as_number(text_value(form_data, "idea_id"))
        group = text_value(form_data, "group_id")
        self._clear_error()
        try:
            ref = await asyncio.to_thread(
                idea_actions.act,
                await self._token(),
                idea_events.turn_idea_into_event,
                idea_id=idea_id,
                group_id=as_number(group) if group else None,
            )
        except DomainError as error:
            self._show_error(error)
            return None
        return rx.redirect(event_href(ref.slug) + "/edit")


class IdeaLinkState(rx.State):
    """On an event page: the idea the event grew out of, if the viewer may see it."""

    href: str = ""
    title: str = ""

    @handler(Access.PUBLIC)
    async def load(self) -> None:
        slug = unquote(self.router.url.path.rstrip("/").rsplit("/", 1)[-1])
        self.href = self.title = ""
        if not slug or len(slug) > MAX_SLUG:
            return
        token = (await self.get_state(AuthState)).session_token
        try:
            link = await asyncio.to_thread(idea_actions.idea_link, token=token, event_slug=slug)
        except (DomainError, SQLAlchemyError):
            return
        if link is not None:
            self.href, self.title = idea_href(link[0]), link[1]


def idea_link() -> rx.Component:
    """One line for the event page: 'This event grew out of the idea …'."""
    return rx.cond(
        IdeaLinkState.href != "",
        rx.link(
            tr("idea.from_idea").to(str).replace("{title}", IdeaLinkState.title),
            href=IdeaLinkState.href,
            id="event-idea-link",
            size="2",
        ),
    )
