"""No N+1 queries: every list read model behind a page (and the feeds) runs the same
number of SQL statements for 1 item as for 50.

Each case builds ``n`` items in its own committed transaction, then reads them in a fresh
session while a ``before_cursor_execute`` listener counts what reaches the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from community_app.domain import (
    attendees,
    audit,
    groups,
    idea_board,
    memberships,
    notifications,
    participation,
    review,
)
from community_app.domain.calendar import FeedFilter, public_feed_entries
from community_app.domain.enums import (
    EventStatus,
    GroupRole,
    HostRole,
    IdeaStatus,
    IdeaSupportKind,
    MembershipStatus,
    NotificationKind,
    RecapLinkKind,
    RsvpStatus,
)
from community_app.domain.event_search import EventFilters, search_events
from community_app.domain.events import get_public_event, list_upcoming_events
from community_app.domain.models import (
    AgendaItem,
    AuditLogEntry,
    Event,
    EventHost,
    EventTag,
    IdeaSupport,
    IdeaTag,
    Member,
    Membership,
    Notification,
    ProjectIdea,
    RecapLink,
    Rsvp,
)
from community_app.domain.permissions import Actor
from tests.factories import START, make_event, make_group, make_member, make_tier

pytestmark = pytest.mark.integration
BEFORE = START - timedelta(days=1)  # the factories' events have not started yet
SIZES = (1, 50)


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    """Every statement sent through ``engine`` while the block runs."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


@dataclass
class World:
    """What a case built: the ids its read needs."""

    engine: Engine
    ids: dict[str, Any]


Build = Callable[[Session, int], dict[str, Any]]
Read = Callable[[Session, dict[str, Any]], Any]


def _published_event(session: Session, group_id: int, number: int, **extra: Any) -> Event:
    """A published event with two tags and a tier holding one going member."""
    starts = START + timedelta(hours=number)
    made = make_event(
        session, group_id=group_id, starts_at=starts, ends_at=starts + timedelta(hours=2), **extra
    )
    session.add(EventTag(event_id=made.id, tag=f"tag{number % 3}"))
    session.add(EventTag(event_id=made.id, tag="地域"))
    tier = make_tier(session, event_id=made.id, capacity=10)
    member = make_member(session)
    session.add(
        Rsvp(event_id=made.id, tier_id=tier.id, member_id=member.id, status=RsvpStatus.GOING)
    )
    session.flush()
    return made


# --- the cases: (build n items, read them) --------------------------------------------


def build_events(session: Session, n: int) -> dict[str, Any]:
    """n published events, each in its own group."""
    for number in range(n):
        _published_event(session, make_group(session).id, number)
    return {}


def build_group_page(session: Session, n: int) -> dict[str, Any]:
    """One group with n events, n organisers and n members asking to join."""
    group = make_group(session)
    viewer = make_member(session)
    session.add(Membership(group_id=group.id, member_id=viewer.id, role=GroupRole.ORGANISER))
    for number in range(n):
        _published_event(session, group.id, number)
        organiser, asking = make_member(session), make_member(session)
        session.add(Membership(group_id=group.id, member_id=organiser.id, role=GroupRole.ORGANISER))
        session.add(
            Membership(group_id=group.id, member_id=asking.id, status=MembershipStatus.PENDING)
        )
    session.flush()
    return {
        "slug": group.slug,
        "group_id": group.id,
        "actor": Actor(
            member_id=viewer.id,
            organiser_of=frozenset({group.id}),
            member_of=frozenset({group.id}),
        ),
    }


