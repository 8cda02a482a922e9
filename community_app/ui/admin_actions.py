"""Blocking work of the admin page, run through ``asyncio.to_thread``.

Every function rebuilds the actor from the session token; the domain verbs refuse
anyone who is not a site admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from community_app.db import write_session
from community_app.domain import admin, groups
from community_app.domain.admin import AdminGroupRow, AdminMemberRow
from community_app.ui.group_actions import actor_for


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AdminData:
    groups: list[AdminGroupRow]
    members: list[AdminMemberRow]


def load(*, token: object) -> AdminData:
    now = _now()
    with write_session() as session:
        actor = actor_for(session, token, now)
        return AdminData(
            admin.list_groups_for_admin(session, actor=actor),
            admin.list_members_for_admin(session, actor=actor),
        )


def create_group(*, token: object, fields: dict[str, str]) -> str:
    """Returns the new group's slug."""
    now = _now()
    with write_session() as session:
        group = groups.create_group(
            session,
            actor=actor_for(session, token, now),
            name=fields["name"],
            name_en=fields["name_en"],
            slug=fields["slug"],
            description=fields["description"],
            description_en=fields["description_en"],
            timezone=fields["timezone"],
            join_policy=fields["join_policy"],  # type: ignore[arg-type]  (validated)
            now=now,
        )
        return group.slug


def appoint(*, token: object, group_id: object, member_id: object) -> None:
    now = _now()
    with write_session() as session:
        admin.appoint_organiser(
            session,
            actor=actor_for(session, token, now),
            group_id=group_id,  # type: ignore[arg-type]  (validated by the verb)
            member_id=member_id,  # type: ignore[arg-type]
            now=now,
        )


def demote(*, token: object, group_id: object, member_id: object) -> None:
    now = _now()
    with write_session() as session:
        admin.demote_organiser(
            session,
            actor=actor_for(session, token, now),
            group_id=group_id,  # type: ignore[arg-type]
            member_id=member_id,  # type: ignore[arg-type]
            now=now,
        )


def set_disabled(*, token: object, member_id: object, disabled: object) -> None:
    now = _now()
    with write_session() as session:
        admin.set_member_disabled(
            session,
            actor=actor_for(session, token, now),
            member_id=member_id,  # type: ignore[arg-type]
            disabled=disabled,  # type: ignore[arg-type]
            now=now,
        )
