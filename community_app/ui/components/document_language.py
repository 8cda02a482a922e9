"""``<html lang>`` follows the language shown.

The exported pages start as ``<html lang="ja">`` (the app's default); this hook sets the
document's language from the visitor's or member's locale once the page runs, and again
whenever the header's switch changes it, so screen readers choose the matching voice.
"""

from __future__ import annotations

import reflex as rx
from reflex.vars import VarData

from community_app.ui.locale import is_english


class DocumentLanguage(rx.Fragment):
    """Renders nothing; keeps ``document.documentElement.lang`` in step with the locale."""

    def add_hooks(self) -> list[str | rx.Var]:
        language = rx.cond(is_english(), "en", "ja")
        hook = (
            f"useEffect(() => {{ document.documentElement.lang = {language!s}; }}, [{language!s}]);"
        )
        return [
            rx.Var(
                hook,
                _var_data=VarData.merge(
                    language._get_all_var_data(), VarData(imports={"react": ["useEffect"]})
                ),
            )
        ]


def document_language() -> rx.Component:
    return DocumentLanguage.create()
