"""The OpenAPI 3.1 document of ``/api/v1``, generated from the operations table and the
pydantic models (OpenAPI 3.1 schemas are JSON Schema 2020-12, which pydantic writes),
and the human page that documents it."""

from __future__ import annotations

import html
import json
from functools import lru_cache
from typing import Any

from pydantic.json_schema import models_json_schema

from community_app.api import schemas
from community_app.api.present import API_PREFIX
from community_app.api.routes import OPERATIONS, Operation

REF = "#/components/schemas/{model}"
ERRORS = {
    "400": "A parameter is unknown, repeated, too long or not valid (the error names it).",
    "404": "No such published event, group or idea.",
    "429": "Too many requests from this address: wait `Retry-After` seconds.",
}
DESCRIPTION = (
    "Read-only open data of this Tsudoi site: published events, groups and project ideas. "
    "No key needed; CORS is open for GET. Lists are paginated with an opaque `cursor` "
    "(`next_cursor` of the previous page) in a stable order. Answers carry an `ETag` "
    "(send `If-None-Match` for a 304) and `Cache-Control`. Times are ISO 8601 with the "
    "offset of the event's time zone, named in `timezone`. Requests are limited per "
    "client address (429 with `Retry-After`). Join links, e-mail addresses, answers to "
    "questions and anything unpublished never appear."
)


def _parameter(param: Any, location: str = "query") -> dict[str, Any]:
    return {
        "name": param.name,
        "in": location,
        "required": location == "path",
        "description": param.description,
        "schema": param.schema,
    }


def _operation(operation: Operation) -> dict[str, Any]:
    parameters = [_parameter(param) for param in operation.params]
    if "{slug}" in operation.path:
        slug = {"name": "slug", "description": "The slug in the page's URL.", "schema": {
            "type": "string", "minLength": 1, "maxLength": 200}}  # fmt: skip
        parameters.insert(0, {**slug, "in": "path", "required": True})
    json_of = {"application/json": {"schema": {"$ref": REF.format(model="Error")}}}
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "headers": {"ETag": {"schema": {"type": "string"}}},
            "content": {
                "application/json": {
                    "schema": {"$ref": REF.format(model=operation.answer.__name__)}
                }
            },
        },
        "304": {"description": "Not modified since the `ETag` sent in `If-None-Match`."},
    }
    for status, description in ERRORS.items():
        if (
            status == "404"
            and "{slug}" not in operation.path
            and "group" not in {param.name for param in operation.params}
        ):
            continue
        responses[status] = {"description": description, "content": json_of}
    responses["429"]["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
    return {
        "operationId": operation.operation_id,
        "summary": operation.summary,
        "tags": [operation.tag],
        "parameters": parameters,
        "responses": responses,
    }


@lru_cache(maxsize=4)
def openapi_document(site_url: str) -> dict[str, Any]:
    models = {operation.answer for operation in OPERATIONS} | {schemas.Error}
    _, definitions = models_json_schema(
        [(model, "serialization") for model in sorted(models, key=lambda m: m.__name__)],
        ref_template=REF,
    )
    paths: dict[str, Any] = {}
    for operation in OPERATIONS:
        paths[operation.path] = {"get": _operation(operation)}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Tsudoi open data API", "version": "1.0.0", "description": DESCRIPTION},
        "servers": [{"url": f"{site_url}{API_PREFIX}"}],
        "paths": paths,
        "components": {"schemas": definitions.get("$defs", {})},
    }


def openapi_bytes(site_url: str) -> bytes:
    return json.dumps(openapi_document(site_url), ensure_ascii=False, indent=1).encode()


PAGE_STYLE = """
body{font:16px/1.6 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{background:#f4f1ec;border-radius:4px;padding:0 .25em}pre{padding:.75em;overflow:auto}
h2{border-top:1px solid #ddd;padding-top:1rem}table{border-collapse:collapse;width:100%}
td,th{border-bottom:1px solid #eee;padding:.25em .5em;text-align:left;vertical-align:top}
"""


def docs_page(site_url: str) -> str:
    """A plain page listing each operation and its parameters, with examples."""
    document, e = openapi_document(site_url), html.escape
    base = f"{site_url}{API_PREFIX}"
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width,initial-scale=1'>",
        f"<title>Tsudoi API</title><style>{PAGE_STYLE}</style></head><body>",
        "<h1>Tsudoi open data API <small>/ 公開データ API</small></h1>",
        f"<p>{e(DESCRIPTION)}</p>",
        "<p lang='ja'>公開中のイベント・グループ・やってみたいを JSON で読めます。"
        "キーは不要です。参加 URL やメールアドレス、非公開の情報は含まれません。</p>",
        f"<p>OpenAPI 3.1: <a href='{e(base)}/openapi.json'>{e(base)}/openapi.json</a></p>",
        f"<pre>curl '{e(base)}/events?when=upcoming&amp;limit=5'</pre>",
    ]
    for path, item in document["paths"].items():
        operation = item["get"]
        parts.append(
            f"<h2 id='{e(operation['operationId'])}'>GET <code>{e(API_PREFIX + path)}</code></h2>"
        )
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        model = answer.rsplit("/", 1)[-1]
        parts.append(f"<p>{e(operation['summary'])}. Answer: <code>{e(model)}</code></p>")
        if operation["parameters"]:
            rows = "".join(
                f"<tr><td><code>{e(x['name'])}</code></td><td>{e(x['in'])}</td>"
                f"<td>{e(x['description'])}</td></tr>"
                for x in operation["parameters"]
            )
            parts.append(f"<table><tr><th>parameter</th><th>in</th><th></th></tr>{rows}</table>")
    parts.append(
        "<h2>Embeddable widget / ウィジェット</h2><p>"
        f'<code>&lt;iframe src="{e(site_url)}/embed/groups/SLUG?lang=ja&amp;theme=light" '
        'width="100%" height="360" style="border:0"&gt;&lt;/iframe&gt;</code>. '
        "<code>/embed/events</code> lists every group's next events; "
        "<code>lang</code> is ja or en, <code>theme</code> light or dark, "
        "<code>limit</code> 1 to 20.</p></body></html>"
    )
    return "".join(parts)
