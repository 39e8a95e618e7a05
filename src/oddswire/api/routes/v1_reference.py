"""V1 reference endpoints: sports, books, season types, teams, conferences, dates."""

from __future__ import annotations

from dataclasses import replace

from starlette.requests import Request
from starlette.responses import Response

from oddswire.api import params
from oddswire.api.context import ApiContext
from oddswire.api.errors import json_response
from oddswire.api.registry import INCLUDE, OFFSET, SPORT_ID, Endpoint
from oddswire.api.routes import v2_markets
from oddswire.api.routes.v1_shared import V1
from oddswire.wire.therundown import v1_models as v1
from oddswire.wire.therundown import v1_reference as ref1
from oddswire.wire.therundown import v2_reference as ref2

FORMAT = replace(
    v2_markets.FORMAT,
    description="`iso8601` (default; `date`, as the 2021 SDK sent it, is the same) or `epoch`",
)


def endpoints(ctx: ApiContext) -> list[Endpoint]:
    catalog = ctx.catalog
    sports_body = ref2.sports(catalog)
    season_types_body = ref2.season_types(catalog)
    dates = v2_markets.sport_dates_handler(ctx)

    def sport_id(request: Request) -> int:
        found = params.path_int(request.path_params["sport_id"], "sport_id")
        ctx.sport_or_404(found)
        return found

    async def sports(request: Request) -> Response:
        return json_response(sports_body)

    async def affiliates(request: Request) -> Response:
        include_regions = "regions" in params.includes(request.query_params)
        return json_response(ref1.affiliates(catalog, include_regions=include_regions))

    async def season_types(request: Request) -> Response:
        return json_response(season_types_body)

    async def teams(request: Request) -> Response:
        return json_response(ref1.teams(catalog.teams_of(sport_id(request))))

    async def conferences(request: Request) -> Response:
        return json_response(ref2.conferences(catalog, sport_id(request)))

    async def divisions(request: Request) -> Response:
        return json_response(ref2.divisions(catalog, sport_id(request)))

    tag = "V1 Reference"
    books = "Sportsbooks (`include=regions` adds their regions)"
    return [
        Endpoint(
            "/sports",
            sports,
            "Sports",
            v1.V1SportsResponse,
            tag,
            public=True,
            errors=(),
            prefixes=V1,
        ),
        Endpoint(
            "/affiliates",
            affiliates,
            books,
            v1.V1AffiliatesResponse,
            tag,
            (INCLUDE,),
            public=True,
            errors=(400,),
            prefixes=V1,
        ),
        Endpoint(
            "/sportsbooks",
            affiliates,
            books + "; alias of /affiliates",
            v1.V1AffiliatesResponse,
            tag,
            (INCLUDE,),
            public=True,
            errors=(400,),
            prefixes=V1,
        ),
        Endpoint(
            "/season_types",
            season_types,
            "Season types",
            v1.V1SeasonTypesResponse,
            tag,
            errors=(),
            prefixes=V1,
        ),
        Endpoint(
            "/sports/{sport_id}/teams",
            teams,
            "Teams of a sport",
            v1.V1TeamsResponse,
            "V1 Sports",
            (SPORT_ID,),
            prefixes=V1,
        ),
        Endpoint(
            "/sports/{sport_id}/conferences",
            conferences,
            "Conferences of a sport",
            v1.V1ConferencesResponse,
            "V1 Sports",
            (SPORT_ID,),
            prefixes=V1,
        ),
        Endpoint(
            "/sports/{sport_id}/divisions",
            divisions,
            "Divisions of a sport",
            v1.V1DivisionsResponse,
            "V1 Sports",
            (SPORT_ID,),
            prefixes=V1,
        ),
        Endpoint(
            "/sports/{sport_id}/dates",
            dates,
            "Start times of a sport's events",
            v1.V1Dates,
            "V1 Sports",
            (SPORT_ID, OFFSET, FORMAT),
            prefixes=V1,
        ),
    ]
