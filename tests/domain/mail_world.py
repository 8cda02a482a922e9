"""Shared by the mail tests: a fixed site (so tests read no settings) and helpers."""

from __future__ import annotations

from community_app.domain.mail import MailSite

SITE = MailSite(
    name="Tsudoi",
    url="https://tsudoi.example",
    secret="mail-test-secret-that-is-long-enough-0123456789",
    mail_domain="tsudoi.example",
)
