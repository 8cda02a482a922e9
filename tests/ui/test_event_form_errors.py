"""A refused event form shows its message next to the field that was wrong."""

from __future__ import annotations

import pytest

from community_app.domain.errors import DomainError
from community_app.domain.event_fields import validate_event_form
from community_app.ui.pages.event_form import EVENT_ERROR_FIELDS, FIELDS
from tests.domain.proposal_world import event_form

pytestmark = pytest.mark.unit

# One wrong value per text field, and the field whose message it must be.
WRONG = [
    ({"title": ""}, "title"),
    ({"title": "x" * 500}, "title"),
    ({"summary": "a\u202eb"}, "summary"),
    ({"description": "x" * 20_001}, "description"),
    ({"start_date": "2026-13-40"}, "start_date"),
    ({"start_time": "25:00"}, "start_date"),
    ({"end_time": "18:00"}, "end_time"),
    ({"end_time": "nope"}, "end_time"),
    ({"end_date": "2026-12-20"}, "end_date"),
    ({"venue_name": ""}, "venue_name"),
    ({"venue_address": "x" * 301}, "venue_address"),
    ({"online_platform": "x" * 81}, "online_platform"),
    ({"join_url": "javascript:alert(1)"}, "join_url"),
    ({"join_url_reveal_minutes": "-5"}, "join_url_reveal_minutes"),
    ({"tags": " ".join(f"t{n}" for n in range(11))}, "tags"),
    ({"hosts": "山田 | 所属 | 魔法使い"}, "hosts"),
    ({"agenda": "自己紹介 | | ten"}, "agenda"),
    ({"tiers": "会場参加 | -1"}, "tiers"),
    ({"tiers": "会場参加 | 10\n会場参加 | 5"}, "tiers"),
    ({"tiers": "会場参加 | 10 | 魔法"}, "tiers"),
]


@pytest.mark.parametrize(("overrides", "field"), WRONG)
def test_each_refusal_names_the_field_that_was_wrong(overrides: dict[str, str], field: str) -> None:
    with pytest.raises(DomainError) as raised:
        validate_event_form(event_form(**overrides), group_id=1)
    assert EVENT_ERROR_FIELDS.get(raised.value.code) == field, raised.value.code


def test_every_named_field_is_on_the_form() -> None:
    assert set(EVENT_ERROR_FIELDS.values()) <= set(FIELDS)
