"""Recurring gatherings ("every Saturday 21:00"): a series whose occurrences are real
events, each with its own RSVPs, UID and slug.

An organiser turns one event into a series; its details, hosts, agenda and tiers are
copied to every occurrence. One occurrence can then be moved or cancelled like any
event; "this and following" applies an edit to it and to the later occurrences.
Occurrences created together are not announced one by one to the group's webhooks
(a year of Saturdays would flood a chat channel); the first event's announcement
stands for the series.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from community_app.domain.audit import record_audit
from community_app.domain.enums import EventStatus
from community_app.domain.errors import DomainError
from community_app.domain.event_editing import (
    EditResult,
    copy_details,
    slug_is_taken,
    update_event,
)
from community_app.domain.events import new_event_uid
from community_app.domain.models import Event, Series
from community_app.domain.permissions import Actor, can_review_proposals, is_signed_in, require
from community_app.domain.proposals import locked_event
from community_app.domain.recurrence import WEEKDAY_CODES, occurrence_starts, parse_rule, to_rrule
from community_app.domain.slugs import unique_slug

REPEATABLE = frozenset({EventStatus.APPROVED, EventStatus.DRAFT})


@dataclass(frozen=True)
class SeriesResult:
    series_id: int
    created: int  # occurrences added after the first event


def repeat_event(
    session: Session,
    *,
    actor: Actor,
    event_id: int,
    rule: Mapping[str, object],
    now: datetime,
) -> SeriesResult:
    """Make ``event`` the first occurrence of a series following ``rule`` (the values of
    ``recurrence.parse_rule``; the weekday defaults to the event's own)."""
    require(is_signed_in(actor))
    event = locked_event(session, event_id)
    require(can_review_proposals(actor, event.group_id))
    if event.status not in REPEATABLE or event.series_id is not None:
        raise DomainError("cannot_repeat")
    if not isinstance(rule, Mapping):
        raise DomainError("invalid_recurrence")
    zone = ZoneInfo(event.timezone)
    weekday = rule.get("weekday") or WEEKDAY_CODES[event.starts_at.astimezone(zone).weekday()]
    parsed = parse_rule(
        frequency=rule.get("frequency"),
        weekday=weekday,
        interval=rule.get("interval", 1),
        nth=rule.get("nth"),
        until=rule.get("until"),
        count=rule.get("count"),
    )
    starts = [s for s in occurrence_starts(parsed, event.starts_at, event.timezone) if s > now]
    starts = [s for s in starts if s != event.starts_at]
    series = Series(
        group_id=event.group_id,
        title=event.title,
        rrule=to_rrule(parsed, event.timezone),
        timezone=event.timezone,
        created_at=now,
    )
    session.add(series)
    session.flush()
    event.series_id = series.id
    session.add(event)
    duration = event.ends_at - event.starts_at
    for start in starts:
        _add_occurrence(session, event, start=start, duration=duration, now=now)
    record_audit(
        session,
        actor=actor,
        action="repeat_event",
        target_type="event",
        target_id=event.id,
        detail=f"{series.rrule} (+{len(starts)})",
        now=now,
    )
    session.flush()
    return SeriesResult(series.id or 0, len(starts))


def _add_occurrence(
    session: Session, template: Event, *, start: datetime, duration: timedelta, now: datetime
) -> Event:
    local_day = start.astimezone(ZoneInfo(template.timezone)).date().isoformat()
    occurrence = Event(
        **template.model_dump(
            exclude={"id", "uid", "slug", "starts_at", "ends_at", "sequence", "created_at",
                     "updated_at", "published_at", "cancelled_at", "status_reason",
                     "recap_summary", "recap_posted_at"},
        )
        | {
            "uid": new_event_uid(),
            "slug": unique_slug(
                f"{template.slug}-{local_day}", is_taken=lambda s: slug_is_taken(session, s)
            ),
            "starts_at": start,
            "ends_at": start + duration,
            "created_at": now,
            "updated_at": now,
            "published_at": now if template.status == EventStatus.APPROVED else None,
        },
    )  # fmt: skip
    session.add(occurrence)
    session.flush()
    copy_details(session, template, occurrence)
    return occurrence


def following_occurrences(session: Session, event: Event) -> list[Event]:
    """The later occurrences of the event's series that can still change."""
    if event.series_id is None:
        return []
    return list(
        session.exec(
            select(Event)
            .where(
                Event.series_id == event.series_id,
                col(Event.starts_at) > event.starts_at,
                col(Event.status).in_(REPEATABLE),
            )
            .order_by(col(Event.starts_at))
        ).all()
    )


def _shifted(
    form: Mapping[str, object], day_shift: timedelta, occurrence_day: date
) -> dict[str, object]:
    """The form moved to one occurrence: its own date (plus the day shift of the edit),
    the new times of day, and the same length in days."""
    values = dict(form)
    start_day = date.fromisoformat(str(form.get("start_date", "")))
    end_text = str(form.get("end_date") or start_day.isoformat())
    length = date.fromisoformat(end_text) - start_day
    new_day = occurrence_day + day_shift
    values["start_date"] = new_day.isoformat()
    values["end_date"] = (new_day + length).isoformat()
    return values


def update_this_and_following(
    session: Session, *, actor: Actor, event_id: int, form: Mapping[str, object], now: datetime
) -> list[EditResult]:
    """Apply an edit to one occurrence and every later one of its series. A change of
    date moves each later occurrence by the same number of days; a change of time of day
    gives them the same new times. Each occurrence bumps its own SEQUENCE when the edit
    is material for it, and tells its own attendees."""
    require(is_signed_in(actor))
    event = locked_event(session, event_id)
    zone = ZoneInfo(event.timezone)
    old_day = event.starts_at.astimezone(zone).date()
    later = following_occurrences(session, event)
    results = [update_event(session, actor=actor, event_id=event.id or 0, form=form, now=now)]
    try:
        day_shift = date.fromisoformat(str(form.get("start_date", ""))) - old_day
    except ValueError:
        raise DomainError("invalid_start") from None
    for occurrence in later:
        day = occurrence.starts_at.astimezone(ZoneInfo(occurrence.timezone)).date()
        results.append(
            update_event(
                session,
                actor=actor,
                event_id=occurrence.id or 0,
                form=_shifted(form, day_shift, day),
                now=now,
            )
        )
    return results
