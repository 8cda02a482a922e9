"""The page frame: header with navigation and language switch, content, footer."""

from __future__ import annotations

import reflex as rx
from reflex.experimental.client_state import ClientStateVar

from community_app.ui.auth import AuthState
from community_app.ui.components.document_language import document_language
from community_app.ui.locale import LocaleState, is_english, tr

FEED_PATH = "/feeds/events.ics"

# Whether the phone menu is open: browser-only state, no round trip to the server.
MENU_OPEN = ClientStateVar.create("nav_menu_open", default=False)


def _brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.text("集い", size="6", weight="bold", color=rx.color("orange", 10)),
            rx.text("Tsudoi", size="3", color=rx.color("gray", 11), class_name="brand-latin"),
            align="baseline",
            spacing="2",
        ),
        href="/",
        underline="none",
        aria_label=tr("a11y.home"),
        class_name="brand",
    )


def _bell() -> rx.Component:
    """The inbox link with the unread count; the label says the count in words."""
    count = AuthState.unread_count
    label = rx.cond(
        count > 0,
        tr("notifications.bell_unread").to(str).replace("{count}", count.to_string()),
        tr("notifications.bell_none"),
    )
    return rx.link(
        rx.box(
            rx.icon("bell", size=20, aria_hidden="true"),
            rx.cond(
                count > 0,
                rx.badge(
                    count,
                    color_scheme="red",
                    variant="solid",
                    radius="full",
                    size="1",
                    id="unread-badge",
                    aria_hidden="true",
                    position="absolute",
                    top="-8px",
                    right="-12px",
                ),
            ),
            position="relative",
            display="inline-flex",
        ),
        href="/notifications",
        aria_label=label,
        title=label,
        id="notifications-link",
        color=rx.color("gray", 12),
    )


def _nav() -> rx.Component:
    """The page links: a row on wide screens, a list behind the menu button on phones
    (assets/responsive.css)."""
    return rx.el.nav(
        _nav_links(),
        id="site-nav",
        class_name=rx.cond(MENU_OPEN.value, "site-nav open", "site-nav"),
        aria_label=tr("a11y.main_navigation"),
        # Following a link closes the menu (its state outlives the page).
        on_click=MENU_OPEN.set_value(False),
    )


def _menu_button() -> rx.Component:
    """Shown on narrow screens only: opens and closes the page links."""
    return rx.icon_button(
        rx.icon(rx.cond(MENU_OPEN.value, "x", "menu"), size=20, aria_hidden="true"),
        on_click=MENU_OPEN.set_value(~MENU_OPEN.value),
        variant="soft",
        color_scheme="gray",
        size="2",
        aria_label=tr("nav.menu"),
        title=tr("nav.menu"),
        aria_expanded=rx.cond(MENU_OPEN.value, "true", "false"),
        aria_controls="site-nav",
        id="menu-button",
        class_name="menu-button",
    )


def _skip_link() -> rx.Component:
    """The first stop of the Tab key: straight to the page's own content. The router's
    link only scrolls, so the click also moves the keyboard focus there."""
    return rx.el.a(
        tr("a11y.skip_to_content"),
        href="#main",
        class_name="skip-link",
        on_click=rx.call_script("document.getElementById('main').focus()"),
    )


def _nav_links() -> rx.Component:
    return rx.el.div(
        rx.link(tr("nav.all_events"), href="/events", size="3", id="all-events-link"),
        rx.link(tr("nav.groups"), href="/groups", size="3"),
        rx.link(tr("nav.propose"), href="/propose", size="3", id="propose-link"),
        rx.link(tr("nav.ideas"), href="/ideas", size="3", id="ideas-link"),
        rx.cond(
            AuthState.signed_in,
            rx.link(tr("nav.my_proposals"), href="/proposals", size="3", id="my-proposals-link"),
        ),
        rx.cond(
            AuthState.is_organiser | AuthState.is_admin,
            rx.link(tr("nav.review"), href="/review", size="3", id="review-link"),
        ),
        rx.cond(
            AuthState.is_admin, rx.link(tr("nav.admin"), href="/admin", size="3", id="admin-link")
        ),
        class_name="nav-links",
    )


def _tools() -> rx.Component:
    """What stays in sight on every screen: the bell, the account, the language switch."""
    return rx.el.div(
        rx.cond(AuthState.signed_in, _bell()),
        rx.cond(
            AuthState.signed_in,
            rx.link(
                AuthState.display_name,
                href="/account",
                size="3",
                id="account-link",
                class_name="account-link",
            ),
            rx.link(tr("auth.login"), href="/login", size="3", id="login-link"),
        ),
        rx.button(
            tr("nav.language"),
            on_click=LocaleState.toggle_locale,
            variant="soft",
            size="2",
            aria_label=tr("a11y.switch_language"),
            id="locale-toggle",
        ),
        _menu_button(),
        class_name="header-tools",
    )


def _header() -> rx.Component:
    return rx.el.header(
        rx.el.div(_brand(), _nav(), _tools(), class_name="header-bar"),
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        background_color=rx.color("gray", 1),
    )


def _footer() -> rx.Component:
    return rx.el.footer(
        rx.hstack(
            rx.text(tr("footer.note"), size="2", color=rx.color("gray", 10)),
            rx.link(tr("nav.feed"), href=FEED_PATH, size="2", is_external=True),
            spacing="3",
            wrap="wrap",
        ),
        max_width="960px",
        margin_x="auto",
        padding="16px",
    )


def _unverified_banner() -> rx.Component:
    """A gentle reminder while the member's address is not confirmed yet."""
    return rx.cond(
        AuthState.unverified,
        rx.callout(
            rx.hstack(
                rx.text(tr("verify.banner")),
                rx.link(tr("verify.banner_link"), href="/account#email-section"),
                spacing="2",
                wrap="wrap",
            ),
            icon="mail",
            color_scheme="amber",
            size="1",
            id="verify-banner",
            margin_bottom="16px",
        ),
    )


def layout(*children: rx.Component) -> rx.Component:
    return rx.box(
        document_language(),
        _skip_link(),
        _header(),
        rx.el.main(
            _unverified_banner(),
            *children,
            id="main",
            tab_index=-1,
            max_width="960px",
            margin_x="auto",
            padding_x="16px",
            padding_y="24px",
            min_height="70vh",
        ),
        _footer(),
        lang=rx.cond(is_english(), "en", "ja"),
    )
