"""Routes TheRundown retired: they answer 410 Gone, as TheRundown's do."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from oddswire.api.errors import error_response
from oddswire.api.registry import Endpoint, path

HEDGE_PATHS = (
    "/hedge",
    "/hedge/top",
    "/hedge/top/mainline",
    "/hedge/top/props",
    "/hedge/{hedge_id}",
    "/hedge/event/{event_id}",
)


async def gone(request: Request) -> Response:
    return error_response(410, "Gone: the V1 hedge routes were retired; use /api/v2/hedge")


def endpoints() -> list[Endpoint]:
    out = []
    for route in HEDGE_PATHS:
        params = [
            path(name, {"type": "string"})
            for name in ("hedge_id", "event_id")
            if f"{{{name}}}" in route
        ]
        out.append(
            Endpoint(
                route,
                gone,
                "Retired V1 hedge route (410)",
                None,
                "V1 Retired",
                params,
                errors=(410,),
                prefixes=("/api/v1", "/api/v1/v2"),
            )
        )
    return out
