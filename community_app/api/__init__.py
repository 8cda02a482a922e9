"""The public open-data API (``/api/v1``, JSON with an OpenAPI document) and the
embeddable events widget (``/embed``): plain Starlette routes over the domain's reads."""
