"""Group webhooks: organisers register Slack, Discord or signed JSON receivers; changes to
the group's published events are written to an outbox (``WebhookDelivery``) in the
transaction of the change, and ``community_app.webhook_delivery`` sends them later.

Payloads carry only public facts of the event: never the online join URL.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from sqlmodel import Session, col, select

from community_app.domain.addresses import is_local_name, is_public_address, literal_address
from community_app.domain.audit import record_audit
from community_app.domain.enums import EventStatus, WebhookAction, WebhookKind
from community_app.domain.errors import DomainError, NotFound
from community_app.domain.groups import get_group_row
from community_app.domain.models import Event, Group, Webhook, WebhookDelivery
from community_app.domain.permissions import (
    Actor,
    can_manage_any_group,
    can_manage_webhooks,
    require,
)
from community_app.domain.validation import as_choice, as_id, as_text
from community_app.i18n import format_range, translate

MAX_URL_LENGTH = 500
SECRET_BYTES = 32  # 256 bits
MAX_WEBHOOKS_PER_GROUP = 10
DISCORD_MAX_CONTENT = 2000
SIGNATURE_HEADER = "X-Tsudoi-Signature"
TIMESTAMP_HEADER = "X-Tsudoi-Timestamp"
EVENT_HEADER = "X-Tsudoi-Event"


@dataclass(frozen=True)
class WebhookView:
    """What an organiser sees of a webhook: never its secret nor its full URL."""

    webhook_id: int
    kind: WebhookKind
    target: str  # host and path, long path segments shortened
    is_active: bool
    last_status: str
    failure_count: int
    created_at: datetime


@dataclass(frozen=True)
class CreatedWebhook:
    """The new webhook and its signing secret, shown once and never again."""

    view: WebhookView
    secret: str


# --- validation ------------------------------------------------------------------------


def as_webhook_url(value: object) -> str:
    """An absolute http(s) URL without credentials whose host is not a local name or a
    literal non-public address. Names are checked again, resolved, when a delivery
    connects (``fetch_guard``); this early check gives the organiser a clear answer."""
    url = as_text(value, code="invalid_webhook_url", max_length=MAX_URL_LENGTH, required=True)
    if any(unicodedata.category(ch)[0] in "CZ" for ch in url):  # controls and spaces
        raise DomainError("invalid_webhook_url")
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError:
        raise DomainError("invalid_webhook_url") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise DomainError("invalid_webhook_url")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise DomainError("webhook_url_credentials")
    address = literal_address(parts.hostname)
    if is_local_name(parts.hostname) or (address is not None and not is_public_address(address)):
        raise DomainError("webhook_url_not_public")
    return url


def _shortened(segment: str) -> str:
    return segment if len(segment) <= 8 else segment[:4] + "…"


def _target(url: str) -> str:
    """Host and path for display; the tokens Slack and Discord keep in the path are cut."""
    parts = urlsplit(url)
    segments = parts.path.split("/")
    return (parts.hostname or "") + "/".join(_shortened(s) for s in segments)


def _view(webhook: Webhook) -> WebhookView:
    assert webhook.id is not None
    return WebhookView(
        webhook.id,
        webhook.kind,
        _target(webhook.url),
        webhook.is_active,
        webhook.last_status,
        webhook.failure_count,
        webhook.created_at,
    )


# --- organiser verbs ---------------------------------------------------------------------


def add_webhook(
    session: Session, *, actor: Actor, group_id: int, kind: object, url: object, now: datetime
) -> CreatedWebhook:
    """Register a webhook for the group; the result carries its new random secret."""
    group_id = as_id(group_id)
    require(can_manage_webhooks(actor, group_id))
    kind = as_choice(kind, WebhookKind, code="invalid_webhook_kind")
    url = as_webhook_url(url)
    get_group_row(session, group_id)
    existing = session.exec(select(Webhook.id).where(Webhook.group_id == group_id)).all()
    if len(existing) >= MAX_WEBHOOKS_PER_GROUP:
        raise DomainError("too_many_webhooks")
    secret = secrets.token_urlsafe(SECRET_BYTES)
    webhook = Webhook(group_id=group_id, kind=kind, url=url, signing_secret=secret, created_at=now)
    session.add(webhook)
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="add_webhook",
        target_type="webhook",
        target_id=webhook.id,
        now=now,
        detail=f"group={group_id} kind={kind.value} host={urlsplit(url).hostname}",
    )
    return CreatedWebhook(_view(webhook), secret)


def remove_webhook(session: Session, *, actor: Actor, webhook_id: int, now: datetime) -> None:
    """Delete a webhook and its undelivered messages. The permission is checked against
    the webhook's own group, so an organiser elsewhere cannot remove it."""
    require(can_manage_any_group(actor))
    webhook_id = as_id(webhook_id)
    webhook = session.get(Webhook, webhook_id)
    if webhook is None:
        raise NotFound("webhook_not_found")
    require(can_manage_webhooks(actor, webhook.group_id))
    group_id = webhook.group_id
    session.delete(webhook)
    record_audit(
        session,
        actor=actor,
        action="remove_webhook",
        target_type="webhook",
        target_id=webhook_id,
        now=now,
        detail=f"group={group_id}",
    )
    session.flush()