def build_ideas(session: Session, n: int) -> dict[str, Any]:
    """n ideas still gathering people, each in its own group, with tags, supports,
    joins and an event made from it."""
    for number in range(n):
        group, author, fan = make_group(session), make_member(session), make_member(session)
        idea = ProjectIdea(
            slug=f"idea-{group.id}",
            title=f"やってみたい {number}",
            group_id=group.id,
            author_id=author.id,
            status=(IdeaStatus.OPEN, IdeaStatus.GATHERING, IdeaStatus.READY)[number % 3],
            help_needed="会場探し",
            created_at=BEFORE - timedelta(days=1, minutes=number),
            updated_at=BEFORE - timedelta(days=1, minutes=number),
        )
        session.add(idea)
        session.flush()
        session.add(IdeaTag(idea_id=idea.id, tag="python"))
        session.add(IdeaTag(idea_id=idea.id, tag="地域"))
        for kind in IdeaSupportKind:
            session.add(
                IdeaSupport(idea_id=idea.id, member_id=fan.id, kind=kind, created_at=BEFORE)
            )
        make_event(
            session,
            group_id=group.id,
            idea_id=idea.id,
            starts_at=BEFORE - timedelta(days=3),
            ends_at=BEFORE - timedelta(days=3) + timedelta(hours=2),
        )
    session.flush()
    return {}


def build_proposals(session: Session, n: int) -> dict[str, Any]:
    """n submitted proposals by one member in one group, each with a history line."""
    group, proposer, organiser = make_group(session), make_member(session), make_member(session)
    for number in range(n):
        make_event(
            session,
            group_id=group.id,
            proposer_id=proposer.id,
            status=EventStatus.SUBMITTED,
            published_at=None,
            starts_at=START + timedelta(hours=number),
            ends_at=START + timedelta(hours=number + 2),
        )
    return {
        "reviewer": Actor(
            member_id=organiser.id,
            organiser_of=frozenset({group.id}),
            member_of=frozenset({group.id}),
        ),
        "proposer": Actor(member_id=proposer.id, member_of=frozenset({group.id})),
    }


def build_notifications(session: Session, n: int) -> dict[str, Any]:
    """n notifications for one member, each about its own public event and idea."""
    member = make_member(session)
    for number in range(n):
        made = make_event(session)
        idea = ProjectIdea(slug=f"notice-idea-{made.id}", title="案", author_id=member.id)
        session.add(idea)
        session.flush()
        for kind in (NotificationKind.EVENT_CHANGED, NotificationKind.PROPOSAL_DECIDED):
            session.add(
                Notification(
                    member_id=member.id,
                    kind=kind,
                    event_id=made.id,
                    idea_id=idea.id,
                    message=f"お知らせ {number}",
                    created_at=BEFORE + timedelta(minutes=number),
                )
            )
    session.flush()
    return {"actor": Actor(member_id=member.id)}


def build_audit_log(session: Session, n: int) -> dict[str, Any]:
    """n entries, each by its own actor."""
    admin = make_member(session, is_admin=True)
    for number in range(n):
        actor = make_member(session)
        session.add(
            AuditLogEntry(
                actor_id=actor.id,
                action=f"action.{number % 4}",
                target_type="event",
                target_id=number,
                at=BEFORE + timedelta(minutes=number),
            )
        )
    session.flush()
    return {"actor": Actor(member_id=admin.id, is_admin=True)}


def build_attendees(session: Session, n: int) -> dict[str, Any]:
    """One event with n tiers; each tier holds one going and one waitlisted member."""
    group, organiser = make_group(session), make_member(session)
    made = make_event(session, group_id=group.id)
    for number in range(n):
        tier = make_tier(session, event_id=made.id, name=f"枠{number}", capacity=1)
        for status in (RsvpStatus.GOING, RsvpStatus.WAITLISTED):
            member = make_member(session)
            session.add(
                Rsvp(
                    event_id=made.id,
                    tier_id=tier.id,
                    member_id=member.id,
                    status=status,
                    queued_at=BEFORE + timedelta(minutes=number),
                )
            )
    session.flush()
    return {
        "event_id": made.id,
        "actor": Actor(
            member_id=organiser.id,
            organiser_of=frozenset({group.id}),
            member_of=frozenset({group.id}),
        ),
    }


