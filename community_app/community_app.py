"""The Reflex app: plain HTTP routes from feeds/, pages from ui/. Nothing else."""

import reflex as rx

from community_app.feeds.app import create_feeds_app
from community_app.ui.pages import event, home

app = rx.App(api_transformer=create_feeds_app(), html_lang="ja")
app.add_page(home.home_page, route="/", title="Tsudoi 集い", on_load=home.HomeState.load)
app.add_page(
    event.event_page, route=event.ROUTE, title="Tsudoi 集い", on_load=event.EventPageState.load
)
