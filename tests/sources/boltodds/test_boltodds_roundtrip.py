"""An oddswire hub as the BoltOdds upstream of another: what one serves on ``/api``
(and ``/api/get_*``), the other's BoltOdds source puts on its board, the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from boltkit import (  # type: ignore[import-not-found, unused-ignore]
    make_source,
    open_prices,
    running_hub,
    upstream_hub,
    wait_for,
)

from factories import (  # type: ignore[import-not-found, unused-ignore]
    OVER,
    UNDER,
    event_change,
    make_event,
    price,
    total,
)
from oddswire.model import ParticipantType, PriceStatus
from oddswire.model.reference import Player
from oddswire.refdata import load_catalog

PLAYER = Player(id=1_400_777, sport_id=4, team_id=4014, first_name="Austin", last_name="Reaves")


def nba_lines(book: int, shift: float = 0) -> list[Any]:
    game = make_event()  # Boston Celtics at Los Angeles Lakers
    home, away = game.home_team_id, game.away_team_id
    return [
        price(game, participant_id=home, affiliate_id=book, american=-160 - shift),
        price(game, participant_id=away, affiliate_id=book, american=140 + shift),
        price(game, market_id=2, participant_id=home, line="-3.5", affiliate_id=book),
        price(game, market_id=2, participant_id=away, line="3.5", affiliate_id=book),
        total(game, OVER, affiliate_id=book, american=-105),
        total(game, UNDER, affiliate_id=book, american=-115),
        price(game, market_id=94, participant_id=home, line="Over 112.5", affiliate_id=book),
        price(game, market_id=4, period_id=1, participant_id=home, affiliate_id=book),
        # a market quoted in another period than its own: "Moneyline (1st Half)"
        price(game, market_id=1, period_id=1, participant_id=away, affiliate_id=book),
        price(game, market_id=41, period_id=7, participant_id=home, affiliate_id=book),
        price(
            game,
            market_id=29,
            participant_id=PLAYER.id,
            participant_type=ParticipantType.PLAYER,
            line="Over 18.5",
            affiliate_id=book,
            american=-120,
        ),
    ]


async def test_a_hub_feeds_another_through_its_boltodds_protocol(tmp_path: Path) -> None:
    load_catalog().register_players([PLAYER])
    nba = make_event()
    mlb = make_event(sport_id=3, away=3014, home=3019)  # Angels at Mets
    async with upstream_hub(tmp_path / "up.db") as up:
        await up.submit(
            [
                event_change(nba),
                event_change(mlb),
                *nba_lines(19),
                *nba_lines(23, shift=5),
                price(mlb, participant_id=3019, affiliate_id=19, american=-130),
            ]
        )
        source = make_source(url=up.url, http_url=up.http_url, sports=["NBA"])
        async with running_hub(tmp_path / "down.db", source) as down:
            for book in (19, 23):
                want = {
                    (c.market_id, c.period_id, c.participant_id, c.line): c.price
                    for c in nba_lines(book, shift=5 if book == 23 else 0)
                }
                got = _by_id(down, book)
                assert got == want
            (state,) = down.board.events()  # the NBA game only: NBA was subscribed
            assert state.event.event_id == nba.event_id  # same teams and start, same id
            assert state.event.event_date == nba.event_date
            discovery = source.discovered
            assert discovery is not None and discovery.sports and "NBA" in discovery.sports
            assert discovery.games == 2
            assert not source.resolver.quarantine.entries(source.name)

            # live: a price change and a suspension travel downstream
            off = price(nba, participant_id=nba.away_team_id, affiliate_id=23, american=0)
            off.status = PriceStatus.OFF_BOARD
            await up.submit([price(nba, participant_id=nba.home_team_id, american=-210), off])
            await wait_for(lambda: _by_id(down, 19).get((1, 0, nba.home_team_id, "")) == -210)
            await wait_for(lambda: (1, 0, nba.away_team_id, "") not in _by_id(down, 23))
            assert open_prices(down, 23)  # the book's other lines stay up


def _by_id(hub: Any, book: int) -> dict[tuple[int, int, int, str], float]:
    return {
        (line.market_id, line.period_id, line.participant_id, line.line): p.price
        for line, affiliate_id, p in hub.board.iter_prices()
        if affiliate_id == book and p.status == PriceStatus.OPEN
    }
