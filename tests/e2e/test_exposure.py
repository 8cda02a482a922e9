"""Nothing secret reaches a browser, whoever is using it (DESIGN §4).

A visitor, a signed-in member and an organiser each hydrate every route of the running
app, unpublished event slugs included. Everything the server sends them (websocket
frames, HTTP bodies) is captured and searched for the secrets in the database:
e-mails, password hashes, login and feed tokens, join URLs, unpublished events, webhook
secrets, and the webhook URLs of groups the browsing organiser does not organise.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser
from reflex.testing import AppHarnessProd
from sqlmodel import col, select

from community_app.db import read_session, write_session
from community_app.domain.enums import EventStatus, MembershipStatus, WebhookKind
from community_app.domain.events import new_event_uid
from community_app.domain.models import (
    AuthSession,
    Event,
    FeedToken,
    Group,
    Member,
    ProjectIdea,
    Webhook,
)
from community_app.domain.sessions import hash_token, start_session
from tests.e2e.support import (
    Account,
    Capture,
    add_membership,
    add_rsvp,
    create_account,
    found,
    group_id,
    log_in,
    new_page,
    rsvp_event,
)

pytestmark = pytest.mark.e2e

ORGANISED_GROUP = "kiryu-after-school"
OTHER_GROUP = "hikaridai-otagaisama"
OTHER_MEMBER_EMAIL = "sakura.yamamoto@tsudoi.example"
COOKIE = "tsudoi_session"
NOT_PUBLIC = [status for status in EventStatus if status not in EventStatus.public()]


@dataclass(frozen=True)
class Planted:
    """Secrets only the database knows, added for this module."""

    other_member_token: str
    feed_token: str
    applicant_name: str
    submitted_title: str
    own_attendee_name: str  # going to an event of the organised group
    other_attendee_name: str  # going to an event of the other group only


def _plant_attendee(group_slug: str, name: str) -> None:
    """A member going to a fresh event of the group, whose check-in code is planted
    long enough that no other text can contain it by chance."""
    event = rsvp_event(group_slug)
    add_rsvp(event, create_account(name).member_id)
    with write_session() as session:
        row = session.get(Event, event.event_id)
        assert row is not None
        row.checkin_code = secrets.token_hex(8).upper()
        session.add(row)


@pytest.fixture(scope="module")
def planted(app: AppHarnessProd) -> Planted:
    now = datetime.now(UTC)
    feed_token = secrets.token_urlsafe(32)
    titles = {}
    with write_session() as session:
        other = session.exec(select(Member).where(Member.email == OTHER_MEMBER_EMAIL)).one()
        assert other.id is not None
        other_token = start_session(session, member_id=other.id, now=now)
        session.add(FeedToken(member_id=other.id, token_hash=hash_token(feed_token)))
        for status in NOT_PUBLIC:  # one event in every unpublished status, with a join URL
            titles[status] = f"まだ秘密の企画 {status.value} {secrets.token_hex(4)}"
            session.add(
                Event(
                    uid=new_event_uid(),
                    slug=f"非公開-{status.value}-{secrets.token_hex(4)}",
                    title=titles[status],
                    group_id=group_id(ORGANISED_GROUP, session=session),
                    status=status,
                    starts_at=now + timedelta(days=20),
                    ends_at=now + timedelta(days=20, hours=2),
                    join_url=f"https://meet.example.com/secret-{secrets.token_hex(8)}",
                )
            )
        for slug in (ORGANISED_GROUP, OTHER_GROUP):  # a webhook in each, with its secret
            session.add(
                Webhook(
                    group_id=group_id(slug, session=session),
                    kind=WebhookKind.SLACK,
                    url=f"https://hooks.example.org/services/{secrets.token_hex(12)}",
                    signing_secret=secrets.token_urlsafe(32),
                )
            )
    applicant = create_account("申請中 一郎")
    add_membership(ORGANISED_GROUP, applicant.member_id, MembershipStatus.PENDING)
    own_attendee, other_attendee = (
        f"参加者 {secrets.token_hex(4)}",
        f"よその {secrets.token_hex(4)}",
    )
    _plant_attendee(ORGANISED_GROUP, own_attendee)
    _plant_attendee(OTHER_GROUP, other_attendee)
    return Planted(
        other_token,
        feed_token,
        applicant.display_name,
        titles[EventStatus.SUBMITTED],
        own_attendee,
        other_attendee,
    )


def _is_public(event: Event) -> bool:
    return event.status in EventStatus.public() and event.published_at is not None


def static_routes() -> list[str]:
    """Every page the app registers without a parameter, so a new page is covered too."""
    from community_app.community_app import app

    pages = app._unevaluated_pages  # the routes as registered by add_page
    return ["/" if route == "index" else f"/{route}" for route in pages if "[" not in route]


def routes() -> list[str]:
    """Every page of the app, the unpublished events' pages typed in directly, and every
    event's edit form."""
    with read_session() as session:
        events = session.exec(select(Event).order_by(col(Event.id))).all()
        group_slugs = session.exec(select(Group.slug).order_by(col(Group.id))).all()
    return [
        *static_routes(),
        *(f"/events/{event.slug}" for event in events if _is_public(event)),
        *(f"/groups/{slug}" for slug in group_slugs),
        *(f"/events/{event.slug}" for event in events if not _is_public(event)),
        *(f"/events/{event.slug}/edit" for event in events),
        *(f"/events/{event.slug}/attendees" for event in events),
        *(f"/events/{event.slug}/checkin" for event in events if _is_public(event)),
    ]


