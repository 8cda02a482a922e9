"""The Reflex app: plain HTTP routes from feeds/, pages from ui/, the background loops
(webhook sender, scheduler)."""

import reflex as rx
from reflex.istate.manager.disk import StateManagerDisk

from community_app import calendar_import, scheduler, webhook_delivery
from community_app.feeds.app import create_feeds_app
from community_app.session_cookie import hide_from_page_state
from community_app.ui.auth import AuthState
from community_app.ui.components.calendar_links import CalendarLinksState
from community_app.ui.components.embed_snippet import EmbedSnippetState
from community_app.ui.errors import backend_exception_handler
from community_app.ui.pages import (
    account,
    admin,
    attendees,
    audit,
    checkin,
    event,
    event_form,
    events,
    group_calendar,
    group_webhooks,
    groups,
    home,
    idea,
    idea_new,
    idea_parts,
    idea_settings,
    ideas,
    login,
    my_calendar,
    notifications,
    proposals,
)
from community_app.ui.private_states import PrivateStateManagerDisk
from community_app.ui.tab_session import TabOwnerMiddleware

TITLE = "Tsudoi 集い"

app = rx.App(
    # The feeds and /auth routes, then: no websocket handshake shows Reflex the login
    # cookie (it would be stored with the tab's state).
    api_transformer=[create_feeds_app(), hide_from_page_state],
    html_lang="ja",
    stylesheets=["/accessibility.css", "/calendar.css", "/responsive.css"],
    backend_exception_handler=backend_exception_handler,
)
# A tab's page states belong to the login they were filled under (tab_session).
app.add_middleware(TabOwnerMiddleware())
# Without Redis, the page states Reflex keeps on disk are readable by us alone.
if type(app._state_manager) is StateManagerDisk:
    app._state_manager = PrivateStateManagerDisk()
app.register_lifespan_task(webhook_delivery.run_delivery_loop)
app.register_lifespan_task(scheduler.run_scheduler)
app.register_lifespan_task(calendar_import.run_import_loop)
app.add_page(
    home.home_page,
    route="/",
    title=TITLE,
    on_load=[AuthState.refresh, home.HomeState.load, ideas.TrendingIdeasState.load],
)
app.add_page(
    events.events_page,
    route=events.ROUTE,
    title=TITLE,
    on_load=[AuthState.refresh, events.EventListState.load, events.MonthCalendarState.load],
)
app.add_page(
    event.event_page,
    route=event.ROUTE,
    title=TITLE,
    on_load=[
        AuthState.refresh,
        event.EventPageState.load,
        CalendarLinksState.load,
        idea.IdeaLinkState.load,
    ],
)
app.add_page(login.login_page, route="/login", title=TITLE, on_load=AuthState.refresh)
app.add_page(login.signup_page, route="/signup", title=TITLE, on_load=AuthState.refresh)
app.add_page(
    account.account_page,
    route="/account",
    title=TITLE,
    on_load=[AuthState.refresh, account.AccountState.load],
)
app.add_page(
    groups.groups_page,
    route="/groups",
    title=TITLE,
    on_load=[AuthState.refresh, groups.GroupsState.load],
)
app.add_page(
    groups.group_page,
    route=groups.ROUTE,
    title=TITLE,
    on_load=[
        AuthState.refresh,
        groups.GroupPageState.load,
        group_webhooks.GroupWebhooksState.load,
        group_calendar.GroupCalendarState.load,
        EmbedSnippetState.load,
    ],
)
app.add_page(
    admin.admin_page,
    route="/admin",
    title=TITLE,
    on_load=[AuthState.refresh, admin.AdminState.load],
)
app.add_page(
    event_form.event_form_page,
    route=event_form.NEW_ROUTE,
    title=TITLE,
    on_load=[AuthState.refresh, event_form.EventFormState.load],
)
app.add_page(
    event_form.event_form_page,
    route=event_form.EDIT_ROUTE,
    title=TITLE,
    on_load=[AuthState.refresh, event_form.EventFormState.load],
)
app.add_page(
    proposals.my_proposals_page,
    route="/proposals",
    title=TITLE,
    on_load=[AuthState.refresh, proposals.MyProposalsState.load],
)
app.add_page(
    proposals.review_page,
    route="/review",
    title=TITLE,
    on_load=[AuthState.refresh, proposals.ReviewState.load],
)
app.add_page(
    audit.audit_page,
    route=audit.ROUTE,
    title=TITLE,
    on_load=[AuthState.refresh, audit.AuditState.load],
)
app.add_page(
    notifications.notifications_page,
    route=notifications.ROUTE,
    title=TITLE,
    on_load=[AuthState.refresh, notifications.NotificationsState.load],
)
app.add_page(
    my_calendar.my_calendar_page,
    route=my_calendar.ROUTE,
    title=TITLE,
    on_load=[AuthState.refresh, my_calendar.MyCalendarState.load],
)
app.add_page(
    attendees.attendees_page,
    route=attendees.ROUTE,
    title=TITLE,
    on_load=[AuthState.refresh, attendees.AttendeesState.load],
)
app.add_page(
    checkin.checkin_page,
    route=checkin.ROUTE,
    title=TITLE,
    on_load=[AuthState.refresh, checkin.CheckInState.load],
)
app.add_page(
    ideas.ideas_page,
    route=ideas.ROUTE,
    title=TITLE,
    on_load=[AuthState.refresh, ideas.IdeaBoardState.load, idea_settings.IdeaSettingsState.load],
)
app.add_page(
    idea_new.idea_new_page,
    route=idea_new.ROUTE,
    title=TITLE,
    on_load=[AuthState.refresh, idea_new.IdeaFormState.load],
)
app.add_page(
    idea_parts.idea_page,
    route=idea.ROUTE,
    title=TITLE,
    on_load=[AuthState.refresh, idea.IdeaPageState.load],
)
