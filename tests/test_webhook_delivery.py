"""Sending the webhook outbox to a real HTTP receiver on 127.0.0.1.

Webhook rows are written directly here: the organiser verb refuses loopback URLs, and
only these tests' client is allowed to reach loopback.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from community_app.domain.enums import WebhookAction, WebhookKind
from community_app.domain.models import Webhook, WebhookDelivery
from community_app.domain.webhooks import queue_event_webhooks
from community_app.fetch_guard import guarded_client
from community_app.webhook_delivery import (
    BACKOFF,
    MAX_ATTEMPTS,
    DeliveryReport,
    Job,
    claim_due,
    deliver_due,
)
from tests.factories import make_event, make_group
from tests.http_receiver import Answer, Receiver, running_receiver

pytestmark = pytest.mark.integration

SITE = "https://tsudoi.example"
JOIN_URL = "https://meet.example.com/secret-room-0815"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def _setup(engine: Engine, now: datetime, *urls: str, kind: WebhookKind = WebhookKind.JSON) -> int:
    """A published event whose group has one webhook per URL, and its deliveries queued;
    returns the event id."""
    with Session(engine) as session:
        group = make_group(session)
        for number, url in enumerate(urls):
            session.add(
                Webhook(group_id=group.id, kind=kind, url=url, signing_secret=f"secret-{number}")
            )
        event = make_event(session, group_id=group.id, join_url=JOIN_URL)
        queue_event_webhooks(session, event_id=event.id, action=WebhookAction.PUBLISHED, now=now)
        session.commit()
        assert event.id is not None
        return event.id


def _deliver(engine: Engine, now: datetime, *, deadline: float = 5.0) -> DeliveryReport:
    async def run() -> DeliveryReport:
        async with guarded_client(allow_loopback=True) as client:
            return await deliver_due(
                now=now, client=client, engine=engine, site_url=SITE, deadline=deadline
            )

    return asyncio.run(run())


def _deliveries(engine: Engine) -> list[tuple[WebhookDelivery, Webhook]]:
    with Session(engine) as session:
        rows = session.exec(
            select(WebhookDelivery, Webhook).join(Webhook).order_by(col(WebhookDelivery.id))
        ).all()
        return [(delivery, webhook) for delivery, webhook in rows]


def test_a_due_delivery_is_posted_signed_and_marked_delivered(
    engine: Engine, now: datetime, receiver: Receiver
) -> None:
    _setup(engine, now, receiver.url("/hook"))

    report = _deliver(engine, now)

    assert report == DeliveryReport(claimed=1, delivered=1)
    [request] = receiver.requests
    timestamp = request.headers["X-Tsudoi-Timestamp"]
    expected = hmac.new(b"secret-0", timestamp.encode() + b"." + request.body, hashlib.sha256)
    assert request.headers["X-Tsudoi-Signature"] == "sha256=" + expected.hexdigest()
    assert json.loads(request.body)["action"] == "published"
    assert b"meet.example.com" not in request.body
    [(delivery, webhook)] = _deliveries(engine)
    assert (delivery.delivered_at, delivery.attempts) == (now, 1)
    assert (webhook.last_status, webhook.failure_count) == ("HTTP 200", 0)
    assert _deliver(engine, now + timedelta(hours=1)) == DeliveryReport()  # sent only once


def test_slack_and_discord_receivers_get_their_own_shapes(
    engine: Engine, now: datetime, receiver: Receiver
) -> None:
    _setup(engine, now, receiver.url("/slack"), kind=WebhookKind.SLACK)
    _setup(engine, now, receiver.url("/discord"), kind=WebhookKind.DISCORD)

    _deliver(engine, now)

    bodies = {request.path: json.loads(request.body) for request in receiver.requests}
    assert "新しいイベントが公開されました" in bodies["/slack"]["text"]
    assert "新しいイベントが公開されました" in bodies["/discord"]["content"]


def test_a_failed_delivery_is_retried_after_the_backoff_and_then_delivered(
    engine: Engine, now: datetime, receiver: Receiver
) -> None:
    _setup(engine, now, receiver.url("/flaky"))
    receiver.answers["/flaky"] = Answer(500, b"oops")

    first = _deliver(engine, now)
    [(delivery, webhook)] = _deliveries(engine)
    assert first == DeliveryReport(claimed=1, retrying=1)
    assert (delivery.attempts, delivery.next_attempt_at) == (1, now + BACKOFF[0])
    assert (webhook.last_status, webhook.failure_count) == ("HTTP 500", 1)
    assert delivery.delivered_at is None and delivery.last_error == "HTTP 500"

    assert _deliver(engine, now + BACKOFF[0] - timedelta(seconds=1)) == DeliveryReport()
    receiver.answers["/flaky"] = Answer(204, b"")
    later = now + BACKOFF[0]
    assert _deliver(engine, later) == DeliveryReport(claimed=1, delivered=1)

    [(delivery, webhook)] = _deliveries(engine)
    assert (delivery.attempts, delivery.delivered_at) == (2, later)
    assert (webhook.last_status, webhook.failure_count) == ("HTTP 204", 0)
    assert receiver.paths() == ["/flaky", "/flaky"]


def test_a_receiver_that_never_answers_does_not_hold_up_the_others(
    engine: Engine, now: datetime, receiver: Receiver
) -> None:
    receiver.answers["/hang"] = Answer(hang=True)
    _setup(engine, now, receiver.url("/hang"), receiver.url("/ok"))

    report = _deliver(engine, now, deadline=1.0)

    assert report == DeliveryReport(claimed=2, delivered=1, retrying=1)
    by_path = {webhook.url.rsplit("/", 1)[-1]: d for d, webhook in _deliveries(engine)}
    assert by_path["ok"].delivered_at == now
    assert by_path["hang"].delivered_at is None
    assert "no complete answer" in by_path["hang"].last_error


def test_delivery_gives_up_after_the_last_attempt(
    engine: Engine, now: datetime, receiver: Receiver
) -> None:
    receiver.answers["/down"] = Answer(503, b"")
    _setup(engine, now, receiver.url("/down"))

    moment = now
    for attempt in range(1, MAX_ATTEMPTS + 1):
        report = _deliver(engine, moment)
        assert report.claimed == 1, attempt
        moment += timedelta(days=1)

    assert report == DeliveryReport(claimed=1, gave_up=1)
    [(delivery, webhook)] = _deliveries(engine)
    assert delivery.attempts == MAX_ATTEMPTS and delivery.gave_up_at is not None
    assert webhook.failure_count == MAX_ATTEMPTS
    assert _deliver(engine, moment + timedelta(days=30)) == DeliveryReport()
    assert len(receiver.requests) == MAX_ATTEMPTS


def test_redirects_are_not_followed(engine: Engine, now: datetime, receiver: Receiver) -> None:
    receiver.answers["/moved"] = Answer(307, b"", {"Location": "/elsewhere"})
    _setup(engine, now, receiver.url("/moved"))

    report = _deliver(engine, now)

    assert report == DeliveryReport(claimed=1, retrying=1)
    assert receiver.paths() == ["/moved"]
    [(_delivery, webhook)] = _deliveries(engine)
    assert webhook.last_status == "HTTP 307"


def test_a_private_target_is_refused_and_counts_as_a_failure(engine: Engine, now: datetime) -> None:
    _setup(engine, now, "http://10.255.255.1/hook", "http://169.254.169.254/latest")

    report = _deliver(engine, now)

    assert report == DeliveryReport(claimed=2, retrying=2)
    assert all(
        webhook.last_status.startswith("refused: ") for _delivery, webhook in _deliveries(engine)
    )


def test_inactive_webhooks_are_not_sent(engine: Engine, now: datetime, receiver: Receiver) -> None:
    _setup(engine, now, receiver.url("/paused"))
    with Session(engine) as session:
        for webhook in session.exec(select(Webhook)).all():
            webhook.is_active = False
            session.add(webhook)
        session.commit()

    assert _deliver(engine, now) == DeliveryReport()
    assert receiver.requests == []


def test_two_workers_claiming_at_once_never_take_the_same_delivery(
    engine: Engine, now: datetime
) -> None:
    _setup(engine, now, *(f"http://hooks{n}.example.org/" for n in range(12)))
    claimed: list[list[Job]] = []
    barrier = threading.Barrier(3)

    def worker() -> None:
        barrier.wait()
        claimed.append(claim_due(now=now, limit=5, engine=engine))

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    ids = [job.delivery_id for jobs in claimed for job in jobs]
    assert len(ids) == len(set(ids)) == 12
    assert claim_due(now=now, limit=50, engine=engine) == []  # all leased


def test_the_delivery_loop_sends_nothing_when_webhooks_are_switched_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from community_app.settings import get_settings
    from community_app.webhook_delivery import run_delivery_loop

    monkeypatch.setenv("SEND_WEBHOOKS", "false")
    get_settings.cache_clear()
    try:
        # Returns at once instead of looping forever (the timeout would fail the test).
        asyncio.run(asyncio.wait_for(run_delivery_loop(interval=0.01), timeout=5))
    finally:
        get_settings.cache_clear()
