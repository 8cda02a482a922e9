"""User Markdown costs no syntax highlighter: the pages that show descriptions stay light."""

from __future__ import annotations

import pytest
import reflex as rx

from community_app.ui.components.markdown import safe_markdown

pytestmark = pytest.mark.unit
HIGHLIGHTER = "react-syntax-highlighter"


def _libraries(component: rx.Component) -> set[str]:
    return {library.split("@")[0] for library in component._get_all_imports()}


def test_descriptions_render_markdown_without_a_syntax_highlighter() -> None:
    libraries = _libraries(safe_markdown("```python\nprint('集い')\n```"))

    assert "react-markdown" in libraries
    assert not any(library.startswith(HIGHLIGHTER) for library in libraries)


def test_reflex_markdown_alone_would_bring_the_highlighter() -> None:
    # Negative control: the check above sees the highlighter where Reflex adds it.
    libraries = _libraries(rx.markdown("```python\nprint('集い')\n```"))

    assert any(library.startswith(HIGHLIGHTER) for library in libraries)


def _image_renderer(component: rx.Component) -> str:
    markdown = component.children[0].children[0]  # box > wrapper > react-markdown
    return str(markdown.format_component_map().get("img", ""))  # type: ignore[attr-defined]


def test_images_render_only_from_the_site_itself_and_others_as_links() -> None:
    renderer = _image_renderer(safe_markdown("![x](https://tracker.example/p.png)"))
    assert ".test((props.src ?? ''))" in renderer and "remote-image" in renderer
    # Control: Reflex's own Markdown loads any image (no renderer of its own for img).
    assert _image_renderer(rx.box(rx.markdown("![x](https://tracker.example/p.png)"))) == ""
