"""How every headless Chromium here is started: the browser tests, the bench and the
README screenshots (Debian's Chromium; no browser is ever downloaded)."""

from __future__ import annotations

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
