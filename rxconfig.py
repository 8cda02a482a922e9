"""Reflex configuration; every value comes from community_app.settings."""

import os

import reflex as rx

from community_app.settings import get_settings

settings = get_settings()

# `reflex run --env prod` serves the backend with Granian, which starts GRANIAN_WORKERS
# worker processes (Reflex's own default is 2 x cores + 1 as soon as Redis is set).
# WEB_WORKERS is the one knob: it is passed on here so every way of starting the
# production server (make run, the bench, the scale-out test) gets the same count.
os.environ["REFLEX_USE_GRANIAN"] = "true"
os.environ["GRANIAN_WORKERS"] = str(settings.web_workers)

config = rx.Config(
    app_name="community_app",
    db_url=settings.database_url,
    redis_url=settings.redis_url,
    telemetry_enabled=False,
    cors_allowed_origins=settings.cors_allowed_origins,
    # Behind nginx or Caddy every websocket comes from the proxy: without this, the
    # login and sign-up rate limits would count all visitors as one address.
    trusted_proxy_hops=settings.trusted_proxy_hops,
    # ... which is only safe when nothing but the proxy can reach the port: LISTEN_HOST
    # defaults to 127.0.0.1 then (`make run` warns loudly when it is set otherwise).
    backend_host=settings.listen_host,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color="orange", gray_color="sand", radius="large")
        )
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
