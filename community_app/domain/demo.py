"""Demo content for a fresh site: people, groups, events, a weekly series and ideas.

`seed_demo` builds everything relative to an explicit ``now`` so the site always shows
upcoming events, and does nothing on a database that already holds members or groups.
The content itself lives in `demo_content.py`; this module only turns it into rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from community_app.domain import demo_content as content
from community_app.domain.enums import (
    EventFormat,
    EventKind,
    EventStatus,
    GroupRole,
    JoinPolicy,
    MembershipStatus,
    RsvpStatus,
    TierAllocation,
)
from community_app.domain.events import new_event_uid
from community_app.domain.models import (
    AgendaItem,
    AuditLogEntry,
    Comment,
    Event,
    EventHost,
    EventTag,
    EventTransition,
    Group,
    IdeaSupport,
    Member,
    Membership,
    Notification,
    ParticipationTier,
    ProjectIdea,
    RecapLink,
    Rsvp,
    Series,
)
from community_app.domain.passwords import hash_password
from community_app.domain.slugs import unique_slug

DEMO_PASSWORD = "tsudoi-demo-2026"
DEMO_TIMEZONE = "Asia/Tokyo"
TOKYO = ZoneInfo(DEMO_TIMEZONE)

# from, to, actor key, reason, at
_Step = tuple[EventStatus | None, EventStatus, str | None, str, datetime]
_SEATED = frozenset({RsvpStatus.GOING, RsvpStatus.ATTENDED, RsvpStatus.NO_SHOW})
_AFTER_THE_EVENT = frozenset({RsvpStatus.ATTENDED, RsvpStatus.NO_SHOW})


@dataclass(frozen=True)
class DemoAccount:
    role: str  # "admin" | "organiser" | "member"
    email: str
    display_name: str


@dataclass(frozen=True)
class DemoSummary:
    created: bool  # False when the database already had data and nothing was done
    accounts: tuple[DemoAccount, ...]
    groups: int  # rows created by this call (0 when nothing was done)
    events: int
    ideas: int


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = tuple(
    DemoAccount(role=role, email=email, display_name=name)
    for _key, role, email, name in content.ACCOUNTS
)


def has_any_data(session: Session) -> bool:
    """True when any Member or Group row exists."""
    if session.exec(select(Member.id).limit(1)).first() is not None:
        return True
    return session.exec(select(Group.id).limit(1)).first() is not None


def seed_demo(session: Session, *, now: datetime, password_hash: str | None = None) -> DemoSummary:
    """Create the demo content relative to `now` (aware datetime).

    Idempotent: if has_any_data(session) it creates nothing and returns created=False
    with the accounts list still filled. Adds and flushes; does NOT commit (caller
    commits). Every demo account gets the same hash of DEMO_PASSWORD unless
    ``password_hash`` is given (tests pass a cheap one; Argon2 is slow).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    if has_any_data(session):
        return DemoSummary(created=False, accounts=DEMO_ACCOUNTS, groups=0, events=0, ideas=0)
    builder = _Builder(
        session,
        now=now.astimezone(UTC),
        password_hash=password_hash or hash_password(DEMO_PASSWORD),
    )
    builder.build()
    return DemoSummary(
        created=True,
        accounts=DEMO_ACCOUNTS,
        groups=len(builder.groups),
        events=len(builder.events),
        ideas=len(builder.ideas),
    )


def local_datetime(day: date, hour_minute: tuple[int, int]) -> datetime:
    """``day`` at ``hour:minute`` wall-clock time in Asia/Tokyo, as an aware UTC datetime."""
    return datetime.combine(day, time(*hour_minute), tzinfo=TOKYO).astimezone(UTC)


def series_days(now: datetime, *, start: tuple[int, int], past: int, upcoming: int) -> list[date]:
    """Saturdays (Tokyo) around ``now``: ``past`` already started, then ``upcoming`` ahead."""
    today = now.astimezone(TOKYO).date()
    first = today + timedelta(days=(content.SATURDAY - today.weekday()) % 7)
    if local_datetime(first, start) <= now:
        first += timedelta(weeks=1)
    return [first + timedelta(weeks=week) for week in range(-past, upcoming)]


def _row_id(row: Any) -> int:
    """The primary key of a flushed row."""
    assert row.id is not None, "flush before using the id"
    return int(row.id)


def _event_day(now: datetime, spec: dict[str, Any]) -> date:
    day = now.astimezone(TOKYO).date() + timedelta(days=spec["day"])
    if "weekday" in spec:
        day += timedelta(days=(spec["weekday"] - day.weekday()) % 7)
    return day