def build_attendees_of_one_tier(session: Session, n: int) -> dict[str, Any]:
    """One event with one tier of capacity 1: one going, n waiting."""
    world = build_attendees(session, 1)
    tier_id = session.exec(select(Rsvp.tier_id).where(Rsvp.event_id == world["event_id"])).first()
    for number in range(n - 1):
        member = make_member(session)
        session.add(
            Rsvp(
                event_id=world["event_id"],
                tier_id=tier_id,
                member_id=member.id,
                status=RsvpStatus.WAITLISTED,
                queued_at=BEFORE + timedelta(hours=1, minutes=number),
            )
        )
    session.flush()
    return world


def build_event_page(session: Session, n: int) -> dict[str, Any]:
    """One event with n tiers (each with RSVPs), n hosts, n agenda items and n recap
    links; the viewer is waitlisted in the last tier."""
    group, organiser = make_group(session), make_member(session)
    made = make_event(
        session,
        group_id=group.id,
        starts_at=BEFORE - timedelta(days=2),
        ends_at=BEFORE - timedelta(days=2) + timedelta(hours=2),
        recap_summary="ありがとうございました",
        recap_posted_at=BEFORE,
    )
    session.add(EventTag(event_id=made.id, tag="地域"))
    viewer = make_member(session)
    for number in range(n):
        tier = make_tier(session, event_id=made.id, name=f"枠{number}", capacity=1, position=number)
        going = make_member(session)
        session.add(
            Rsvp(event_id=made.id, tier_id=tier.id, member_id=going.id, status=RsvpStatus.GOING)
        )
        session.add(EventHost(event_id=made.id, name=f"登壇者{number}", role=HostRole.SPEAKER))
        session.add(AgendaItem(event_id=made.id, title=f"話題{number}", position=number))
        session.add(
            RecapLink(
                event_id=made.id,
                kind=RecapLinkKind.MATERIAL,
                url=f"https://example.org/{number}",
                position=number,
            )
        )
    session.flush()
    session.add(
        Rsvp(event_id=made.id, tier_id=tier.id, member_id=viewer.id, status=RsvpStatus.WAITLISTED)
    )
    session.flush()
    return {
        "slug": made.slug,
        "event_id": made.id,
        "viewer": Actor(member_id=viewer.id, member_of=frozenset({group.id})),
        "organiser": Actor(
            member_id=organiser.id,
            organiser_of=frozenset({group.id}),
            member_of=frozenset({group.id}),
        ),
    }


def _panel(session: Session, world: dict[str, Any]) -> Any:
    made = session.get(Event, world["event_id"])
    assert made is not None
    return participation.rsvp_panel(session, actor=world["viewer"], event=made, now=BEFORE)


