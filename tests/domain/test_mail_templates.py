"""Every registered mail kind renders in Japanese and English from its template, with
everything a member wrote escaped in the HTML part."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from community_app.domain.mail_kinds import CATEGORIES, MailKind
from community_app.domain.mail_render import TEMPLATE_DIR, render_mail
from tests.domain.participation_mail_samples import PARTICIPATION_SAMPLES

pytestmark = pytest.mark.unit

HOSTILE = '<script>alert("x")</script>\r\nBcc: victim@example.org'
START = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

# One sample context per kind: adding a kind without one fails this file on purpose.
SAMPLES: dict[MailKind, dict[str, Any]] = {
    MailKind.TEST: {"requested_by": HOSTILE},
    MailKind.MEMBERSHIP_DECIDED: {
        "group_name": HOSTILE,
        "approved": True,
        "group_path": "/groups/kosodate",
    },
    **PARTICIPATION_SAMPLES,
    MailKind.VERIFY_EMAIL: {
        "verify_path": "/verify-email?token=t",
        "hours": 48,
    },
    MailKind.SIGNUP_EXISTING: {
        "login_path": "/login",
        "reset_path": "/forgot-password",
    },
    MailKind.PASSWORD_RESET: {
        "reset_path": "/reset-password?token=t",
        "minutes": 60,
    },
    MailKind.EMAIL_CHANGE_CONFIRM: {
        "confirm_path": "/confirm-email?token=t",
        "new_address": HOSTILE,
        "hours": 48,
    },
    MailKind.EMAIL_CHANGED: {"new_address": HOSTILE},
}
FOOTER = {
    "site_url": "https://tsudoi.example",
    "recipient_name": "山田 <花子>",
    "unsubscribe_url": "https://tsudoi.example/mail/unsubscribe/1/participation/sig",
    "preferences_url": "https://tsudoi.example/account",
}
KINDS_AND_LOCALES = [(kind, locale) for kind in MailKind for locale in ("ja", "en")]


def test_every_kind_has_a_category_and_a_sample() -> None:
    assert set(CATEGORIES) == set(MailKind)
    assert set(SAMPLES) == set(MailKind)


@pytest.mark.parametrize(("kind", "locale"), KINDS_AND_LOCALES)
def test_every_kind_has_its_template_in_both_languages(kind: MailKind, locale: str) -> None:
    assert (TEMPLATE_DIR / f"{kind.value}.{locale}.jinja").is_file()


@pytest.mark.parametrize(("kind", "locale"), KINDS_AND_LOCALES)
def test_every_kind_renders_subject_text_and_html(kind: MailKind, locale: str) -> None:
    mail = render_mail(
        kind, locale=locale, site_name="Tsudoi", context=SAMPLES[kind], footer=FOOTER
    )

    assert mail.subject.startswith("[Tsudoi] ") and len(mail.subject) > len("[Tsudoi] ")
    assert "\n" not in mail.subject and "\r" not in mail.subject
    assert mail.text.strip() and "<p>" not in mail.text
    assert f'<html lang="{locale}">' in mail.html
    assert FOOTER["unsubscribe_url"] in mail.text and FOOTER["unsubscribe_url"] in mail.html


@pytest.mark.parametrize(("kind", "locale"), KINDS_AND_LOCALES)
def test_what_members_wrote_is_escaped_in_the_html_part(kind: MailKind, locale: str) -> None:
    mail = render_mail(
        kind, locale=locale, site_name="Tsudoi", context=SAMPLES[kind], footer=FOOTER
    )

    assert "<script>" not in mail.html
    assert "山田 &lt;花子&gt;" in mail.html
    if HOSTILE in SAMPLES[kind].values():  # kinds made of links only carry no member text
        assert "&lt;script&gt;" in mail.html
        assert '<script>alert("x")</script>' in mail.text  # plain text needs no escaping


def test_the_languages_differ() -> None:
    context = SAMPLES[MailKind.TEST]
    ja = render_mail(MailKind.TEST, locale="ja", site_name="集い", context=context, footer=FOOTER)
    en = render_mail(MailKind.TEST, locale="en", site_name="集い", context=context, footer=FOOTER)

    assert ja.subject == "[集い] テストメール"
    assert en.subject == "[集い] Test mail"
    assert "さん" in ja.text and "Hello" in en.text


def test_account_mails_have_no_unsubscribe_line() -> None:
    footer = FOOTER | {"unsubscribe_url": ""}
    mail = render_mail(
        MailKind.TEST,
        locale="ja",
        site_name="Tsudoi",
        context=SAMPLES[MailKind.TEST],
        footer=footer,
    )

    assert "停止" not in mail.text and "停止" not in mail.html
    assert footer["preferences_url"] in mail.text
