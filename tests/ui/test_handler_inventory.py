"""Every event handler of the app declares who may call it (DESIGN §4)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from reflex.state import BaseState, State

import community_app.community_app  # noqa: F401  (registers every page and state)
from community_app.ui.policy import Access, declared_access

pytestmark = pytest.mark.unit

# `setvar` is Reflex's generic setter: it can only call `set_<name>` handlers, which are
# themselves declared below (automatic setters are off in Reflex 0.10).
REFLEX_GENERIC = {"setvar"}


def _states(cls: type[BaseState]) -> Iterator[type[BaseState]]:
    yield cls
    for sub in cls.get_substates():
        yield from _states(sub)


def app_handlers() -> dict[str, Access | None]:
    found: dict[str, Access | None] = {}
    for state in _states(State):
        if not state.__module__.startswith("community_app"):
            continue  # Reflex's own internal states
        for name, event_handler in state.event_handlers.items():
            if name not in REFLEX_GENERIC:
                found[f"{state.__name__}.{name}"] = declared_access(event_handler.fn)
    return found


def test_the_app_has_handlers_to_check() -> None:
    assert "HomeState.load" in app_handlers()


def test_every_handler_declares_its_access_policy() -> None:
    undeclared = sorted(name for name, access in app_handlers().items() if access is None)
    assert undeclared == [], f"handlers without a declared policy: {undeclared}"


def test_no_automatic_setters_exist() -> None:
    for state in _states(State):
        if state.__module__.startswith("community_app"):
            automatic = [
                name
                for name, event_handler in state.event_handlers.items()
                if name.startswith("set_") and declared_access(event_handler.fn) is None
            ]
            assert automatic == [], f"{state.__name__} has undeclared setters {automatic}"