class _Builder:
    """Adds the demo rows in dependency order, remembering ids by content key."""

    def __init__(self, session: Session, *, now: datetime, password_hash: str) -> None:
        self.session = session
        self.now = now
        self.password_hash = password_hash
        self.members: dict[str, Member] = {}
        self.groups: dict[str, Group] = {}
        self.ideas: dict[str, ProjectIdea] = {}
        self.events: dict[str, Event] = {}  # by slug
        self.events_by_title: dict[str, Event] = {}

    def build(self) -> None:
        self._add_members()
        self._add_groups()
        self._add_ideas()
        self._add_series()
        for spec in content.EVENTS:
            self._add_event(spec, day=_event_day(self.now, spec), slug_text=spec["title"])
        self._add_notifications()
        self.session.add(
            AuditLogEntry(
                actor_id=self._id("admin"),
                action="seed_demo",
                target_type="site",
                detail=(
                    f"demo content: {len(self.members)} accounts, {len(self.groups)} groups, "
                    f"{len(self.events)} events, {len(self.ideas)} ideas"
                ),
                at=self.now,
            )
        )
        self.session.flush()

    def _id(self, key: str | None) -> int | None:
        return None if key is None else self._pk(key)

    def _pk(self, key: str) -> int:
        return _row_id(self.members[key])

    def _flush(self, *rows: Any) -> None:
        self.session.add_all(rows)
        self.session.flush()

    def _add_members(self) -> None:
        joined = self.now - timedelta(days=120)
        for key, role, email, name in content.ACCOUNTS:
            self.members[key] = Member(
                email=email,
                display_name=name,
                password_hash=self.password_hash,
                is_admin=role == "admin",
                created_at=joined,
                updated_at=joined,
            )
        self._flush(*self.members.values())

    def _add_groups(self) -> None:
        founded = self.now - timedelta(days=100)
        for spec in content.GROUPS:
            group = Group(
                slug=spec["slug"],
                name=spec["name"],
                name_en=spec["name_en"],
                description=spec["description"],
                description_en=spec["description_en"],
                timezone=DEMO_TIMEZONE,
                join_policy=spec["join_policy"],
                created_at=founded,
                updated_at=founded,
            )
            self._flush(group)
            self.groups[spec["slug"]] = group
            self._add_memberships(group, spec, since=founded)
        self.session.flush()

    def _add_memberships(self, group: Group, spec: dict[str, Any], *, since: datetime) -> None:
        """Organisers and members are active; in an approval group an organiser let them in."""
        active, pending = MembershipStatus.ACTIVE, MembershipStatus.PENDING
        people = [(key, GroupRole.ORGANISER, active) for key in spec["organisers"]]
        people += [(key, GroupRole.MEMBER, active) for key in spec["members"]]
        people += [(key, GroupRole.MEMBER, pending) for key in spec.get("pending", [])]
        by_approval = spec["join_policy"] == JoinPolicy.APPROVAL
        for position, (key, role, status) in enumerate(people):
            # a pending request is recent; the others joined when the group started
            applied = since + timedelta(days=position)
            if status == pending:
                applied = self.now - timedelta(days=1)
            decided = by_approval and role == GroupRole.MEMBER and status == active
            self.session.add(
                Membership(
                    group_id=_row_id(group),
                    member_id=self._pk(key),
                    role=role,
                    status=status,
                    decided_by_id=self._id(spec["organisers"][0]) if decided else None,
                    decided_at=applied + timedelta(days=1) if decided else None,
                    created_at=applied,
                )
            )

    def _add_ideas(self) -> None:
        taken: set[str] = set()
        for spec in content.IDEAS:
            created = self.now - timedelta(days=spec["days_ago"])
            slug = unique_slug(spec["title"], is_taken=taken.__contains__)
            taken.add(slug)
            idea = ProjectIdea(
                slug=slug,
                group_id=_row_id(self.groups[spec["group"]]),
                author_id=self._id(spec["author"]),
                title=spec["title"],
                description=spec["description"],
                help_needed=spec["help_needed"],
                status=spec["status"],
                support_threshold=spec["threshold"],
                created_at=created,
                updated_at=created + timedelta(hours=6 * len(spec["supports"])),
            )
            self._flush(idea)
            self.ideas[spec["key"]] = idea
            for number, (key, kind, role) in enumerate(spec["supports"], start=1):
                self.session.add(
                    IdeaSupport(
                        idea_id=_row_id(idea),
                        member_id=self._pk(key),
                        kind=kind,
                        role=role,
                        created_at=created + timedelta(hours=6 * number),
                    )
                )
            self._add_comments(spec, since=created, idea_id=idea.id)
        self.session.flush()

    def _add_series(self) -> None:
        spec = content.SERIES
        series = Series(
            group_id=_row_id(self.groups[spec["group"]]),
            title=spec["title"],
            rrule=spec["rrule"],
            timezone=DEMO_TIMEZONE,
            created_at=self.now - timedelta(days=60),
        )
        self._flush(series)
        days = series_days(
            self.now, start=spec["start"], past=spec["past"], upcoming=spec["upcoming"]
        )
        for index, day in enumerate(days):
            theme = spec["themes"][index % len(spec["themes"])]
            occurrence = {
                **spec,
                "summary": f"今週のテーマ:{theme}",
                "description": content.SERIES_DESCRIPTIONS[index % len(spec["themes"])],
                "kind": EventKind.ONLINE_EXCHANGE,
                "format": EventFormat.ONLINE,
                "status": EventStatus.APPROVED,
                "created_days_ago": 30,
                "rsvps": spec["rsvps"].get(index, []),
            }
            self._add_event(
                occurrence,
                day=day,
                slug_text=f"{spec['title']} {day.isoformat()}",
                series_id=_row_id(series),
            )

    def _add_event(
        self, spec: dict[str, Any], *, day: date, slug_text: str, series_id: int | None = None
    ) -> Event:
        starts = local_datetime(day, spec["start"])
        created = min(
            self.now - timedelta(days=spec.get("created_days_ago", 10)),
            starts - timedelta(days=14),
        )
        history = self._history(spec, created)
        published = next((at for _f, to, _a, _r, at in history if to == EventStatus.APPROVED), None)
        cancelled = history[-1][4] if spec["status"] == EventStatus.CANCELLED else None
        slug = unique_slug(slug_text, is_taken=self.events.__contains__)
        idea_key = spec.get("idea")
        event = Event(
            uid=new_event_uid(),
            slug=slug,
            group_id=_row_id(self.groups[spec["group"]]),
            proposer_id=self._id(spec["proposer"]),
            series_id=series_id,
            idea_id=_row_id(self.ideas[idea_key]) if idea_key else None,
            title=spec["title"],
            summary=spec["summary"],
            description=spec["description"],
            kind=spec["kind"],
            format=spec["format"],
            status=spec["status"],
            starts_at=starts,
            ends_at=starts + timedelta(minutes=spec["minutes"]),
            timezone=DEMO_TIMEZONE,
            venue_name=spec.get("venue", ""),
            venue_address=spec.get("address", ""),
            online_platform=spec.get("platform", ""),
            join_url=spec.get("join_url", ""),
            requires_approval=spec.get("requires_approval", False),
            sequence=1 if cancelled else 0,
            status_reason=spec.get("status_reason", ""),
            published_at=published,
            cancelled_at=cancelled,
            recap_summary=spec.get("recap", ""),
            recap_posted_at=starts + timedelta(days=1) if spec.get("recap") else None,
            created_at=created,
            updated_at=history[-1][4],
        )
        self._flush(event)
        for position, (kind, link, label) in enumerate(spec.get("recap_links", [])):
            self.session.add(
                RecapLink(
                    event_id=_row_id(event), kind=kind, url=link, label=label, position=position
                )
            )
        self.events[slug] = event
        self.events_by_title.setdefault(spec["title"], event)
        for from_status, to_status, actor, reason, at in history:
            self.session.add(
                EventTransition(
                    event_id=_row_id(event),
                    actor_id=self._id(actor),
                    from_status=from_status,
                    to_status=to_status,
                    reason=reason,
                    at=at,
                )
            )
        self._add_event_details(event, spec, day=day, since=published or created)
        return event

    def _history(self, spec: dict[str, Any], created: datetime) -> list[_Step]:
        """The transitions that lead to the spec's status, oldest first."""
        proposer, approver = spec["proposer"], spec.get("approver")
        status = spec["status"]
        steps: list[_Step] = [(None, EventStatus.DRAFT, proposer, "", created)]
        if status == EventStatus.DRAFT:
            return steps
        steps.append(
            (EventStatus.DRAFT, EventStatus.SUBMITTED, proposer, "", created + timedelta(hours=2))
        )
        if status == EventStatus.SUBMITTED:
            return steps
        steps.append(
            (EventStatus.SUBMITTED, EventStatus.APPROVED, approver, "", created + timedelta(days=1))
        )
        if status == EventStatus.CANCELLED:
            at = self.now - timedelta(days=spec["cancelled_days_ago"])
            steps.append(
                (EventStatus.APPROVED, EventStatus.CANCELLED, approver, spec["status_reason"], at)
            )
        return steps

    def _add_event_details(
        self, event: Event, spec: dict[str, Any], *, day: date, since: datetime
    ) -> None:
        for tag in spec.get("tags", []):
            self.session.add(EventTag(event_id=_row_id(event), tag=tag))
        for position, (name, role, affiliation, key) in enumerate(spec.get("hosts", [])):
            self.session.add(
                EventHost(
                    event_id=_row_id(event),
                    member_id=self._id(key),
                    name=name,
                    role=role,
                    affiliation=affiliation,
                    position=position,
                )
            )
        for position, (title, speaker, minutes) in enumerate(spec.get("agenda", [])):
            self.session.add(
                AgendaItem(
                    event_id=_row_id(event),
                    position=position,
                    title=title,
                    speaker=speaker,
                    duration_minutes=minutes,
                )
            )
        tiers = [self._tier(event, tier, number, day) for number, tier in enumerate(spec["tiers"])]
        self._flush(*tiers)
        self._add_rsvps(event, tiers, spec.get("rsvps", []), since=since)
        self._add_comments(spec, since=since, event_id=event.id)
        self.session.flush()

    def _tier(
        self, event: Event, spec: dict[str, Any], position: int, day: date
    ) -> ParticipationTier:
        allocation = spec.get("allocation", TierAllocation.FIRST_COME)
        draw_at = None
        if allocation == TierAllocation.LOTTERY:
            draw_at = local_datetime(day - timedelta(days=spec["draw_days_before"]), (12, 0))
        return ParticipationTier(
            event_id=_row_id(event),
            name=spec["name"],
            name_en=spec["name_en"],
            capacity=spec["capacity"],
            allocation=allocation,
            is_online=spec.get("online", False),
            lottery_draw_at=draw_at,
            position=position,
            created_at=event.created_at,
        )

    def _add_rsvps(
        self,
        event: Event,
        tiers: list[ParticipationTier],
        rsvps: list[tuple[int, str, RsvpStatus]],
        *,
        since: datetime,
    ) -> None:
        """Add RSVPs in queue order, refusing content that would overbook a tier."""
        seated = [0] * len(tiers)
        for number, (index, key, status) in enumerate(rsvps, start=1):
            tier = tiers[index]
            full = tier.capacity is not None and seated[index] >= tier.capacity
            if status in _SEATED and full:
                raise ValueError(f"demo content overbooks {tier.name!r} of {event.title!r}")
            if status == RsvpStatus.WAITLISTED and not full:
                raise ValueError(f"demo waitlist on a tier with free seats: {event.title!r}")
            if status in _AFTER_THE_EVENT and event.starts_at > self.now:
                raise ValueError(f"check-in status before the event: {event.title!r}")
            seated[index] += status in _SEATED
            queued = since + timedelta(hours=number)
            self.session.add(
                Rsvp(
                    event_id=_row_id(event),
                    tier_id=_row_id(tier),
                    member_id=self._pk(key),
                    status=status,
                    queued_at=queued,
                    checked_in_at=(
                        event.starts_at + timedelta(minutes=5)
                        if status == RsvpStatus.ATTENDED
                        else None
                    ),
                    created_at=queued,
                    updated_at=(
                        min(queued + timedelta(days=1), self.now)
                        if status == RsvpStatus.CANCELLED
                        else queued
                    ),
                )
            )

    def _add_comments(
        self,
        spec: dict[str, Any],
        *,
        since: datetime,
        event_id: int | None = None,
        idea_id: int | None = None,
    ) -> None:
        for number, (key, body) in enumerate(spec.get("comments", []), start=1):
            self.session.add(
                Comment(
                    author_id=self._id(key),
                    event_id=event_id,
                    idea_id=idea_id,
                    body=body,
                    created_at=min(since + timedelta(days=number), self.now),
                )
            )

    def _add_notifications(self) -> None:
        for key, kind, target, message, is_read in content.NOTIFICATIONS:
            idea = self.ideas.get(target)
            event = self.events_by_title.get(target)
            if idea is not None:
                at = idea.updated_at
            elif event is not None:
                at = event.updated_at
            else:
                at = self.now - timedelta(days=30)
            self.session.add(
                Notification(
                    member_id=self._pk(key),
                    kind=kind,
                    event_id=_row_id(event) if event is not None else None,
                    idea_id=_row_id(idea) if idea is not None else None,
                    message=message,
                    created_at=at,
                    read_at=at + timedelta(hours=1) if is_read else None,
                )
            )
