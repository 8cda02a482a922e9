"""Reflex's on-disk page states (``.states/``, without Redis), readable by us alone.

Reflex pickles every tab's state to ``.states/<md5>.pkl`` and keeps it for an hour,
with the default file modes (0644 files in a 0755 folder). A page state holds what
the tab was shown (a member list for an admin, an attendee list for an organiser), so
``PrivateStateManagerDisk`` keeps the folder 0700 and every file 0600, including the
files an older version left behind.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PosixPath
from typing import Any

from reflex.istate.manager.disk import StateManagerDisk

FOLDER_MODE = 0o700
FILE_MODE = 0o600


class _PrivateFile(PosixPath):
    """A path whose ``write_bytes`` creates (or truncates) the file as 0600."""

    def write_bytes(self, data: Any) -> int:
        descriptor = os.open(self, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(descriptor, "wb") as file:
            os.fchmod(descriptor, FILE_MODE)  # a file made before keeps its old mode
            return file.write(memoryview(data))


def make_private(folder: Path) -> None:
    """The folder 0700 and each file in it 0600 (created when missing)."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    folder.chmod(FOLDER_MODE)
    for path in folder.iterdir():
        if path.is_file() and stat.S_IMODE(path.stat().st_mode) != FILE_MODE:
            path.chmod(FILE_MODE)


class PrivateStateManagerDisk(StateManagerDisk):
    def __post_init__(self) -> None:
        make_private(self.states_directory)
        super().__post_init__()

    def token_path(self, token: Any) -> Path:
        return _PrivateFile(super().token_path(token))
