"""User-written Markdown, rendered without raw HTML (DESIGN §4)."""

from __future__ import annotations

import reflex as rx


def safe_markdown(content: rx.Var[str] | str) -> rx.Component:
    return rx.markdown(content, use_raw=False, use_math=False, use_katex=False)
