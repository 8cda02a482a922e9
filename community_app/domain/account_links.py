"""The pages the account mails link to, and how an address is shown in a notice."""

from __future__ import annotations

from community_app.domain.mail import MailSite

VERIFY_PATH = "/verify-email"
RESET_PATH = "/reset-password"
CONFIRM_EMAIL_PATH = "/confirm-email"
LOGIN_PATH = "/login"
FORGOT_PATH = "/forgot-password"


def link(site: MailSite, path: str, token: str = "") -> str:
    base = site.url.rstrip("/") + path
    return f"{base}?token={token}" if token else base


def masked_address(address: str) -> str:
    """``k***@example.org``: enough for the owner to recognise, little for anyone else."""
    local, _, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else address
