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
from community_app.ui.group_actions import act_as, actor_for


@dataclass(frozen=True)
class AdminData:
    groups: list[AdminGroupRow]
    members: list[AdminMemberRow]


def load(*, token: object) -> AdminData:
    now = datetime.now(UTC)
    with write_session() as session:
        actor = actor_for(session, token, now)
        return AdminData(
            admin.list_groups_for_admin(session, actor=actor),
            admin.list_members_for_admin(session, actor=actor),
        )


def create_group(*, token: object, fields: dict[str, str]) -> str:
    """Returns the new group's slug."""
    return act_as(token, groups.create_group, **fields).slug


def appoint(*, token: object, group_id: object, member_id: object) -> None:
    act_as(token, admin.appoint_organiser, group_id=group_id, member_id=member_id)


def demote(*, token: object, group_id: object, member_id: object) -> None:
    act_as(token, admin.demote_organiser, group_id=group_id, member_id=member_id)


def set_disabled(*, token: object, member_id: object, disabled: object) -> None:
    act_as(token, admin.set_member_disabled, member_id=member_id, disabled=disabled)
