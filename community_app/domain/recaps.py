"""After an event: the organisers' recap (開催レポート) — what was said, materials,
recordings and photos by URL — shown on the event page and sent to attendees."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session, col, delete

from community_app.domain import announcements
from community_app.domain.audit import record_audit
from community_app.domain.enums import EventStatus, RecapLinkKind
from community_app.domain.errors import DomainError
from community_app.domain.event_fields import MAX_LINE, long_text, one_line, web_url
from community_app.domain.models import RecapLink
from community_app.domain.permissions import Actor, can_review_proposals, is_signed_in, require
from community_app.domain.proposals import locked_event

MAX_SUMMARY = 20_000
MAX_LINKS_PER_KIND = 20


def parse_links(value: object, kind: RecapLinkKind) -> list[tuple[str, str]]:
    """``URL | ラベル`` per line (label optional). Photos must be ``https`` (they are
    shown as images on the page, which must not load anything insecure)."""
    if not isinstance(value, str):
        raise DomainError("invalid_recap_links")
    rows = [line for line in value.replace("\r", "\n").split("\n") if line.strip()]
    if len(rows) > MAX_LINKS_PER_KIND:
        raise DomainError("invalid_recap_links")
    links = []
    for row in rows:
        url, _, label = row.partition("|")
        clean = web_url(url, code="invalid_recap_links")
        if not clean or (kind == RecapLinkKind.PHOTO and not clean.lower().startswith("https://")):
            raise DomainError("invalid_recap_links")
        links.append((clean, one_line(label, code="invalid_recap_links", max_length=MAX_LINE)))
    return links


def post_recap(
    session: Session,
    *,
    actor: Actor,
    event_id: int,
    summary: str,
    links: Mapping[str, object],
    now: datetime,
) -> int:
    """Publish (or replace) the recap of a published event that has started; the first
    posting notifies the attendees. Returns how many members were notified."""
    require(is_signed_in(actor))
    event = locked_event(session, event_id)
    require(can_review_proposals(actor, event.group_id))
    if event.status != EventStatus.APPROVED or event.starts_at > now:
        raise DomainError("recap_not_yet")
    text = long_text(summary, code="invalid_recap", max_length=MAX_SUMMARY)
    if not text:
        raise DomainError("invalid_recap")
    if not isinstance(links, Mapping):
        raise DomainError("invalid_recap_links")
    parsed = {kind: parse_links(links.get(kind.value, ""), kind) for kind in RecapLinkKind}
    first_time = event.recap_posted_at is None
    session.exec(delete(RecapLink).where(col(RecapLink.event_id) == event.id))
    position = 0
    for kind, rows in parsed.items():
        for url, label in rows:
            session.add(
                RecapLink(
                    event_id=event.id or 0, kind=kind, url=url, label=label, position=position
                )
            )
            position += 1
    event.recap_summary, event.recap_posted_at, event.updated_at = text, now, now
    session.add(event)
    record_audit(
        session, actor=actor, action="post_recap", target_type="event", target_id=event.id, now=now
    )
    notified = (
        announcements.announce_recap(session, actor=actor, event=event, now=now)
        if first_time
        else 0
    )
    session.flush()
    return notified
