"""Links that put a published event, or a feed, into people's calendar apps:
Google Calendar and Outlook "add event" pages, ``.ics`` downloads and ``webcal://``
subscriptions. Built from public feed entries only, so no join URL can leak in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode, urlsplit

from community_app.domain.calendar import FeedEntry, event_url, markdown_to_plain

GOOGLE_TEMPLATE = "https://calendar.google.com/calendar/render"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"
MAX_DETAILS = 1000  # long query strings are cut by some browsers and proxies


@dataclass(frozen=True)
class EventCalendarLinks:
    google: str
    outlook: str
    ics: str  # a path on this site
    webcal: str


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _details(entry: FeedEntry, site_url: str) -> str:
    text = "\n\n".join(p for p in (entry.summary, markdown_to_plain(entry.description)) if p)
    return (text[:MAX_DETAILS] + "\n\n" + event_url(site_url, entry.slug)).strip()


def event_feed_path(slug: str) -> str:
    return f"/feeds/events/{quote(slug, safe='')}.ics"


def group_feed_path(slug: str) -> str:
    return f"/feeds/groups/{quote(slug, safe='')}.ics"


def personal_feed_path(token: str) -> str:
    return f"/feeds/personal/{quote(token, safe='')}.ics"


def webcal_url(site_url: str, path: str) -> str:
    """The subscribe link calendar apps open (``webcal://`` is ``https://`` for them)."""
    parts = urlsplit(site_url)
    return f"webcal://{parts.netloc}{parts.path.rstrip('/')}{path}"


def event_links(entry: FeedEntry, *, site_url: str) -> EventCalendarLinks:
    details = _details(entry, site_url)
    google = {
        "action": "TEMPLATE",
        "text": entry.title,
        "dates": f"{_utc_stamp(entry.starts_at)}/{_utc_stamp(entry.ends_at)}",
        "details": details,
        "location": entry.location,
        "ctz": entry.timezone,
    }
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": entry.title,
        "startdt": entry.starts_at.astimezone(UTC).isoformat(),
        "enddt": entry.ends_at.astimezone(UTC).isoformat(),
        "body": details,
        "location": entry.location,
    }
    path = event_feed_path(entry.slug)
    return EventCalendarLinks(
        google=f"{GOOGLE_TEMPLATE}?{urlencode(google, quote_via=quote)}",
        outlook=f"{OUTLOOK_COMPOSE}?{urlencode(outlook, quote_via=quote)}",
        ics=path,
        webcal=webcal_url(site_url, path),
    )
