"""The ``games`` subscription filter (``boltodds_games``): sent as seed 002 shows it,
and checked against ``get_games`` like the sports and books against ``get_info``."""

from __future__ import annotations

from pathlib import Path

from boltkit import (  # type: ignore[import-not-found, unused-ignore]
    GAME,
    HOME,
    bolt_server,
    game_message,
    make_source,
    mets_angels,
    open_prices,
    running_hub,
)

MISSING = "Lunar Rovers vs Mars Miners, 2025-07-23, 01"


async def test_games_are_subscribed_to_and_checked_against_get_games(tmp_path: Path) -> None:
    async with bolt_server() as server:
        server.initial = [[game_message("initial_state", mets_angels())]]
        source = make_source(server, sports=["MLB"], games=[GAME, MISSING])
        async with running_hub(tmp_path / "b.db", source) as hub:
            assert server.client.subscription == {
                "action": "subscribe",
                "filters": {"sports": ["MLB"], "games": [GAME, MISSING]},
            }
            assert open_prices(hub)[(1, 0, HOME, "")] == -150
            source.refresh_health()
            assert source.health.detail["subscription"] == {
                "sports": ["MLB"],
                "games": [GAME, MISSING],
            }
        entries = {
            (e.kind, e.text): e.reason for e in source.resolver.quarantine.entries(source.name)
        }
        assert entries[("game", MISSING)] == "configured, but not offered by get_games"
        assert ("game", GAME) not in entries
        assert source.discovered is not None and source.discovered.game_names == [GAME]
