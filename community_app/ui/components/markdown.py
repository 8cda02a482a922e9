"""User-written Markdown, rendered without raw HTML (DESIGN §4).

Fenced code blocks render as plain ``<pre><code>``: Reflex's default code block pulls in
a syntax highlighter with its themes (about 67 KB gzip, a fifth of the event page's
bytes), for something event and idea descriptions hardly ever hold.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

CODE_BLOCK_STYLE = {
    "background": "var(--gray-a3)",
    "border_radius": "var(--radius-3)",
    "padding": "0.75em 1em",
    "margin_y": "1em",
    "overflow_x": "auto",
    "white_space": "pre-wrap",
    "font_family": "var(--code-font-family)",
    "font_size": "0.9em",
}


def _plain_code_block(text: Any, **_props: Any) -> rx.Component:
    """A fenced block as preformatted text (``language`` and other props ignored)."""
    return rx.el.pre(rx.el.code(text), style=CODE_BLOCK_STYLE)


def safe_markdown(content: rx.Var[str] | str) -> rx.Component:
    """People's Markdown, in a box whose tables and code scroll on a phone (responsive.css)."""
    return rx.box(
        rx.markdown(
            content,
            use_raw=False,
            use_math=False,
            use_katex=False,
            component_map={"pre": _plain_code_block},
        ),
        class_name="markdown-body",
        width="100%",
    )
