"""User-written Markdown, rendered without raw HTML (DESIGN §4).

Images show only from the site itself (a path such as ``/logo.png``): a remote image
would load in every reader's browser and tell its author who read the page (a tracking
pixel), so it is shown as a link instead. The Content-Security-Policy (img-src 'self')
blocks any that slipped through.

Fenced code blocks render as plain ``<pre><code>``: Reflex's default code block pulls in
a syntax highlighter with its themes (about 67 KB gzip, a fifth of the event page's
bytes), for something event and idea descriptions hardly ever hold.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var

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


# A path on this site: one leading slash, then no second slash or backslash (browsers
# read "//host" and "/\\host" as another host) and no whitespace (stripped by the URL
# parser, which could turn "/\t/host" into "//host").
_IS_SITE_PATH = r"/^\/(?![\/\\])[^\s\\]*$/"
_SRC = Var(_js_expr="(props.src ?? '')", _var_type=str)
_ALT = Var(_js_expr="(props.alt || props.src || '')", _var_type=str)


def _site_image(*_children: Any, **_props: Any) -> rx.Component:
    """An image from this site as an image; any other as a plain link to it."""
    is_site_path = Var(_js_expr=f"{_IS_SITE_PATH}.test({_SRC})", _var_type=bool)
    return rx.cond(
        is_site_path,
        rx.el.img(src=_SRC, alt=_ALT, loading="lazy", max_width="100%"),
        rx.el.a(_ALT, href=_SRC, rel="nofollow noopener noreferrer", class_name="remote-image"),
    )


def safe_markdown(content: rx.Var[str] | str) -> rx.Component:
    """People's Markdown, in a box whose tables and code scroll on a phone (responsive.css)."""
    return rx.box(
        rx.markdown(
            content,
            use_raw=False,
            use_math=False,
            use_katex=False,
            component_map={"pre": _plain_code_block, "img": _site_image},
        ),
        class_name="markdown-body",
        width="100%",
    )
