"""Every word the interface shows comes from the message catalogues, never from a literal.

The UI code is parsed (not run): a Japanese literal anywhere in ``community_app/ui`` outside
docstrings, or a literal with words given to a component as its text or as a label,
placeholder, title or alt, is a string that would show in one language only.
"""

from __future__ import annotations

import ast
import re

import pytest

from community_app.settings import PROJECT_ROOT

pytestmark = pytest.mark.unit

UI = PROJECT_ROOT / "community_app" / "ui"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60]")
WORDS = re.compile(r"[A-Za-z]{2,}")
TEXT_KEYWORDS = {"placeholder", "aria_label", "title", "alt", "label"}
# rx functions whose string arguments are names, colours or code, never shown as text.
NOT_TEXT = {"icon", "color", "cond", "match", "call_script", "redirect", "LocalStorage", "Cookie"}
# The brand is written the same in both languages; example URLs are not words.
ALLOWED = {"集い", "Tsudoi"}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _rx_name(func: ast.expr) -> list[str]:
    parts = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if isinstance(func, ast.Name):
        parts.append(func.id)
    return parts[::-1]


def _shown(value: ast.expr) -> str | None:
    if isinstance(value, ast.JoinedStr):
        return next(filter(None, map(_shown, value.values)), None)
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        text = value.value
        if WORDS.search(text) and text not in ALLOWED and not text.startswith("https://"):
            return text
    return None


def literal_strings(source: str) -> list[tuple[int, str]]:
    """``(line, text)`` of every literal in ``source`` that the interface would show."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and JAPANESE.search(node.value)
            and node.value not in ALLOWED
        ):
            found.append((node.lineno, node.value))
        if isinstance(node, ast.Call):
            name = _rx_name(node.func)
            if not name or name[0] != "rx" or name[-1] in NOT_TEXT:
                continue
            arguments = [*node.args, *(k.value for k in node.keywords if k.arg in TEXT_KEYWORDS)]
            found += [(a.lineno, text) for a in arguments if (text := _shown(a)) is not None]
    return found


def test_the_interface_has_no_literal_strings() -> None:
    offenders = [
        f"{path.relative_to(PROJECT_ROOT)}:{line}: {text!r}"
        for path in sorted(UI.rglob("*.py"))
        for line, text in literal_strings(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "move these to a catalogue in community_app/i18n:\n" + "\n".join(
        offenders
    )


@pytest.mark.parametrize(
    "source",
    [
        'rx.button("Save")',
        'rx.text("保存しました")',
        'rx.input(placeholder="Your name")',
        'rx.el.option("第1 / 1st", value="1")',
        'OPTIONS = [("open", "自由参加")]',
        'x = f"残り{n}席"',
        'rx.heading(f"{n} places left")',
    ],
)
def test_the_check_finds_a_literal(source: str) -> None:
    assert literal_strings(source)


@pytest.mark.parametrize(
    "source",
    [
        'rx.button(tr("account.save"))',
        'rx.icon("calendar")',
        'rx.badge(x, color_scheme=rx.cond(y, "green", "gray"))',
        'rx.input(placeholder="https://example.org/calendar.ics")',
        'def f():\n    """残り3席 in a docstring is documentation."""',
        'rx.text("集い", weight="bold")',
    ],
)
def test_the_check_leaves_code_alone(source: str) -> None:
    assert literal_strings(source) == []
