"""V2 reference shapes: sports, affiliates, season types, teams, players, markets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from oddswire.model.reference import Affiliate as BookData
from oddswire.model.reference import MarketDefinition as MarketData
from oddswire.model.reference import Player as PlayerData
from oddswire.model.reference import Team as TeamData
from oddswire.refdata import Catalog
from oddswire.wire.therundown import v2_models as v2

SEASON_TYPES = {1: "Preseason", 2: "Regular Season", 3: "Postseason"}
#: TheRundown's catalogue carries an ``updated_at``; ours changes with the package.
CATALOG_UPDATED_AT = "2026-11-21T00:00:00Z"


def sports(catalog: Catalog) -> v2.SportsResponse:
    return v2.SportsResponse(
        sports=[
            v2.Sport(sport_id=s.sport_id, sport_name=s.sport_name)
            for s in sorted(catalog.sports.values(), key=lambda s: s.sport_id)
        ]
    )


def affiliate(book: BookData, status: str | None, *, include_regions: bool) -> v2.Affiliate:
    out = v2.Affiliate(
        affiliate_id=book.affiliate_id,
        affiliate_name=book.affiliate_name,
        affiliate_url=book.affiliate_url,
    )
    if status is not None:
        out.status = status
    if include_regions:
        out.regions = [v2.Region(id=r.id, name=r.name) for r in book.regions]
    return out


def affiliates(
    catalog: Catalog, statuses: Mapping[int, str], *, include_regions: bool
) -> v2.AffiliatesResponse:
    """Active books; ``status`` (healthy/unhealthy) for books a source currently feeds."""
    return v2.AffiliatesResponse(
        affiliates=[
            affiliate(book, statuses.get(book.affiliate_id), include_regions=include_regions)
            for book in sorted(catalog.affiliates.values(), key=lambda a: a.affiliate_id)
            if book.active
        ]
    )


def season_types(catalog: Catalog) -> v2.SeasonTypesResponse:
    return v2.SeasonTypesResponse(
        season_types=[
            v2.SeasonType(
                sport_id=sport.sport_id,
                sport_name=sport.sport_name,
                season_type_id=type_id,
                season_type_name=name,
            )
            for sport in sorted(catalog.sports.values(), key=lambda s: s.sport_id)
            for type_id, name in SEASON_TYPES.items()
        ]
    )


def conference(catalog: Catalog, conference_id: int | None) -> v2.Conference | None:
    found = catalog.conferences.get(conference_id or -1)
    if found is None:
        return None
    return v2.Conference(
        conference_id=found.conference_id, sport_id=found.sport_id, name=found.name
    )


def division(catalog: Catalog, division_id: int | None) -> v2.Division | None:
    found = catalog.divisions.get(division_id or -1)
    if found is None:
        return None
    return v2.Division(
        division_id=found.division_id,
        conference_id=found.conference_id,
        sport_id=found.sport_id,
        name=found.name,
    )


def team(catalog: Catalog, data: TeamData) -> v2.Team:
    out = v2.Team(
        team_id=data.team_id, name=data.name, mascot=data.mascot, abbreviation=data.abbreviation
    )
    conf = conference(catalog, data.conference_id)
    if conf is not None:
        out.conference = conf
    div = division(catalog, data.division_id)
    if div is not None:
        out.division = div
    return out


def teams(catalog: Catalog, data: Iterable[TeamData]) -> v2.TeamsResponse:
    return v2.TeamsResponse(teams=[team(catalog, t) for t in sorted(data, key=lambda t: t.team_id)])


def conferences(catalog: Catalog, sport_id: int) -> v2.ConferencesResponse:
    found = [c for c in catalog.conferences.values() if c.sport_id == sport_id]
    return v2.ConferencesResponse(
        conferences=[
            v2.Conference(conference_id=c.conference_id, sport_id=c.sport_id, name=c.name)
            for c in sorted(found, key=lambda c: c.conference_id)
        ]
    )


def divisions(catalog: Catalog, sport_id: int) -> v2.DivisionsResponse:
    found = [d for d in catalog.divisions.values() if d.sport_id == sport_id]
    return v2.DivisionsResponse(
        divisions=[
            v2.Division(
                division_id=d.division_id,
                conference_id=d.conference_id,
                sport_id=d.sport_id,
                name=d.name,
            )
            for d in sorted(found, key=lambda d: d.division_id)
        ]
    )


def player(data: PlayerData) -> v2.Player:
    return v2.Player(
        id=data.id,
        sport_id=data.sport_id,
        team_id=data.team_id,
        first_name=data.first_name,
        last_name=data.last_name,
        display_name=data.display_name,
        position=data.position,
        position_abbreviation=data.position_abbreviation,
        jersey=data.jersey,
    )


def players(data: Iterable[PlayerData]) -> v2.PlayersResponse:
    return v2.PlayersResponse(players=[player(p) for p in sorted(data, key=lambda p: p.id)])


def market_definition(data: MarketData) -> v2.MarketDefinition:
    return v2.MarketDefinition(
        id=data.id,
        name=data.name,
        description=data.description,
        short_description=data.short_description,
        line_value_is_participant=data.line_value_is_participant,
        proposition=data.proposition,
        period_id=data.period_id,
        live_variant_id=data.live_variant_id,
        live=data.live,
        sports=data.sports,
        updated_at=CATALOG_UPDATED_AT,
    )


def market_definitions(data: Iterable[MarketData]) -> list[v2.MarketDefinition]:
    return [market_definition(m) for m in sorted(data, key=lambda m: m.id)]
