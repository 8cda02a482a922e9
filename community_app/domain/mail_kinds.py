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
    # Taking part (participation_mail): the member's own RSVP and what organisers decide.
    RSVP_GOING = "rsvp_going"
    RSVP_WAITLISTED = "rsvp_waitlisted"
    RSVP_PENDING = "rsvp_pending"
    RSVP_APPLIED = "rsvp_applied"  # applied to a lottery tier
    RSVP_PROMOTED = "rsvp_promoted"  # from the waitlist to going
    RSVP_APPROVED = "rsvp_approved"  # a pending RSVP approved (going, or the waitlist)
    RSVP_DECLINED = "rsvp_declined"
    LOTTERY_WON = "lottery_won"
    LOTTERY_LOST = "lottery_lost"  # on the waitlist in drawn order
    RSVP_CANCELLED = "rsvp_cancelled"  # the member's own cancellation
    RSVP_REMOVED = "rsvp_removed"  # an organiser took the member off the event
    RSVP_MOVED = "rsvp_moved"  # an organiser moved the member to another tier
    SERIES_JOINED = "series_joined"  # "join every occurrence": one mail for all dates
    EVENT_CHANGED = "event_changed"  # a material change of an event they take part in
    EVENT_CANCELLED = "event_cancelled"
    PROPOSAL_DECIDED = "proposal_decided"  # approved, declined or changes requested
    IDEA_SCHEDULED = "idea_scheduled"  # an idea they support or joined became an event
    VERIFY_EMAIL = "verify_email"  # the link that confirms a new member's address
    SIGNUP_EXISTING = "signup_existing"  # someone signed up with an address that has an account
    PASSWORD_RESET = "password_reset"  # the link to choose a new password
    EMAIL_CHANGE_CONFIRM = "email_change_confirm"  # to the new address: open to switch to it
    EMAIL_CHANGED = "email_changed"  # to the old address: the account moved to another one


CATEGORIES: dict[MailKind, MailCategory] = {
    MailKind.TEST: MailCategory.ACCOUNT,
    MailKind.MEMBERSHIP_DECIDED: MailCategory.PARTICIPATION,
    **{
        kind: MailCategory.PARTICIPATION
        for kind in (
            MailKind.RSVP_GOING,
            MailKind.RSVP_WAITLISTED,
            MailKind.RSVP_PENDING,
            MailKind.RSVP_APPLIED,
            MailKind.RSVP_PROMOTED,
            MailKind.RSVP_APPROVED,
            MailKind.RSVP_DECLINED,
            MailKind.LOTTERY_WON,
            MailKind.LOTTERY_LOST,
            MailKind.RSVP_CANCELLED,
            MailKind.RSVP_REMOVED,
            MailKind.RSVP_MOVED,
            MailKind.SERIES_JOINED,
        )
    },
    MailKind.EVENT_CHANGED: MailCategory.EVENT_CHANGES,
    MailKind.EVENT_CANCELLED: MailCategory.EVENT_CHANGES,
    MailKind.PROPOSAL_DECIDED: MailCategory.PROPOSALS,
    MailKind.IDEA_SCHEDULED: MailCategory.IDEAS,
    MailKind.VERIFY_EMAIL: MailCategory.ACCOUNT,
    MailKind.SIGNUP_EXISTING: MailCategory.ACCOUNT,
    MailKind.PASSWORD_RESET: MailCategory.ACCOUNT,
    MailKind.EMAIL_CHANGE_CONFIRM: MailCategory.ACCOUNT,
    MailKind.EMAIL_CHANGED: MailCategory.ACCOUNT,
}


def category_of(kind: MailKind) -> MailCategory:
    return CATEGORIES[kind]
