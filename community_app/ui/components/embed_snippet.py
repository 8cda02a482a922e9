"""The group page's copy-paste snippet: the group's events widget in an ``<iframe>``,
for a town's or organisation's own website, and a link to the API's documentation."""

from __future__ import annotations

from html import escape
from urllib.parse import quote, unquote

import reflex as rx

from community_app.settings import get_settings
from community_app.ui.locale import pick, tr
from community_app.ui.policy import Access, handler

API_DOCS_PATH = "/api/v1/"


def iframe_snippet(site_url: str, slug: str, lang: str) -> str:
    src = f"{site_url}/embed/groups/{quote(slug, safe='')}?lang={lang}&theme=light"
    return (
        f'<iframe src="{escape(src)}" title="Tsudoi" width="100%" height="420" '
        'style="border:0;max-width:480px" loading="lazy"></iframe>'
    )


class EmbedSnippetState(rx.State):
    snippet_ja: str = ""
    snippet_en: str = ""

    @handler(Access.PUBLIC)
    def load(self) -> None:
        slug = unquote(self.router.url.path.rstrip("/").rsplit("/", 1)[-1])[:120]
        site = get_settings().site_url
        self.snippet_ja = iframe_snippet(site, slug, "ja")
        self.snippet_en = iframe_snippet(site, slug, "en")


def embed_snippet_section() -> rx.Component:
    snippet = pick(EmbedSnippetState.snippet_ja, EmbedSnippetState.snippet_en)
    return rx.vstack(
        rx.heading(tr("embed.snippet_title"), as_="h2", size="5"),
        rx.text(tr("embed.snippet_lead"), size="2"),
        rx.text_area(
            value=snippet,
            read_only=True,
            rows="3",
            width="100%",
            id="embed-snippet",
            aria_label=tr("embed.snippet_label"),
            font_family="monospace",
            on_focus=rx.call_script("document.getElementById('embed-snippet').select()"),
        ),
        rx.hstack(
            rx.button(
                tr("embed.copy"), size="1", variant="soft", on_click=rx.set_clipboard(snippet)
            ),
            rx.text(
                tr("embed.snippet_options"),
                " ",
                rx.link(
                    tr("embed.snippet_api"),
                    href=API_DOCS_PATH,
                    is_external=True,
                    underline="always",  # a link inside a sentence: not by colour alone
                ),
                size="2",
            ),
            spacing="3",
            align="center",
            wrap="wrap",
        ),
        spacing="2",
        width="100%",
        align="start",
    )