def test_the_route_list_covers_the_pages_that_matter() -> None:
    assert {
        "/",
        "/groups",
        "/login",
        "/signup",
        "/account",
        "/admin",
        "/propose",
        "/proposals",
        "/review",
    } <= set(static_routes())


def _organised_by_viewer(event: Event, organised_group: int | None) -> bool:
    return organised_group is not None and event.group_id == organised_group


def database_secrets(
    planted: Planted, *, own_email: str, organised_group: int | None = None
) -> list[tuple[str, str]]:
    """(label, value) of everything no page may send, read from the database now.
    An organiser may see the join URLs of their own group's events (its edit forms)."""
    with read_session() as session:
        webhooks = session.exec(select(Webhook)).all()
        members = session.exec(select(Member)).all()
        token_hashes = session.exec(select(AuthSession.token_hash)).all()
        feed_hashes = session.exec(select(FeedToken.token_hash)).all()
        events = session.exec(select(Event)).all()
    return [
        *((f"e-mail of member {m.id}", m.email) for m in members if m.email != own_email),
        *((f"password hash of member {m.id}", m.password_hash) for m in members),
        ("an Argon2 hash", "$argon2"),
        ("another member's login token", planted.other_member_token),
        *((f"login token hash {h[:6]}", h) for h in token_hashes),
        ("a feed token", planted.feed_token),
        *((f"feed token hash {h[:6]}", h) for h in feed_hashes),
        *(
            (f"join URL of event {e.id}", e.join_url)
            for e in events
            if e.join_url and not _organised_by_viewer(e, organised_group)
        ),
        *((f"secret of webhook {w.id}", w.signing_secret) for w in webhooks),
        *((f"URL of webhook {w.id}", w.url) for w in webhooks if w.group_id != organised_group),
        *(
            (f"check-in code of event {e.id}", e.checkin_code)
            for e in events
            if len(e.checkin_code) >= 12 and not _organised_by_viewer(e, organised_group)
        ),
        ("an attendee of another group's event", planted.other_attendee_name),
        *(
            [("an attendee, to someone who does not organise", planted.own_attendee_name)]
            if organised_group is None
            else []
        ),
    ]


