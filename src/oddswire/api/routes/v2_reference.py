"""V2 reference endpoints: sports, books, season types, teams, players, markets."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from oddswire.api import params
from oddswire.api.context import ApiContext
from oddswire.api.errors import NotFound, json_response
from oddswire.api.registry import INCLUDE, INT, SPORT_ID, Endpoint, path
from oddswire.wire.therundown import v2_models as v2
from oddswire.wire.therundown import v2_reference as ref

TEAM_ID = path("team_id", INT, "canonical team id")
PLAYER_ID = path("player_id", INT, "player id")


def endpoints(ctx: ApiContext) -> list[Endpoint]:
    catalog = ctx.catalog
    sports_body = ref.sports(catalog)
    season_types_body = ref.season_types(catalog)
    markets_body = ref.market_definitions(catalog.markets.values())

    async def sports(request: Request) -> Response:
        return json_response(sports_body)

    async def affiliates(request: Request) -> Response:
        include_regions = "regions" in params.includes(request.query_params)
        return json_response(
            ref.affiliates(catalog, ctx.affiliate_statuses(), include_regions=include_regions)
        )

    async def season_types(request: Request) -> Response:
        return json_response(season_types_body)

    async def sport_teams(request: Request) -> Response:
        sport_id = params.path_int(request.path_params["sport_id"], "sport_id")
        ctx.sport_or_404(sport_id)
        return json_response(ref.teams(catalog, catalog.teams_of(sport_id)))

    async def conferences(request: Request) -> Response:
        sport_id = params.path_int(request.path_params["sport_id"], "sport_id")
        ctx.sport_or_404(sport_id)
        return json_response(ref.conferences(catalog, sport_id))

    async def divisions(request: Request) -> Response:
        sport_id = params.path_int(request.path_params["sport_id"], "sport_id")
        ctx.sport_or_404(sport_id)
        return json_response(ref.divisions(catalog, sport_id))

    async def team(request: Request) -> Response:
        team_id = params.path_int(request.path_params["team_id"], "team_id")
        found = catalog.teams.get(team_id)
        if found is None:
            raise NotFound()
        return json_response(ref.teams(catalog, [found]))

    async def team_players(request: Request) -> Response:
        team_id = params.path_int(request.path_params["team_id"], "team_id")
        if team_id not in catalog.teams:
            raise NotFound()
        return json_response(
            ref.players(p for p in catalog.players.values() if p.team_id == team_id)
        )

    async def player(request: Request) -> Response:
        player_id = params.path_int(request.path_params["player_id"], "player_id")
        found = catalog.players.get(player_id)
        if found is None:
            raise NotFound()
        return json_response(ref.players([found]))

    async def markets(request: Request) -> Response:
        return json_response(markets_body)

    tag = "V2 Reference"
    return [
        Endpoint("/sports", sports, "Sports", v2.SportsResponse, tag, public=True, errors=()),
        Endpoint(
            "/affiliates",
            affiliates,
            "Sportsbooks, with health status",
            v2.AffiliatesResponse,
            tag,
            (INCLUDE,),
            public=True,
            errors=(400,),
        ),
        Endpoint(
            "/sportsbooks",
            affiliates,
            "Sportsbooks (alias of /affiliates)",
            v2.AffiliatesResponse,
            tag,
            (INCLUDE,),
            public=True,
            errors=(400,),
        ),
        Endpoint(
            "/season_types", season_types, "Season types", v2.SeasonTypesResponse, tag, errors=()
        ),
        Endpoint(
            "/sports/{sport_id}/teams",
            sport_teams,
            "Teams of a sport",
            v2.TeamsResponse,
            "V2 Sports",
            (SPORT_ID,),
        ),
        Endpoint(
            "/sports/{sport_id}/conferences",
            conferences,
            "Conferences of a sport",
            v2.ConferencesResponse,
            "V2 Sports",
            (SPORT_ID,),
        ),
        Endpoint(
            "/sports/{sport_id}/divisions",
            divisions,
            "Divisions of a sport",
            v2.DivisionsResponse,
            "V2 Sports",
            (SPORT_ID,),
        ),
        Endpoint("/teams/{team_id}/", team, "A team", v2.TeamsResponse, "V2 Teams", (TEAM_ID,)),
        Endpoint(
            "/teams/{team_id}/players",
            team_players,
            "Players of a team",
            v2.PlayersResponse,
            "V2 Teams",
            (TEAM_ID,),
        ),
        Endpoint(
            "/players/{player_id}",
            player,
            "A player",
            v2.PlayersResponse,
            "V2 Players",
            (PLAYER_ID,),
        ),
        Endpoint(
            "/markets",
            markets,
            "The market catalogue",
            list[v2.MarketDefinition],
            "V2 Markets",
            errors=(),
        ),
    ]
