"""Reflex configuration; every value comes from community_app.settings."""

import reflex as rx

from community_app.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="community_app",
    db_url=settings.database_url,
    redis_url=settings.redis_url,
    telemetry_enabled=False,
    cors_allowed_origins=settings.cors_allowed_origins,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="orange", gray_color="sand", radius="large")
        )
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
