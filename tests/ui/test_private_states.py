"""Reflex's on-disk page states are readable by the app's own user alone."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from community_app.ui.private_states import _PrivateFile, make_private

pytestmark = pytest.mark.unit


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask: modes come from the code, not from the shell."""
    previous = os.umask(0)
    yield
    os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_state_file_is_written_0600_even_over_an_older_0644_one(
    tmp_path: Path, open_umask: None
) -> None:
    fresh, older = tmp_path / "fresh.pkl", tmp_path / "older.pkl"
    older.write_bytes(b"old")
    older.chmod(0o644)

    _PrivateFile(fresh).write_bytes(b"state")
    _PrivateFile(older).write_bytes(b"new state")

    assert (_mode(fresh), _mode(older)) == (0o600, 0o600)
    assert older.read_bytes() == b"new state"


def test_control_pathlib_alone_writes_what_the_umask_allows(
    tmp_path: Path, open_umask: None
) -> None:
    plain = tmp_path / "plain.pkl"
    plain.write_bytes(b"state")

    assert _mode(plain) == 0o666


def test_the_folder_and_what_an_older_version_left_in_it_become_private(
    tmp_path: Path, open_umask: None
) -> None:
    folder = tmp_path / ".states"
    folder.mkdir(mode=0o755)
    left = folder / "left.pkl"
    left.write_bytes(b"state")
    left.chmod(0o644)

    make_private(folder)
    make_private(tmp_path / "new" / ".states")

    assert (_mode(folder), _mode(left)) == (0o700, 0o600)
    assert _mode(tmp_path / "new" / ".states") == 0o700
