"""The registry of mail kinds: each kind has a category (which decides whether a member
may turn it off) and one template per language in ``mail_templates/``.

To add a kind: add a ``MailKind`` member, its category in ``CATEGORIES``, the templates
``mail_templates/<kind>.ja.jinja`` and ``<kind>.en.jinja`` (blocks ``subject``, ``text``
and ``html``), and a sample context in ``tests/domain/test_mail_templates.py``.
"""

from __future__ import annotations

from enum import StrEnum

from community_app.domain.enums import MailCategory


class MailKind(StrEnum):
    TEST = "test"  # an admin's test mail (always sent: it checks the setup)
    MEMBERSHIP_DECIDED = "membership_decided"  # a group join request approved or declined
    VERIFY_EMAIL = "verify_email"  # the link that confirms a new member's address
    SIGNUP_EXISTING = "signup_existing"  # someone signed up with an address that has an account
    PASSWORD_RESET = "password_reset"  # the link to choose a new password
    EMAIL_CHANGE_CONFIRM = "email_change_confirm"  # to the new address: open to switch to it
    EMAIL_CHANGED = "email_changed"  # to the old address: the account moved to another one


CATEGORIES: dict[MailKind, MailCategory] = {
    MailKind.TEST: MailCategory.ACCOUNT,
    MailKind.MEMBERSHIP_DECIDED: MailCategory.PARTICIPATION,
    MailKind.VERIFY_EMAIL: MailCategory.ACCOUNT,
    MailKind.SIGNUP_EXISTING: MailCategory.ACCOUNT,
    MailKind.PASSWORD_RESET: MailCategory.ACCOUNT,
    MailKind.EMAIL_CHANGE_CONFIRM: MailCategory.ACCOUNT,
    MailKind.EMAIL_CHANGED: MailCategory.ACCOUNT,
}


def category_of(kind: MailKind) -> MailCategory:
    return CATEGORIES[kind]
