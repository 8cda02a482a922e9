"""Group webhooks: URL validation, who may manage them, the outbox and signed rendering."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime

import pytest
from sqlmodel import Session, col, select

from community_app.domain.enums import EventStatus, WebhookAction, WebhookKind
from community_app.domain.errors import DomainError, NotFound, PermissionDenied
from community_app.domain.models import AuditLogEntry, Group, Webhook, WebhookDelivery
from community_app.domain.permissions import VISITOR, Actor, load_actor
from community_app.domain.webhooks import (
    add_webhook,
    as_webhook_url,
    event_facts,
    list_webhooks,
    queue_event_webhooks,
    remove_webhook,
    render_request,
)
from tests.domain.group_world import make_organiser
from tests.factories import make_event, make_group, make_member

pytestmark = pytest.mark.unit

SITE = "https://tsudoi.example"
HOOK = "https://hooks.slack.com/services/T0001/B0002/abcdefghijklmnopqrstuvwx"


def _organiser(session: Session) -> tuple[int, Actor]:
    group = make_group(session)
    assert group.id is not None
    return group.id, load_actor(session, member_id=make_organiser(session, group).id)


# --- URL validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.slack.com/services/T/B/X",
        "https://discord.com/api/webhooks/1/abc",
        "http://receiver.example.org:8080/tsudoi?team=1",
        "https://[2001:4860:4860::8888]/hook",
    ],
)
def test_public_http_urls_are_accepted(url: str) -> None:
    assert as_webhook_url(f"  {url} ") == url


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("javascript:alert(1)", "invalid_webhook_url"),
        ("file:///etc/passwd", "invalid_webhook_url"),
        ("ftp://files.example.org/x", "invalid_webhook_url"),
        ("//hooks.example.org/x", "invalid_webhook_url"),
        ("https://", "invalid_webhook_url"),
        ("https://hooks.example.org:99999/x", "invalid_webhook_url"),
        ("https://hooks.example.org/a b", "invalid_webhook_url"),
        ("https://hooks.example.org/\u202ex", "invalid_webhook_url"),
        ("https://example.org/" + "x" * 500, "invalid_webhook_url"),
        ("", "invalid_webhook_url"),
        ("https://user:pass@hooks.example.org/x", "webhook_url_credentials"),
        ("https://token@hooks.example.org/x", "webhook_url_credentials"),
        ("http://127.0.0.1:8000/admin", "webhook_url_not_public"),
        ("http://127.1/", "webhook_url_not_public"),
        ("http://2130706433/", "webhook_url_not_public"),
        ("http://10.1.2.3/", "webhook_url_not_public"),
        ("http://192.168.0.10/", "webhook_url_not_public"),
        ("http://169.254.169.254/latest/meta-data/", "webhook_url_not_public"),
        ("http://100.64.0.1/", "webhook_url_not_public"),
        ("http://0.0.0.0/", "webhook_url_not_public"),
        ("http://[::1]/", "webhook_url_not_public"),
        ("http://[::ffff:10.0.0.1]/", "webhook_url_not_public"),
        ("http://[fe80::1]/", "webhook_url_not_public"),
        ("http://localhost:3000/", "webhook_url_not_public"),
        ("http://printer.local/", "webhook_url_not_public"),
    ],
)
def test_bad_or_private_urls_are_refused_with_a_clear_code(url: str, code: str) -> None:
    with pytest.raises(DomainError) as raised:
        as_webhook_url(url)
    assert raised.value.code == code


@pytest.mark.parametrize("value", [None, 42, ["https://x.example"], {"url": "x"}])
def test_urls_of_the_wrong_type_are_refused(value: object) -> None:
    with pytest.raises(DomainError) as raised:
        as_webhook_url(value)
    assert raised.value.code == "invalid_webhook_url"


# --- organiser verbs ---------------------------------------------------------------------


def test_adding_returns_a_long_random_secret_once_and_lists_without_it(
    session: Session, now: datetime
) -> None:
    group_id, organiser = _organiser(session)

    created = add_webhook(
        session, actor=organiser, group_id=group_id, kind="slack", url=HOOK, now=now
    )
    [view] = list_webhooks(session, actor=organiser, group_id=group_id)

    assert len(created.secret) >= 22  # at least 128 bits in URL-safe base64
    assert session.get(Webhook, view.webhook_id).signing_secret == created.secret
    assert view == created.view
    assert (view.kind, view.is_active, view.failure_count) == (WebhookKind.SLACK, True, 0)
    assert view.target == "hooks.slack.com/services/T0001/B0002/abcd…"
    assert created.secret not in repr(view) and "abcdefghijkl" not in repr(view)


def test_two_webhooks_get_different_secrets(session: Session, now: datetime) -> None:
    group_id, organiser = _organiser(session)
    first, second = (
        add_webhook(session, actor=organiser, group_id=group_id, kind="json", url=HOOK, now=now)
        for _ in range(2)
    )
    assert first.secret != second.secret


def test_adding_and_removing_are_audited(session: Session, now: datetime) -> None:
    group_id, organiser = _organiser(session)
    created = add_webhook(
        session, actor=organiser, group_id=group_id, kind="discord", url=HOOK, now=now
    )
    remove_webhook(session, actor=organiser, webhook_id=created.view.webhook_id, now=now)

    entries = session.exec(select(AuditLogEntry).order_by(col(AuditLogEntry.id))).all()
    assert [(e.action, e.actor_id) for e in entries] == [
        ("add_webhook", organiser.member_id),
        ("remove_webhook", organiser.member_id),
    ]
    assert all(created.secret not in e.detail and "abcdefgh" not in e.detail for e in entries)
    assert list_webhooks(session, actor=organiser, group_id=group_id) == []


def test_an_unknown_kind_is_refused(session: Session, now: datetime) -> None:
    group_id, organiser = _organiser(session)
    for kind in ("teams", None, 3):
        with pytest.raises(DomainError) as raised:
            add_webhook(session, actor=organiser, group_id=group_id, kind=kind, url=HOOK, now=now)
        assert raised.value.code == "invalid_webhook_kind"
    assert session.exec(select(Webhook)).all() == []


def test_a_group_has_at_most_ten_webhooks(session: Session, now: datetime) -> None:
    group_id, organiser = _organiser(session)
    for _ in range(10):
        add_webhook(session, actor=organiser, group_id=group_id, kind="json", url=HOOK, now=now)
    with pytest.raises(DomainError) as raised:
        add_webhook(session, actor=organiser, group_id=group_id, kind="json", url=HOOK, now=now)
    assert raised.value.code == "too_many_webhooks"


ROLES = ("visitor", "member", "other_organiser", "organiser", "admin")
ALLOWED = {"organiser", "admin"}


@pytest.mark.parametrize("role", ROLES)
def test_only_organisers_of_the_group_and_admins_manage_its_webhooks(
    session: Session, now: datetime, role: str
) -> None:
    group = make_group(session)
    assert group.id is not None
    owner = load_actor(session, member_id=make_organiser(session, group).id)
    existing = add_webhook(session, actor=owner, group_id=group.id, kind="json", url=HOOK, now=now)
    actors = {
        "visitor": VISITOR,
        "member": Actor(member_id=make_member(session).id, member_of=frozenset({group.id})),
        "other_organiser": load_actor(
            session, member_id=make_organiser(session, make_group(session)).id
        ),
        "organiser": load_actor(session, member_id=make_organiser(session, group).id),
        "admin": load_actor(session, member_id=make_member(session, is_admin=True).id),
    }
    actor = actors[role]
    calls = {
        "list": lambda: list_webhooks(session, actor=actor, group_id=group.id),
        "add": lambda: add_webhook(
            session, actor=actor, group_id=group.id, kind="slack", url=HOOK, now=now
        ),
        "remove": lambda: remove_webhook(
            session, actor=actor, webhook_id=existing.view.webhook_id, now=now
        ),
    }
    for name, call in calls.items():
        before = len(session.exec(select(Webhook)).all())
        if role in ALLOWED:
            call()
        else:
            with pytest.raises(PermissionDenied):
                call()
            assert len(session.exec(select(Webhook)).all()) == before, name
    assert (session.get(Webhook, existing.view.webhook_id) is None) is (role in ALLOWED)


def test_removing_an_unknown_webhook_says_not_found(session: Session, now: datetime) -> None:
    _group_id, organiser = _organiser(session)
    with pytest.raises(NotFound):
        remove_webhook(session, actor=organiser, webhook_id=999_999, now=now)


@pytest.mark.parametrize("webhook_id", ["1", None, True, -3, 2**40])
def test_malformed_ids_are_refused(session: Session, now: datetime, webhook_id: object) -> None:
    _group_id, organiser = _organiser(session)
    with pytest.raises(DomainError) as raised:
        remove_webhook(session, actor=organiser, webhook_id=webhook_id, now=now)  # type: ignore[arg-type]
    assert raised.value.code == "invalid_id"


def event_group_slug(session: Session, group_id: int) -> str:
    return session.exec(select(Group.slug).where(Group.id == group_id)).one()


# --- the outbox ----------------------------------------------------------------------------

JOIN_URL = "https://meet.example.com/very-secret-room-4711"


def test_queueing_writes_one_delivery_per_active_webhook_of_the_group(
    session: Session, now: datetime
) -> None:
    group_id, organiser = _organiser(session)
    kept = add_webhook(session, actor=organiser, group_id=group_id, kind="json", url=HOOK, now=now)
    paused = add_webhook(
        session, actor=organiser, group_id=group_id, kind="slack", url=HOOK, now=now
    )
    session.get(Webhook, paused.view.webhook_id).is_active = False
    other_id, other = _organiser(session)
    add_webhook(session, actor=other, group_id=other_id, kind="json", url=HOOK, now=now)
    event = make_event(session, group_id=group_id, join_url=JOIN_URL)

    queued = queue_event_webhooks(
        session, event_id=event.id, action=WebhookAction.PUBLISHED, now=now
    )

    [delivery] = session.exec(select(WebhookDelivery)).all()
    assert queued == 1
    assert (delivery.webhook_id, delivery.event_id) == (kept.view.webhook_id, event.id)
    assert (delivery.action, delivery.attempts, delivery.next_attempt_at) == (
        WebhookAction.PUBLISHED,
        0,
        now,
    )
    facts = json.loads(delivery.payload)
    assert facts["uid"] == event.uid and facts["title"] == event.title
    assert facts["group"]["slug"] == event_group_slug(session, group_id)


@pytest.mark.parametrize("action", list(WebhookAction))
def test_no_payload_ever_carries_the_join_url(
    session: Session, now: datetime, action: WebhookAction
) -> None:
    group_id, organiser = _organiser(session)
    for kind in WebhookKind:
        add_webhook(session, actor=organiser, group_id=group_id, kind=kind, url=HOOK, now=now)
    event = make_event(
        session,
        group_id=group_id,
        join_url=JOIN_URL,
        online_platform="Zoom",
        status=EventStatus.CANCELLED if action == WebhookAction.CANCELLED else EventStatus.APPROVED,
        status_reason="台風のため",
    )

    queue_event_webhooks(session, event_id=event.id, action=action, now=now)

    deliveries = session.exec(select(WebhookDelivery)).all()
    assert len(deliveries) == 3
    for delivery in deliveries:
        assert "meet.example.com" not in delivery.payload
        webhook = session.get(Webhook, delivery.webhook_id)
        body, headers = render_request(
            webhook.kind, json.loads(delivery.payload), site_url=SITE, secret="s", now=now
        )
        assert b"meet.example.com" not in body and "secret-room" not in str(headers)


@pytest.mark.parametrize("status", [EventStatus.DRAFT, EventStatus.SUBMITTED, EventStatus.REJECTED])
def test_unpublished_events_are_never_reported(
    session: Session, now: datetime, status: EventStatus
) -> None:
    group_id, organiser = _organiser(session)
    add_webhook(session, actor=organiser, group_id=group_id, kind="json", url=HOOK, now=now)
    event = make_event(session, group_id=group_id, status=status, published_at=None)
    assert queue_event_webhooks(session, event_id=event.id, action="published", now=now) == 0
    assert session.exec(select(WebhookDelivery)).all() == []


def test_queueing_for_an_unknown_event_or_action_is_refused(
    session: Session, now: datetime
) -> None:
    with pytest.raises(NotFound):
        queue_event_webhooks(session, event_id=999_999, action="published", now=now)
    event = make_event(session)
    with pytest.raises(DomainError) as raised:
        queue_event_webhooks(session, event_id=event.id, action="deleted", now=now)  # type: ignore[arg-type]
    assert raised.value.code == "invalid_webhook_action"


# --- rendering -----------------------------------------------------------------------------


def _facts(session: Session, action: WebhookAction = WebhookAction.PUBLISHED) -> dict[str, object]:
    group = make_group(session, name="ひかりだい おたがいさま")
    event = make_event(
        session,
        group_id=group.id,
        slug="夜の勉強会",
        title="夜の勉強会 <b>&</b>",
        venue_name="公民館",
        join_url=JOIN_URL,
    )
    return event_facts(event, group, action)


def test_slack_gets_escaped_japanese_text_with_the_date_and_event_url(
    session: Session, now: datetime
) -> None:
    body, headers = render_request(
        WebhookKind.SLACK, _facts(session), site_url=SITE, secret="s", now=now
    )
    text = json.loads(body)["text"]
    assert list(json.loads(body)) == ["text"]
    assert "新しいイベントが公開されました" in text
    assert "2026年11月28日(土) 21:00–23:00" in text  # factories.START in Asia/Tokyo
    assert "夜の勉強会 &lt;b&gt;&amp;&lt;/b&gt;" in text and "<b>" not in text
    assert "会場: 公民館" in text
    assert f"{SITE}/events/%E5%A4%9C%E3%81%AE%E5%8B%89%E5%BC%B7%E4%BC%9A" in text
    assert headers["Content-Type"].startswith("application/json")


def test_discord_gets_content_and_no_mentions(session: Session, now: datetime) -> None:
    body, _headers = render_request(
        WebhookKind.DISCORD,
        _facts(session, WebhookAction.CANCELLED),
        site_url=SITE,
        secret="s",
        now=now,
    )
    document = json.loads(body)
    assert "イベントは中止になりました" in document["content"]
    assert document["allowed_mentions"] == {"parse": []}


def test_generic_json_carries_the_facts_url_and_a_verifiable_signature(
    session: Session, now: datetime
) -> None:
    facts = _facts(session, WebhookAction.CHANGED)
    secret = "whsec-test-0123456789"

    body, headers = render_request(WebhookKind.JSON, facts, site_url=SITE, secret=secret, now=now)

    document = json.loads(body)
    assert document == {**facts, "url": document["url"]}
    assert document["action"] == "changed" and document["url"].startswith(f"{SITE}/events/")
    assert headers["X-Tsudoi-Event"] == "changed"
    assert headers["X-Tsudoi-Timestamp"] == str(int(now.timestamp()))
    signed = headers["X-Tsudoi-Timestamp"].encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    assert headers["X-Tsudoi-Signature"] == f"sha256={expected}"
    other = hmac.new(b"another secret", signed, hashlib.sha256).hexdigest()
    assert headers["X-Tsudoi-Signature"] != f"sha256={other}"
