"""The public read-only API, ``/api/v1``: each operation declared once (path,
parameters, answer model) for the router and the OpenAPI document alike.

Endpoints are plain ``def``: Starlette runs them in its thread pool, away from the
event loop of the websocket. Each request is counted against its client's rate limit
first, its query checked strictly, then answered from the domain's read models through
the pydantic models of ``schemas``, with an ETag over the body (304 when it matches).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from pydantic import BaseModel
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from community_app.api import params as p
from community_app.api import present, schemas
from community_app.api.rate_limit import retry_after
from community_app.db import read_session
from community_app.domain.errors import NotFound
from community_app.domain.open_data import (
    event_slice,
    group_card,
    group_slice,
    idea_slice,
    public_event,
    public_idea,
)
from community_app.settings import get_settings

JSON_MEDIA_TYPE = "application/json"
CACHE_CONTROL = "public, max-age=60"
MAX_SLUG_LENGTH = 200
Handler = Callable[[Session, Request, dict[str, str]], BaseModel]


@dataclass(frozen=True)
class Operation:
    path: str  # below /api/v1, Starlette's {name} syntax as in OpenAPI
    operation_id: str
    summary: str
    params: Sequence[p.Param]
    answer: type[BaseModel]
    handler: Handler
    tag: str


def _json(model: BaseModel) -> bytes:
    return model.model_dump_json().encode()


def error_response(status: int, code: str, message: str, message_ja: str, **extra: Any) -> Response:
    body = schemas.Error(
        error=schemas.ErrorBody(
            code=code,
            parameter=extra.pop("parameter", None),
            message=message,
            message_ja=message_ja,
        )
    )
    headers = {"Cache-Control": "no-store", **extra.pop("headers", {})}
    return Response(_json(body), status_code=status, media_type=JSON_MEDIA_TYPE, headers=headers)


def _not_modified(request: Request, etag: str) -> bool:
    wanted = request.headers.get("if-none-match")
    if wanted is None:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in wanted.split(",")]
    return "*" in tags or etag in tags


def json_response(request: Request, model: BaseModel) -> Response:
    body = _json(model)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if _not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=JSON_MEDIA_TYPE, headers=headers)


def endpoint(operation: Operation) -> Callable[[Request], Response]:
    def answer(request: Request) -> Response:
        wait = retry_after(request)
        if wait is not None:
            return error_response(
                429,
                "rate_limited",
                f"Too many requests. Try again in {wait} seconds.",
                f"リクエストが多すぎます。{wait} 秒後にもう一度お試しください。",
                headers={"Retry-After": str(wait)},
            )
        try:
            query = p.read_query(
                request.query_params.multi_items(), request.url.query, operation.params
            )
            with read_session() as session:
                model = operation.handler(session, request, query)
        except p.BadParameter as bad:
            return error_response(
                400, "invalid_parameter", bad.message, bad.message_ja, parameter=bad.parameter
            )
        except NotFound:
            return error_response(404, "not_found", "Not found.", "見つかりません。")
        return json_response(request, model)

    answer.__name__ = operation.operation_id
    return answer


# --- the operations ------------------------------------------------------------------


def _site() -> str:
    return get_settings().site_url


def _slug(request: Request) -> str:
    slug = request.path_params["slug"]
    if not slug or len(slug) > MAX_SLUG_LENGTH:
        raise NotFound("not_found")
    return str(slug)


def _next_url(request: Request, query: dict[str, str], cursor: str | None) -> str | None:
    if cursor is None:
        return None
    return f"{request.url.path}?{urlencode({**query, 'cursor': cursor})}"


def _events(session: Session, request: Request, query: dict[str, str], group: str) -> BaseModel:
    filters = p.event_filters(query, group=group)
    kind = f"events-{filters.when}"
    found = event_slice(
        session,
        now=datetime.now(UTC),
        filters=filters,
        after=p.decode_cursor(query, kind, (datetime, int)),
        limit=p.limit_of(query),
    )
    cursor = None if found.after is None else p.encode_cursor(kind, found.after)
    site = _site()
    return schemas.EventPage(
        items=[schemas.EventSummary(**present.event_summary(site, c)) for c in found.items],
        next_cursor=cursor,
        next_url=_next_url(request, query, cursor),
    )


def list_events(session: Session, request: Request, query: dict[str, str]) -> BaseModel:
    return _events(session, request, query, group="")


def list_group_events(session: Session, request: Request, query: dict[str, str]) -> BaseModel:
    return _events(session, request, query, group=_slug(request))


def get_event(session: Session, request: Request, query: dict[str, str]) -> BaseModel:
    return present.event_detail(_site(), public_event(session, slug=_slug(request)))


def list_groups(session: Session, request: Request, query: dict[str, str]) -> BaseModel:
    found = group_slice(
        session,
        now=datetime.now(UTC),
        after=p.decode_cursor(query, "groups", (str, int)),
        limit=p.limit_of(query),
    )
    cursor = None if found.after is None else p.encode_cursor("groups", found.after)
    site, zone = _site(), get_settings().default_timezone
    return schemas.GroupPage(
        items=[present.group(site, card, zone) for card in found.items],
        next_cursor=cursor,
        next_url=_next_url(request, query, cursor),
    )


def get_group(session: Session, request: Request, query: dict[str, str]) -> BaseModel:
    card, timezone = group_card(session, slug=_slug(request), now=datetime.now(UTC))
    return present.group(_site(), card, timezone)


def list_ideas(session: Session, request: Request, query: dict[str, str]) -> BaseModel:
    status, group, tag = p.idea_filters(query)
    found = idea_slice(
        session,
        now=datetime.now(UTC),
        status=status,
        group=group,
        tag=tag,
        after=p.decode_cursor(query, "ideas", (datetime, int)),
        limit=p.limit_of(query),
    )
    cursor = None if found.after is None else p.encode_cursor("ideas", found.after)
    site, zone = _site(), get_settings().default_timezone
    return schemas.IdeaPage(
        items=[schemas.IdeaSummary(**present.idea_summary(site, c, zone)) for c in found.items],
        next_cursor=cursor,
        next_url=_next_url(request, query, cursor),
    )


def get_idea(session: Session, request: Request, query: dict[str, str]) -> BaseModel:
    idea = public_idea(session, slug=_slug(request), now=datetime.now(UTC))
    return present.idea_detail(_site(), idea, get_settings().default_timezone)


OPERATIONS = (
    Operation(
        "/events", "listEvents", "Published events",
        p.EVENT_LIST, schemas.EventPage, list_events, "events",
    ),
    Operation(
        "/events/{slug}", "getEvent", "One published event",
        (), schemas.EventDetail, get_event, "events",
    ),
    Operation(
        "/groups", "listGroups", "Groups",
        p.GROUP_LIST, schemas.GroupPage, list_groups, "groups",
    ),
    Operation(
        "/groups/{slug}", "getGroup", "One group",
        (), schemas.Group, get_group, "groups",
    ),
    Operation(
        "/groups/{slug}/events", "listGroupEvents", "A group's published events",
        p.GROUP_EVENT_LIST, schemas.EventPage, list_group_events, "groups",
    ),
    Operation(
        "/ideas", "listIdeas", "Project ideas (やってみたい)",
        p.IDEA_LIST, schemas.IdeaPage, list_ideas, "ideas",
    ),
    Operation(
        "/ideas/{slug}", "getIdea", "One project idea",
        (), schemas.IdeaDetail, get_idea, "ideas",
    ),
)  # fmt: skip
