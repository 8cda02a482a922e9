"""Rendering a mail from its kind's template, in one language, with no I/O but reading
the template files (cached by Jinja after the first use).

Each ``mail_templates/<kind>.<locale>.jinja`` has three blocks: ``subject`` (one line),
``text`` and ``html``. The same file is loaded by two environments: the text one (no
escaping) renders ``subject`` and ``text``; the HTML one, with autoescaping, renders
``html``, so everything a member wrote is escaped in the HTML part whatever the
template says. The layouts ``_layout.txt`` and ``_layout.html`` add the greeting line's
frame and the footer (why the mail came, the unsubscribe link).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup, escape

from community_app.domain.mail_kinds import MailKind
from community_app.i18n import format_datetime, format_range

TEMPLATE_DIR = Path(__file__).resolve().parent / "mail_templates"
MAX_SUBJECT_LENGTH = 300


@dataclass(frozen=True)
class RenderedMail:
    subject: str  # one line, prefixed with the site name
    text: str
    html: str


@pass_context
def _when(context: Any, moment: datetime, timezone: str) -> str:
    """``{{ starts_at|when(timezone) }}``: the date and time in the mail's language."""
    return format_datetime(moment, timezone, context["locale"])


@pass_context
def _span(context: Any, starts_at: datetime, ends_at: datetime, timezone: str) -> str:
    """``{{ span(starts_at, ends_at, timezone) }}``: a start–end range."""
    return format_range(starts_at, ends_at, timezone, context["locale"])


def _paragraphs(text: str) -> Markup:
    """``{{ reason|paragraphs }}`` in HTML: escaped, line breaks kept."""
    return Markup("<br>\n").join(escape(line) for line in str(text).splitlines())


def _environment(*, html: bool) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=html,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
    )
    environment.filters["when"] = _when
    environment.filters["paragraphs"] = _paragraphs if html else str
    environment.globals["span"] = _span
    return environment


_TEXT = _environment(html=False)
_HTML = _environment(html=True)


def one_line(text: str) -> str:
    """Control characters (CR and LF among them) become spaces; runs of space collapse.
    Used for every header value built from what people typed."""
    cleaned = "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)
    return " ".join(cleaned.split())


def _block(environment: Environment, name: str, block: str, context: dict[str, Any]) -> str:
    template = environment.get_template(name)
    return "".join(template.blocks[block](template.new_context(context))).strip()


def render_mail(
    kind: MailKind,
    *,
    locale: str,
    site_name: str,
    context: Mapping[str, Any],
    footer: Mapping[str, Any],
) -> RenderedMail:
    """Render ``kind`` in ``locale``. ``context`` holds the kind's facts; ``footer`` the
    layout's (``site_url``, ``unsubscribe_url``, ``preferences_url``, ``recipient_name``).
    Raises jinja2 errors for a missing template or context value (a programming error
    that ``tests/domain/test_mail_templates.py`` catches for every kind)."""
    name = f"{kind.value}.{locale}.jinja"
    values = {**footer, **context, "locale": locale, "site_name": site_name}
    subject = one_line(_block(_TEXT, name, "subject", values))
    subject = one_line(f"[{site_name}] {subject}")[:MAX_SUBJECT_LENGTH]
    text = _TEXT.get_template("_layout.txt").render(
        values, content=_block(_TEXT, name, "text", values)
    )
    html = _HTML.get_template("_layout.html").render(
        values, content=Markup(_block(_HTML, name, "html", values)), subject=subject
    )
    return RenderedMail(subject=subject, text=text.strip() + "\n", html=html)
