"""Every event handler declares who may call it; a test fails when one does not.

Any websocket client can call any public state method with any arguments (DESIGN §4),
so the declaration is documentation for reviewers and the inventory test, while the
actual check happens on the server: handlers resolve the actor from the session token
and the domain verbs enforce the permission predicates.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

import reflex as rx

F = TypeVar("F", bound=Callable[..., Any])
POLICY_ATTRIBUTE = "_tsudoi_access"


class Access(StrEnum):
    PUBLIC = "public"  # anyone; reads public data or changes only this browser's view
    SIGNED_IN = "signed_in"  # a valid session; acts on the member's own data
    ORGANISER = "organiser"  # organiser of the group concerned (or admin), checked per object
    ADMIN = "admin"  # site admin


def handler(access: Access) -> Callable[[F], F]:
    """Register ``fn`` as a Reflex event handler that declares its ``access`` policy."""

    def decorate(fn: F) -> F:
        setattr(fn, POLICY_ATTRIBUTE, access)
        return rx.event(fn)  # type: ignore[no-any-return]

    return decorate


def declared_access(fn: Callable[..., Any]) -> Access | None:
    return getattr(fn, POLICY_ATTRIBUTE, None)
