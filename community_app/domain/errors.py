"""The one user-safe error type: handlers show its message, nothing else is caught broadly."""

from __future__ import annotations


class DomainError(Exception):
    """A rule said no. ``code`` is a stable message key the UI translates."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


class NotFound(DomainError):
    """The object does not exist, or the actor may not know that it exists."""


class PermissionDenied(DomainError):
    """The actor may not do this."""