CASES: dict[str, tuple[Build, Read, Callable[[Any], int]]] = {
    "home: upcoming events": (
        build_events,
        lambda s, w: list_upcoming_events(s, now=BEFORE, limit=100),
        len,
    ),
    "/events: search": (
        build_events,
        lambda s, w: search_events(s, now=BEFORE, filters=EventFilters(), page_size=100),
        lambda page: len(page.cards),
    ),
    "/events: search by tag": (
        build_events,
        lambda s, w: search_events(s, now=BEFORE, filters=EventFilters(tag="地域"), page_size=100),
        lambda page: len(page.cards),
    ),
    "/groups: the list": (
        build_events,
        lambda s, w: groups.list_groups(s, now=BEFORE),
        len,
    ),
    "/groups/<slug>: events and organisers": (
        build_group_page,
        lambda s, w: groups.get_group_page(s, slug=w["slug"], actor=w["actor"], now=BEFORE),
        lambda page: len(page.organisers) - 1,  # n + the viewer (events: at most 30)
    ),
    "/groups/<slug>: members and join requests": (
        build_group_page,
        lambda s, w: (
            memberships.list_members(s, actor=w["actor"], group_id=w["group_id"]),
            memberships.list_join_requests(s, actor=w["actor"], group_id=w["group_id"]),
        ),
        lambda lists: len(lists[1]),  # members: n + the viewer
    ),
    "/ideas: the board": (
        build_ideas,
        lambda s, w: idea_board.list_ideas(s, now=BEFORE, page_size=100),
        lambda page: len(page.cards),
    ),
    "home: trending ideas": (
        build_ideas,
        lambda s, w: idea_board.list_trending_ideas(s, now=BEFORE, limit=100),
        len,
    ),
    "/review: the queue": (
        build_proposals,
        lambda s, w: review.list_review_queue(s, actor=w["reviewer"]),
        len,
    ),
    "/proposals: my proposals": (
        build_proposals,
        lambda s, w: review.list_my_proposals(s, actor=w["proposer"]),
        len,
    ),
    "/notifications: the inbox": (
        build_notifications,
        lambda s, w: notifications.list_notifications(s, actor=w["actor"], limit=100),
        lambda views: len(views) // 2,  # two notices per event
    ),
    "/admin/audit: the log": (
        build_audit_log,
        lambda s, w: audit.list_audit_log(s, actor=w["actor"], page_size=100),
        lambda page: len(page.rows),
    ),
    "attendees: many tiers": (
        build_attendees,
        lambda s, w: attendees.list_attendees(
            s, actor=w["actor"], event_id=w["event_id"], now=BEFORE
        ),
        lambda listing: len(listing.tiers),
    ),
    "attendees: one long waitlist": (
        build_attendees_of_one_tier,
        lambda s, w: attendees.list_attendees(
            s, actor=w["actor"], event_id=w["event_id"], now=BEFORE
        ),
        lambda listing: len(listing.tiers[0].rows) - 1,
    ),
    "event page: public detail": (
        build_event_page,
        lambda s, w: get_public_event(s, slug=w["slug"]),
        lambda detail: len(detail.tiers),
    ),
    "event page: as an organiser": (
        build_event_page,
        lambda s, w: review.get_event_for_viewer(
            s, actor=w["organiser"], slug=w["slug"], now=BEFORE
        ),
        lambda viewed: len(viewed.detail.hosts),
    ),
    "event page: RSVP panel": (build_event_page, _panel, lambda panel: len(panel.tiers)),
    "feed: public events": (
        build_events,
        lambda s, w: public_feed_entries(s, now=BEFORE, where=FeedFilter()),
        len,
    ),
}


def statements_for(engine: Engine, case: str, n: int) -> tuple[int, list[str]]:
    """Build ``n`` items for ``case`` in a fresh world, read them, and return how many
    items the read model holds and the statements the read sent."""
    build, read, size = CASES[case]
    with engine.begin() as connection:  # each size in a clean database
        for table in reversed(Member.metadata.sorted_tables):
            connection.execute(table.delete())
    with Session(engine, expire_on_commit=False) as session:
        world = build(session, n)
        session.commit()
    with Session(engine) as session, counted(engine) as statements:
        result = read(session, world)
    return size(result), statements


@pytest.mark.parametrize("case", list(CASES))
def test_a_list_reads_as_many_statements_for_50_items_as_for_1(engine: Engine, case: str) -> None:
    counts = {}
    for n in SIZES:
        items, statements = statements_for(engine, case, n)
        assert items == n, f"{case}: the read model holds {items} items, not {n}"
        counts[n] = statements
    one, fifty = counts[1], counts[50]
    assert len(one) == len(fifty), "\n".join(
        [f"{case}: {len(one)} statements for 1 item, {len(fifty)} for 50:", *fifty]
    )


def test_the_count_sees_a_query_per_item(engine: Engine) -> None:
    # Negative control: a reader that fetches each event's tags on its own is caught.
    def one_by_one(session: Session, _world: dict[str, Any]) -> list[object]:
        cards = list_upcoming_events(session, now=BEFORE, limit=100)
        for card in cards:
            search_events(session, now=BEFORE, filters=EventFilters(text=card.title))
        return cards

    CASES["negative control"] = (build_events, one_by_one, len)
    try:
        _, one = statements_for(engine, "negative control", 1)
        _, fifty = statements_for(engine, "negative control", 50)
    finally:
        del CASES["negative control"]
    assert len(fifty) > len(one)
