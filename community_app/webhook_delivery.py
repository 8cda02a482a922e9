"""Sending the webhook outbox: due deliveries are claimed, POSTed concurrently through the
fetch guard, and their outcome recorded, with exponential backoff and a final give-up.

Database work happens in short transactions off the event loop; no transaction is open
while a request is in flight. A claim pushes ``next_attempt_at`` forward by a lease
(longer than any request may take), so two workers never send the same delivery at the
same time, and a worker that dies mid-way only delays its deliveries by the lease.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import Engine
from sqlmodel import col, select

from community_app.db import write_session
from community_app.domain.enums import WebhookKind
from community_app.domain.models import Webhook, WebhookDelivery
from community_app.domain.webhooks import render_request
from community_app.fetch_guard import FetchRefused, fetch, guarded_client
from community_app.settings import get_settings

logger = logging.getLogger(__name__)

DEADLINE_SECONDS = 10.0  # whole request; the client's connect timeout is 5 s
CLAIM_LEASE = timedelta(minutes=2)
BACKOFF = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
    timedelta(hours=6),
)
MAX_ATTEMPTS = len(BACKOFF) + 1  # the first try and one retry per backoff step
MAX_RESPONSE_BYTES = 64_000


@dataclass(frozen=True)
class Job:
    delivery_id: int
    webhook_id: int
    kind: WebhookKind
    url: str
    secret: str
    payload: str


@dataclass(frozen=True)
class Outcome:
    job: Job
    delivered: bool
    status: str  # "HTTP 200", "HTTP 500", "refused: …", "ConnectError: …"


@dataclass(frozen=True)
class DeliveryReport:
    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    gave_up: int = 0


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed try (1-based)."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def claim_due(*, now: datetime, limit: int, engine: Engine | None = None) -> list[Job]:
    """Take up to ``limit`` due deliveries of active webhooks, oldest first, and lease
    them. On PostgreSQL the rows are locked ``FOR UPDATE SKIP LOCKED`` so a second
    worker takes other rows; SQLite writers are serialised by ``BEGIN IMMEDIATE``."""
    with write_session(engine) as session:
        rows = session.exec(
            select(WebhookDelivery, Webhook)
            .join(Webhook, col(Webhook.id) == col(WebhookDelivery.webhook_id))
            .where(
                col(WebhookDelivery.delivered_at).is_(None),
                col(WebhookDelivery.gave_up_at).is_(None),
                col(WebhookDelivery.next_attempt_at) <= now,
                col(Webhook.is_active),
            )
            .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
            .limit(limit)
            .with_for_update(skip_locked=True, of=WebhookDelivery)
        ).all()
        jobs = []
        for delivery, webhook in rows:
            assert delivery.id is not None and webhook.id is not None
            delivery.next_attempt_at = now + CLAIM_LEASE
            session.add(delivery)
            jobs.append(
                Job(
                    delivery.id,
                    webhook.id,
                    webhook.kind,
                    webhook.url,
                    webhook.signing_secret,
                    delivery.payload,
                )
            )
        return jobs


async def send_one(
    job: Job, *, client: httpx.AsyncClient, site_url: str, now: datetime, deadline: float
) -> Outcome:
    """POST one delivery; every failure becomes an ``Outcome``, never an exception."""
    try:
        facts = json.loads(job.payload)
        body, headers = render_request(
            job.kind, facts, site_url=site_url, secret=job.secret, now=now
        )
    except (ValueError, KeyError, TypeError) as error:
        return Outcome(job, False, f"invalid payload: {type(error).__name__}")
    try:
        response = await fetch(
            client,
            "POST",
            job.url,
            content=body,
            headers=headers,
            deadline=deadline,
            max_bytes=MAX_RESPONSE_BYTES,
        )
    except FetchRefused as error:
        return Outcome(job, False, f"refused: {error}")
    except httpx.HTTPError as error:
        return Outcome(job, False, f"{type(error).__name__}: {error}")
    status = f"HTTP {response.status_code}"
    return Outcome(job, 200 <= response.status_code < 300, status)


def record_outcomes(
    outcomes: list[Outcome], *, now: datetime, engine: Engine | None = None
) -> DeliveryReport:
    """Mark deliveries delivered, or schedule their retry, or give up after
    ``MAX_ATTEMPTS``; keep each webhook's last status and failures in a row."""
    delivered = retrying = gave_up = 0
    with write_session(engine) as session:
        for outcome in outcomes:
            delivery = session.get(WebhookDelivery, outcome.job.delivery_id)
            webhook = session.get(Webhook, outcome.job.webhook_id)
            if delivery is None or webhook is None:  # removed while in flight
                continue
            delivery.attempts += 1
            webhook.last_status = outcome.status[:200]
            if outcome.delivered:
                delivery.delivered_at, delivery.last_error = now, ""
                webhook.failure_count = 0
                delivered += 1
            else:
                delivery.last_error = outcome.status[:500]
                webhook.failure_count += 1
                if delivery.attempts >= MAX_ATTEMPTS:
                    delivery.gave_up_at = now
                    gave_up += 1
                else:
                    delivery.next_attempt_at = now + retry_delay(delivery.attempts)
                    retrying += 1
            session.add(delivery)
            session.add(webhook)
    return DeliveryReport(len(outcomes), delivered, retrying, gave_up)


async def deliver_due(
    *,
    now: datetime,
    client: httpx.AsyncClient,
    limit: int = 50,
    engine: Engine | None = None,
    site_url: str | None = None,
    deadline: float = DEADLINE_SECONDS,
) -> DeliveryReport:
    """Send the deliveries due at ``now`` concurrently, each bounded by ``deadline``
    seconds, so one receiver that never answers cannot hold up the others."""
    jobs = await asyncio.to_thread(claim_due, now=now, limit=limit, engine=engine)
    if not jobs:
        return DeliveryReport()
    site = site_url or get_settings().site_url
    outcomes = await asyncio.gather(
        *(send_one(job, client=client, site_url=site, now=now, deadline=deadline) for job in jobs)
    )
    return await asyncio.to_thread(record_outcomes, list(outcomes), now=now, engine=engine)


async def run_delivery_loop(interval: float = 5) -> None:
    """Deliver due webhooks every ``interval`` seconds for the life of the app (started
    with ``app.register_lifespan_task``). A failing round is logged, not fatal. With
    ``SEND_WEBHOOKS=false`` nothing is sent: the outbox keeps the messages."""
    if not get_settings().send_webhooks:
        logger.info("webhooks: sending is off (SEND_WEBHOOKS=false)")
        return
    async with guarded_client() as client:
        while True:
            try:
                report = await deliver_due(now=datetime.now(UTC), client=client)
                if report.claimed:
                    logger.info("webhooks: %s", report)
            except Exception:  # the loop must outlive a database hiccup
                logger.exception("webhook delivery round failed")
            await asyncio.sleep(interval)
