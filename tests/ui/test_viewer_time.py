"""A browser's reported zone is used only when the zone database knows it."""

from __future__ import annotations

import pytest

from community_app.ui.viewer_time import accepted_timezone

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Asia/Tokyo", "America/Sao_Paulo", "UTC"])
def test_a_known_zone_is_accepted(zone: str) -> None:
    assert accepted_timezone(zone) == zone


@pytest.mark.parametrize(
    "junk", ["", "Mars/Olympus", "../../etc/passwd", "Europe/Berlin\n", None, 9, ["Asia/Tokyo"]]
)
def test_anything_else_is_ignored(junk: object) -> None:
    assert accepted_timezone(junk) == ""
