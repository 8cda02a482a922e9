"""The pages the account mails link to, and how an address is shown in a notice.

Mails carry paths; the templates put the site's URL in front (docs/mail.md)."""

from __future__ import annotations

VERIFY_PATH = "/verify-email"
RESET_PATH = "/reset-password"
CONFIRM_EMAIL_PATH = "/confirm-email"
LOGIN_PATH = "/login"
FORGOT_PATH = "/forgot-password"


def with_token(path: str, token: str) -> str:
    return f"{path}?token={token}"


def masked_address(address: str) -> str:
    """``k***@example.org``: enough for the owner to recognise, little for anyone else."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else address