def list_webhooks(session: Session, *, actor: Actor, group_id: int) -> list[WebhookView]:
    """The group's webhooks, oldest first."""
    group_id = as_id(group_id)
    require(can_manage_webhooks(actor, group_id))
    get_group_row(session, group_id)
    rows = session.exec(
        select(Webhook).where(Webhook.group_id == group_id).order_by(col(Webhook.id))
    ).all()
    return [_view(row) for row in rows]


# --- the outbox ----------------------------------------------------------------------------


def event_facts(event: Event, group: Group, action: WebhookAction) -> dict[str, Any]:
    """The public facts of ``event`` that a webhook reports (never the join URL)."""
    return {
        "action": action.value,
        "uid": event.uid,
        "slug": event.slug,
        "title": event.title,
        "summary": event.summary,
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "timezone": event.timezone,
        "kind": event.kind.value,
        "format": event.format.value,
        "venue": event.venue_name,
        "venue_address": event.venue_address,
        "status": event.status.value,
        "status_reason": event.status_reason,
        "sequence": event.sequence,
        "group": {"name": group.name, "slug": group.slug},
    }


def queue_event_webhooks(
    session: Session, *, event_id: int, action: WebhookAction, now: datetime
) -> int:
    """Write one delivery per active webhook of the event's group, in the caller's
    transaction (so a rolled-back change reports nothing). Events that are not public
    (drafts, proposals under review) are never reported. Returns how many were queued."""
    event = session.get(Event, as_id(event_id))
    if event is None:
        raise NotFound("event_not_found")
    action = as_choice(action, WebhookAction, code="invalid_webhook_action")
    if event.status not in EventStatus.public() or event.published_at is None:
        return 0
    group = get_group_row(session, event.group_id)
    payload = json.dumps(event_facts(event, group, action), ensure_ascii=False)
    hooks = session.exec(
        select(Webhook.id).where(Webhook.group_id == group.id, col(Webhook.is_active))
    ).all()
    for webhook_id in hooks:
        assert webhook_id is not None
        session.add(
            WebhookDelivery(
                webhook_id=webhook_id,
                event_id=event.id,
                action=action,
                payload=payload,
                next_attempt_at=now,
                created_at=now,
            )
        )
    session.flush()
    return len(hooks)


# --- rendering ---------------------------------------------------------------------------

_HEADLINES = {
    WebhookAction.PUBLISHED: "新しいイベントが公開されました",
    WebhookAction.CHANGED: "イベントの内容が変更されました",
    WebhookAction.CANCELLED: "イベントは中止になりました",
}


def event_url(site_url: str, slug: str) -> str:
    return f"{site_url.rstrip('/')}/events/{quote(slug, safe='')}"


def summary_text(facts: dict[str, Any], *, url: str) -> str:
    """The message in Japanese: headline, title, date, kind and format, venue, link."""
    action = WebhookAction(facts["action"])
    when = format_range(
        datetime.fromisoformat(facts["starts_at"]),
        datetime.fromisoformat(facts["ends_at"]),
        facts["timezone"],
        "ja",
    )
    kind = translate(f"kind.{facts['kind']}", "ja")
    event_format = translate(f"format.{facts['format']}", "ja")
    lines = [
        f"【{facts['group']['name']}】{_HEADLINES[action]}",
        f"「{facts['title']}」",
        f"日時: {when}",
        f"{kind}・{event_format}",
    ]
    if facts.get("venue"):
        lines.append(f"会場: {facts['venue']}")
    if action == WebhookAction.CANCELLED and facts.get("status_reason"):
        lines.append(f"理由: {facts['status_reason']}")
    lines.append(url)
    return "\n".join(lines)


def _slack_escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256 over ``"<timestamp>.<body>"`` with the secret."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def render_request(
    kind: WebhookKind, facts: dict[str, Any], *, site_url: str, secret: str, now: datetime
) -> tuple[bytes, dict[str, str]]:
    """The body and headers to POST to a webhook of ``kind``. Every request is signed
    (Slack and Discord ignore the extra headers; generic receivers verify them)."""
    url = event_url(site_url, facts["slug"])
    text = summary_text(facts, url=url)
    document: dict[str, Any]
    if kind == WebhookKind.SLACK:
        document = {"text": _slack_escaped(text)}
    elif kind == WebhookKind.DISCORD:
        # No @everyone or role pings from an event title.
        document = {"content": text[:DISCORD_MAX_CONTENT], "allowed_mentions": {"parse": []}}
    else:
        document = {**facts, "url": url}
    body = json.dumps(document, ensure_ascii=False).encode()
    timestamp = str(int(now.timestamp()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        EVENT_HEADER: facts["action"],
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }
    return body, headers
