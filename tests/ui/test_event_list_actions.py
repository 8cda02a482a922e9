"""The event list page's reads and links: shareable addresses, refused filters explained."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from community_app.domain.enums import EventKind
from community_app.domain.event_search import PAST, UPCOMING, EventFilters
from community_app.ui import event_list_actions as actions
from tests.factories import make_event, make_group

pytestmark = pytest.mark.integration


def test_an_address_carries_japanese_filters_and_the_page() -> None:
    filters = EventFilters(kind=EventKind.STUDY_SESSION, text="子ども食堂 100%")
    address = actions.href(filters, page=2)
    assert urlsplit(address).path == "/events"
    assert parse_qs(urlsplit(address).query) == {
        "kind": ["study_session"],
        "q": ["子ども食堂 100%"],
        "page": ["2"],
    }
    assert actions.href(EventFilters()) == "/events"


def test_the_tabs_keep_the_filters_and_start_again_at_page_one() -> None:
    filters = EventFilters(tag="防災")
    assert actions.tab_href(filters, PAST) == "/events?when=past&tag=%E9%98%B2%E7%81%BD"
    assert actions.tab_href(filters, UPCOMING) == "/events?tag=%E9%98%B2%E7%81%BD"
    assert actions.tab_href(None, "anything") == "/events"


def test_loading_a_query_gives_the_page_and_the_filter_choices(app_database: Engine) -> None:
    with Session(app_database) as session:
        group = make_group(session, slug="aoba", name="あおば会")
        starts = datetime.now(UTC) + timedelta(days=3)
        make_event(
            session, group_id=group.id, starts_at=starts, ends_at=starts + timedelta(hours=1)
        )
        session.commit()

    result = actions.load_list({"group": "aoba"})

    assert result.error is None and result.page is not None
    assert result.page.total == 1
    assert [option.slug for option in result.options.groups] == ["aoba"]


@pytest.mark.parametrize(
    ("query", "code"),
    [({"kind": "party"}, "invalid_kind"), ({"page": "9"}, "page_out_of_range")],
)
def test_a_refused_query_still_gives_the_filter_choices(
    app_database: Engine, query: dict[str, str], code: str
) -> None:
    with Session(app_database) as session:
        make_group(session, slug="aoba")
        session.commit()

    result = actions.load_list(query)

    assert result.page is None and result.error is not None and result.error.code == code
    assert [option.slug for option in result.options.groups] == ["aoba"]
