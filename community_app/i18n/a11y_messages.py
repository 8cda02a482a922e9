"""UI strings of the page frame's accessibility aids: skip link, landmark names (ja / en)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "ja": {
        "a11y.skip_to_content": "本文へ移動",
        "a11y.main_navigation": "メインメニュー",
        "a11y.home": "集い Tsudoi トップページ",
        "a11y.switch_language": "English に切り替える",
    },
    "en": {
        "a11y.skip_to_content": "Skip to content",
        "a11y.main_navigation": "Main menu",
        "a11y.home": "集い Tsudoi home",
        "a11y.switch_language": "Switch to 日本語",
    },
}
