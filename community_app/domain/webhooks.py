"""Group webhooks: the outbox rows written when an event is published, changed or
cancelled. (Placeholder until the webhooks branch lands; replaced by it.)"""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session, select

from community_app.domain.enums import WebhookAction
from community_app.domain.models import Event, Webhook, WebhookDelivery

__all__ = ["WebhookAction", "queue_event_webhooks"]


def queue_event_webhooks(
    session: Session, *, event_id: int, action: WebhookAction, now: datetime
) -> int:
    event = session.get(Event, event_id)
    if event is None:
        return 0
    hooks = session.exec(
        select(Webhook).where(Webhook.group_id == event.group_id, Webhook.is_active == True)  # noqa: E712
    ).all()
    facts = {"uid": event.uid, "slug": event.slug, "title": event.title, "action": action.value}
    for hook in hooks:
        session.add(
            WebhookDelivery(
                webhook_id=hook.id or 0,
                event_id=event_id,
                action=action,
                payload=json.dumps(facts, ensure_ascii=False),
                next_attempt_at=now,
                created_at=now,
            )
        )
    return len(hooks)