def unpublished_events(organised_group: int | None = None) -> list[tuple[str, str]]:
    """Titles and slugs of unpublished events: only their own URL may echo them. The
    organisers of a group review its proposals, so they see those that are not drafts
    (a draft is its proposer's alone)."""
    with read_session() as session:
        hidden = [
            e
            for e in session.exec(select(Event)).all()
            if not _is_public(e)
            and not (_organised_by_viewer(e, organised_group) and e.status != EventStatus.DRAFT)
        ]
        # An event proposed from an idea starts with the idea's title (and a slug made
        # from it): that text is the idea's, public on the idea board, not the event's.
        ideas = session.exec(select(ProjectIdea)).all()
        public_elsewhere = {text for idea in ideas for text in (idea.title, idea.slug)}
    return [
        (label, value)
        for label, value in (
            *((f"title of unpublished event {e.id}", e.title) for e in hidden),
            *((f"slug of unpublished event {e.id}", e.slug) for e in hidden),
        )
        if value not in public_elsewhere
    ]


def published_title() -> str:
    with read_session() as session:
        return session.exec(
            select(Event.title).where(
                Event.status == EventStatus.APPROVED, col(Event.published_at).is_not(None)
            )
        ).first() or pytest.fail("the demo data has no published event")


Browse = Callable[[Account | None], Capture]


@pytest.fixture
def browse(app: AppHarnessProd, browser: Browser) -> Iterator[Browse]:
    """Open a client (logged in as ``account`` unless None) and hydrate every route."""
    pages = []

    def run(account: Account | None) -> Capture:
        page = new_page(browser)
        pages.append(page)
        capture = Capture(page, app)
        if account is not None:
            log_in(capture, account)
        for route in routes():
            capture.visit(route)
        return capture

    yield run
    for page in pages:
        page.context.close()


def assert_nothing_secret(
    capture: Capture, planted: Planted, *, own_email: str = "", organised_group: int | None = None
) -> None:
    secrets = database_secrets(planted, own_email=own_email, organised_group=organised_group)
    leaked = found(secrets, capture.everything())
    # The router vars echo the URL the client typed (a slug, and a title when it equals
    # the slug), so unpublished events are looked for everywhere but there.
    leaked += found(unpublished_events(organised_group), capture.everything_but_router_echo())
    assert leaked == [], f"sent to the browser: {leaked}"


def test_a_visitor_receives_public_events_and_no_secret(browse: Browse, planted: Planted) -> None:
    capture = browse(None)

    assert published_title() in capture.everything()  # the capture does see the pages
    assert any('lang="ja"' in body for body in capture.bodies)  # and the HTML documents
    assert_nothing_secret(capture, planted)


def test_a_member_receives_their_own_name_and_no_secret(browse: Browse, planted: Planted) -> None:
    member = create_account("秘密 守")

    capture = browse(member)

    own_token = next(c["value"] for c in capture.page.context.cookies() if c["name"] == COOKIE)
    assert member.display_name in capture.everything()
    # The login cookie is HttpOnly and set over plain HTTP: no frame ever carries the
    # token (before, the login handler sent it to the page in a state var).
    assert own_token not in capture.everything()
    assert published_title() in capture.everything()
    assert_nothing_secret(capture, planted, own_email=member.email)


def test_an_organiser_receives_their_members_names_and_no_secret(
    browse: Browse, planted: Planted
) -> None:
    organiser = create_account("世話役 花子", organiser_of=ORGANISED_GROUP)

    capture = browse(organiser)

    assert planted.applicant_name in capture.everything()  # the join-request queue
    assert organiser.display_name in capture.everything()
    assert planted.submitted_title in capture.everything()  # the review queue
    assert "hooks.example.org/services/" in capture.everything()  # their own webhook, shortened
    assert planted.own_attendee_name in capture.everything()  # their own event's attendees
    assert_nothing_secret(
        capture, planted, own_email=organiser.email, organised_group=group_id(ORGANISED_GROUP)
    )
