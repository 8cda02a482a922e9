"""Blocking calendar work for the calendar pages, run through ``asyncio.to_thread``.

The actor is always rebuilt from the session token on the server; the domain verbs
check the permissions. Nothing here returns a join URL or a calendar's full URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import select

from community_app.db import read_session, write_session
from community_app.domain import external_calendars, feed_tokens
from community_app.domain.calendar import event_feed_entry
from community_app.domain.calendar_links import EventCalendarLinks, event_links
from community_app.domain.errors import PermissionDenied
from community_app.domain.external_calendars import (
    ExternalCalendarView,
    FetchTarget,
    ImportedEventView,
)
from community_app.domain.feed_tokens import FeedTokenView
from community_app.domain.models import Group
from community_app.settings import get_settings
from community_app.ui.group_actions import actor_for


def event_links_for(slug: str) -> EventCalendarLinks | None:
    """Links for a published event (None for anything else)."""
    with read_session() as session:
        entry = event_feed_entry(session, slug=slug, now=datetime.now(UTC))
    return event_links(entry, site_url=get_settings().site_url) if entry else None


@dataclass(frozen=True)
class GroupCalendarData:
    group_id: int
    group_slug: str
    sources: tuple[ExternalCalendarView, ...]
    events: tuple[ImportedEventView, ...]
    can_manage: bool


def load_group_calendar(*, token: object, slug: str) -> GroupCalendarData | None:
    now = datetime.now(UTC)
    with write_session() as session:
        group = session.exec(select(Group).where(Group.slug == slug)).first()
        if group is None or group.id is None:
            return None
        actor = actor_for(session, token, now)
        try:
            sources = external_calendars.list_external_calendars(
                session, actor=actor, group_id=group.id
            )
            can_manage = True
        except PermissionDenied:
            sources, can_manage = (
                external_calendars.calendar_sources(session, group_id=group.id),
                False,
            )
        events = external_calendars.imported_events(session, group_id=group.id, now=now)
        return GroupCalendarData(group.id, group.slug, tuple(sources), tuple(events), can_manage)


def fetch_target_for(*, token: object, calendar_id: object) -> FetchTarget:
    now = datetime.now(UTC)
    with write_session() as session:  # resolving the login may refresh it
        actor = actor_for(session, token, now)
        return external_calendars.fetch_target(
            session, actor=actor, calendar_id=calendar_id, now=now
        )


def my_feed_token(*, token: object) -> FeedTokenView | None:
    now = datetime.now(UTC)
    with write_session() as session:  # resolving the login may refresh it
        actor = actor_for(session, token, now)
        return feed_tokens.current_feed_token(session, actor=actor)


FETCHING_OFF = "fetching is turned off on this server (FETCH_CALENDARS=false)"


def record_fetching_off(target: FetchTarget) -> None:
    """Called after the permission check of ``fetch_target_for``."""
    with write_session() as session:
        external_calendars.record_fetch_failure(
            session, calendar_id=target.calendar_id, error=FETCHING_OFF, now=datetime.now(UTC)
        )
