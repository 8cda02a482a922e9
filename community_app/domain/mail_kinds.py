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


CATEGORIES: dict[MailKind, MailCategory] = {
    MailKind.TEST: MailCategory.ACCOUNT,
    MailKind.MEMBERSHIP_DECIDED: MailCategory.PARTICIPATION,
}


def category_of(kind: MailKind) -> MailCategory:
    return CATEGORIES[kind]
