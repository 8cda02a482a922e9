"""Writing what a client sent into the server's log without letting it forge or flood it.

A client controls the text of a frontend-exception report, a handler name, a path.
Written as is, a newline in it starts a line that looks like the server's own
("2026-12-08 ERROR login succeeded for admin"), and a client sending thousands of bad
events writes thousands of lines. ``escape_client_text`` makes one line of bounded
length out of any value; ``LogBudget`` lets a kind of line through a few times per
window and then counts, saying how many it held back on the next line it lets through.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

MAX_LOGGED_CHARS = 300

_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_client_text(value: object, max_chars: int = MAX_LOGGED_CHARS) -> str:
    """``value`` as one printable line: backslash, newline, CR and tab as ``\\\\ \\n \\r
    \\t``, any other control or invisible character as ``\\xNN`` / ``\\uNNNN``, cut at
    ``max_chars`` (with "…" and the original length)."""
    text = value if isinstance(value, str) else repr(value)
    cut = text[:max_chars]
    escaped = "".join(
        _ESCAPES.get(char) or (char if char.isprintable() else f"\\u{ord(char):04x}")
        for char in cut
    )
    if len(text) > max_chars:
        escaped += f"… ({len(text)} chars)"
    return escaped


class LogBudget:
    """At most ``lines`` lines per ``window_s`` seconds, process-wide (thread-safe).

    ``allow()`` answers whether a line may be written now; if so, ``held_back()``
    says how many were refused since the last one written (to say so in that line).
    """

    def __init__(
        self, *, lines: int, window_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.lines, self.window_s, self._clock = lines, window_s, clock
        self._window_start = -window_s
        self._written = 0
        self._refused = 0
        self._last_refused = 0
        self._lock = threading.Lock()

    def allow(self) -> bool:
        with self._lock:
            now = self._clock()
            if now - self._window_start >= self.window_s:
                self._window_start, self._written = now, 0
            if self._written >= self.lines:
                self._refused += 1
                return False
            self._written += 1
            self._last_refused, self._refused = self._refused, 0
            return True

    def held_back(self) -> int:
        """Lines refused between the previous allowed line and the latest one."""
        return self._last_refused
