"""Personal calendar feeds: secret tokens in the feed URL, and the entries they list.

A token is 256 random bits that only the member holds; the database keeps its SHA-256
(like login tokens). A member has at most one live token: issuing a new one revokes
the old, so a rotated URL dies at once. Unknown, revoked and malformed tokens, and
tokens of disabled members, all resolve to None: the feed answers them with one 404.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from community_app.domain.audit import record_audit
from community_app.domain.calendar import PAST_KEPT_FOR, FeedEntry, entries_for, is_listed
from community_app.domain.enums import EventStatus, RsvpStatus
from community_app.domain.models import Event, FeedToken, Group, Member, Rsvp
from community_app.domain.permissions import Actor, can_use_personal_feed, require
from community_app.domain.sessions import MAX_TOKEN_LENGTH, hash_token

TOKEN_BYTES = 32  # 256 bits
# Writing last_used_at on every poll would turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)
# Statuses a personal feed lists, best first when a member holds several places.
LISTED = (RsvpStatus.GOING, RsvpStatus.PENDING, RsvpStatus.WAITLISTED)


@dataclass(frozen=True)
class FeedTokenView:
    created_at: datetime
    last_used_at: datetime | None


@dataclass(frozen=True)
class IssuedFeedToken:
    """The new token, shown once to its member and never again."""

    view: FeedTokenView
    token: str


def _live_tokens(session: Session, member_id: int) -> list[FeedToken]:
    return list(
        session.exec(
            select(FeedToken).where(
                FeedToken.member_id == member_id, col(FeedToken.revoked_at).is_(None)
            )
        ).all()
    )


def _revoke_all(session: Session, member_id: int, now: datetime) -> int:
    live = _live_tokens(session, member_id)
    for token in live:
        token.revoked_at = now
        session.add(token)
    return len(live)


def issue_feed_token(session: Session, *, actor: Actor, now: datetime) -> IssuedFeedToken:
    """Create the member's personal feed token, revoking any previous one (rotation)."""
    require(can_use_personal_feed(actor))
    assert actor.member_id is not None
    rotated = _revoke_all(session, actor.member_id, now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = FeedToken(member_id=actor.member_id, token_hash=hash_token(token), created_at=now)
    session.add(row)
    session.flush()
    record_audit(
        session,
        actor=actor,
        action="rotate_feed_token" if rotated else "create_feed_token",
        target_type="feed_token",
        target_id=row.id,
        now=now,
    )
    return IssuedFeedToken(FeedTokenView(now, None), token)


def revoke_feed_token(session: Session, *, actor: Actor, now: datetime) -> None:
    """Revoke the member's personal feed token: its URL answers 404 from now on."""
    require(can_use_personal_feed(actor))
    assert actor.member_id is not None
    if _revoke_all(session, actor.member_id, now):
        record_audit(
            session,
            actor=actor,
            action="revoke_feed_token",
            target_type="member",
            target_id=actor.member_id,
            now=now,
        )
    session.flush()


def current_feed_token(session: Session, *, actor: Actor) -> FeedTokenView | None:
    """When the member's live token was made and last used (never the token itself)."""
    require(can_use_personal_feed(actor))
    assert actor.member_id is not None
    live = sorted(_live_tokens(session, actor.member_id), key=lambda row: row.created_at)
    if not live:
        return None
    return FeedTokenView(live[-1].created_at, live[-1].last_used_at)


def resolve_feed_token(session: Session, *, token: object, now: datetime) -> int | None:
    """The member behind a live token, recording its use; None for anything else."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    if not token.isascii():
        return None
    row = session.exec(
        select(FeedToken).where(
            FeedToken.token_hash == hash_token(token), col(FeedToken.revoked_at).is_(None)
        )
    ).first()
    if row is None:
        return None
    member = session.get(Member, row.member_id)
    if member is None or member.is_disabled:
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        row.last_used_at = now
        session.add(row)
        session.flush()
    return row.member_id


def personal_feed_entries(session: Session, *, member_id: int, now: datetime) -> list[FeedEntry]:
    """The member's events: going (with the join URL once revealed), pending and
    waitlisted (marked, without it); cancelled events for 30 days after cancelling."""
    rows = session.exec(
        select(Rsvp.event_id, Rsvp.status).where(
            Rsvp.member_id == member_id, col(Rsvp.status).in_(LISTED)
        )
    ).all()
    attendance: dict[int, RsvpStatus] = {}
    for event_id, raw in rows:
        status, known = RsvpStatus(raw), attendance.get(event_id)
        if known is None or LISTED.index(status) < LISTED.index(known):
            attendance[event_id] = status
    if not attendance:
        return []
    events = session.exec(
        select(Event, Group)
        .join(Group, col(Group.id) == col(Event.group_id))
        .where(
            col(Event.id).in_(list(attendance)),
            col(Event.status).in_(EventStatus.public()),
            col(Event.published_at).is_not(None),
            col(Event.ends_at) > now - PAST_KEPT_FOR,
        )
        .order_by(col(Event.starts_at), col(Event.id))
    ).all()
    listed = [(event, group) for event, group in events if is_listed(event, now)]
    return entries_for(session, listed, attendance=attendance, now=now)
