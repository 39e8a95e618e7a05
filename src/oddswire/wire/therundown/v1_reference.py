"""V1 reference shapes: books, teams, and the two team lists of a V1 event."""

from __future__ import annotations

from collections.abc import Iterable

from oddswire.model.event import Event
from oddswire.model.reference import Affiliate as BookData
from oddswire.model.reference import Team as TeamData
from oddswire.refdata import Catalog
from oddswire.wire.therundown import v1_models as v1
from oddswire.wire.therundown import v2_models as v2
from oddswire.wire.therundown.v2_reference import conference, division


def affiliate(book: BookData, *, include_regions: bool = False) -> v1.V1Affiliate:
    out = v1.V1Affiliate(
        affiliate_id=book.affiliate_id,
        affiliate_name=book.affiliate_name,
        affiliate_url=book.affiliate_url,
    )
    if include_regions:
        out.regions = [v2.Region(id=r.id, name=r.name) for r in book.regions]
    return out


def unknown_affiliate(affiliate_id: int) -> v1.V1Affiliate:
    return v1.V1Affiliate(
        affiliate_id=affiliate_id, affiliate_name=str(affiliate_id), affiliate_url=""
    )


def affiliates(catalog: Catalog, *, include_regions: bool) -> v1.V1AffiliatesResponse:
    """Active books (V1 has no ``status``)."""
    return v1.V1AffiliatesResponse(
        affiliates=[
            affiliate(book, include_regions=include_regions)
            for book in sorted(catalog.affiliates.values(), key=lambda a: a.affiliate_id)
            if book.active
        ]
    )


def teams(data: Iterable[TeamData]) -> v1.V1TeamsResponse:
    return v1.V1TeamsResponse(
        teams=[
            v1.V1Team(team_id=t.team_id, name=t.name, mascot=t.mascot, abbreviation=t.abbreviation)
            for t in sorted(data, key=lambda t: t.team_id)
        ]
    )


def full_name(catalog: Catalog, team_id: int) -> str:
    team = catalog.teams.get(team_id)
    return team.full_name if team else "TBD"


def team_normalized(catalog: Catalog, team_id: int, *, away: bool) -> v1.V1TeamNormalized:
    team = catalog.teams.get(team_id)
    out = v1.V1TeamNormalized(
        team_id=team_id,
        name=team.name if team else "",
        mascot=team.mascot if team else "",
        abbreviation=team.abbreviation if team else "",
        is_away=away,
        is_home=not away,
    )
    if team is not None:
        conf = conference(catalog, team.conference_id)
        if conf is not None:
            out.conference = conf
        div = division(catalog, team.division_id)
        if div is not None:
            out.division = div
    return out


def event_teams(catalog: Catalog, event: Event) -> list[v1.V1EventTeam]:
    """``teams``, away first. TheRundown's ``team_id`` here is book-specific; ours is canonical."""
    return [
        v1.V1EventTeam(
            team_id=team_id,
            team_normalized_id=team_id,
            name=full_name(catalog, team_id),
            is_away=away,
            is_home=not away,
        )
        for team_id, away in ((event.away_team_id, True), (event.home_team_id, False))
    ]


def teams_normalized(catalog: Catalog, event: Event) -> list[v1.V1TeamNormalized]:
    """``teams_normalized``, away first."""
    return [
        team_normalized(catalog, event.away_team_id, away=True),
        team_normalized(catalog, event.home_team_id, away=False),
    ]
