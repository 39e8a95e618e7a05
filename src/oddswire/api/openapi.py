"""The OpenAPI 3.1 document, generated from the endpoint registry and msgspec types."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import msgspec

from oddswire import __version__
from oddswire.api.registry import Endpoint
from oddswire.wire.therundown.v2_models import ErrorResponse

ERROR_TEXT = {
    400: "Bad request: a parameter is malformed or out of range",
    401: "Missing or invalid API key",
    404: "Unknown sport, event, team, player or route",
    410: "Gone: retired route",
}


def build(endpoints: Sequence[Endpoint]) -> dict[str, Any]:
    """The whole document. Error responses share one ``ErrorResponse`` schema."""
    types: list[Any] = [ErrorResponse, *(e.response for e in endpoints if e.response is not None)]
    schemas, components = msgspec.json.schema_components(
        types, ref_template="#/components/schemas/{name}"
    )
    error_schema, response_schemas = schemas[0], schemas[1:]
    paths: dict[str, dict[str, Any]] = {}
    responses = iter(response_schemas)
    for endpoint in endpoints:
        schema = next(responses) if endpoint.response is not None else None
        for prefix in endpoint.prefixes:
            full = _openapi_path(prefix + endpoint.path)
            paths.setdefault(full, {})["get"] = _operation(endpoint, schema, error_schema, prefix)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "oddswire",
            "version": __version__,
            "description": (
                "A self-hosted real-time odds hub speaking TheRundown's V2/V1 REST API. "
                "Prices of 0.0001 mean off the board."
            ),
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "ApiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-TheRundown-Key"},
                "ApiKeyQuery": {"type": "apiKey", "in": "query", "name": "key"},
            },
        },
        "security": [{"ApiKeyHeader": []}, {"ApiKeyQuery": []}],
    }


def _openapi_path(path: str) -> str:
    # Starlette converters ("{x:path}") are plain "{x}" in OpenAPI.
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", path)


def _operation(endpoint: Endpoint, schema: Any, error_schema: Any, prefix: str) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": endpoint.summary,
        "operationId": _operation_id(prefix, endpoint.path),
        "tags": [endpoint.tag],
        "parameters": [
            {
                "name": p.name,
                "in": p.location,
                "required": p.required,
                "description": p.description,
                "schema": p.schema,
            }
            for p in endpoint.params
        ],
        "responses": {},
    }
    if endpoint.description:
        operation["description"] = endpoint.description
    if schema is not None:
        operation["responses"][str(endpoint.status)] = {
            "description": "OK",
            "content": {"application/json": {"schema": schema}},
        }
    codes = list(endpoint.errors)
    if not endpoint.public:
        codes.append(401)
    for code in sorted(set(codes)):
        operation["responses"][str(code)] = {
            "description": ERROR_TEXT.get(code, "Error"),
            "content": {"application/json": {"schema": error_schema}},
        }
    if endpoint.public:
        operation["security"] = []
    return operation


def _operation_id(prefix: str, path: str) -> str:
    words = re.findall(r"[a-zA-Z0-9]+", prefix + path)
    return "_".join(words)
