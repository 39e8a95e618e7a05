"""Seed 004 (TheRundown's WebSocket guide): its JavaScript clients for the markets and
hedge streams run unchanged in Node but for the host and key, and print real values.

The code is cut from the seed file itself; the only substitutions are the URL's scheme
and host and the placeholder key.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import shutil
from pathlib import Path

import pytest
from wskit import KEY, LiveServer, wait_for  # type: ignore[import-not-found]

from factories import event_change, make_event, price
from oddswire.model import ParticipantType
from oddswire.model.opportunity import Leg, Opportunity, OpportunityKind

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "004_95d4ea66634fa94d.txt"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def markets_client() -> str:
    """From ``const API_KEY`` to the end of ``ws.onclose``."""
    text = SEED.read_text()
    start = text.index('const API_KEY = "YOUR_API_KEY";')
    end = text.index("};", text.index("ws.onclose", start)) + 2
    return text[start:end]


def hedge_client() -> str:
    """The hedge example (it uses the markets example's ``API_KEY``)."""
    text = SEED.read_text()
    start = text.index("const ws = new WebSocket(\n  `wss://therundown.io/api/v2/ws/hedge")
    end = text.index("\n};", text.index("ws.onmessage", start)) + 3
    return 'const API_KEY = "YOUR_API_KEY";\n' + text[start:end]


def localised(code: str, live: LiveServer) -> str:
    changed = code.replace("wss://therundown.io", f"ws://127.0.0.1:{live.port}")
    changed = changed.replace("YOUR_API_KEY", KEY)
    differing = [a for a, b in zip(code.splitlines(), changed.splitlines(), strict=True) if a != b]
    assert len(differing) == 2, differing  # the key line and the URL line, nothing else
    return changed


class NodeClient:
    """The script running in Node; its stdout lines as they come."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc.stdout is not None
        async for raw in self.proc.stdout:
            self.lines.append(raw.decode().rstrip("\n"))

    async def wait_for_line(self, pattern: str, timeout: float = 10.0) -> str:
        regex = re.compile(pattern)
        await wait_for(lambda: any(regex.search(line) for line in self.lines), timeout)
        return next(line for line in self.lines if regex.search(line))

    async def stop(self) -> str:
        with contextlib.suppress(ProcessLookupError):
            self.proc.kill()
        await self.proc.wait()
        await self._reader
        assert self.proc.stderr is not None
        return (await self.proc.stderr.read()).decode()


@contextlib.asynccontextmanager
async def running(script: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "client.mjs"
    path.write_text(script)
    assert NODE is not None
    proc = await asyncio.create_subprocess_exec(
        NODE,
        "--experimental-websocket",
        "--no-warnings",
        str(path),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    client = NodeClient(proc)
    try:
        yield client
    finally:
        errors = await client.stop()
        assert "Error" not in errors, errors


async def test_the_markets_client_prints_real_prices(live: LiveServer, tmp_path: Path) -> None:
    game = make_event()
    await live.submit([event_change(game)])
    async with running(localised(markets_client(), live), tmp_path) as client:
        await client.wait_for_line("Connected to V2 Markets WebSocket")
        await wait_for(lambda: len(live.ctx.fanout.sessions) == 1)
        await live.submit(
            [price(game, participant_id=game.away_team_id, affiliate_id=19, american=150)]
        )
        update = await client.wait_for_line(r"^Update: ")
        line = await client.wait_for_line(r"@ 150 \(19\)$")
        live.ctx.fanout.heartbeat_now()
        await client.wait_for_line("Heartbeat received")
    assert update == f"Update: event={game.event_id} market=Moneyline"
    team = live.hub.catalog.participant_name(game.away_team_id, ParticipantType.TEAM)
    assert line.strip().startswith(f"{team}:")


async def test_the_hedge_client_prints_real_opportunities(live: LiveServer, tmp_path: Path) -> None:
    game = make_event()
    async with running(localised(hedge_client(), live), tmp_path) as client:
        await wait_for(lambda: len(live.ctx.fanout.sessions) == 1)
        live.hub.opportunities.publish(
            [
                Opportunity(
                    id="arb",
                    kind=OpportunityKind.TWO_WAY,
                    event_id=game.event_id,
                    sport_id=4,
                    market_id=1,
                    legs=(
                        Leg(
                            affiliate_id=19,
                            participant_id=game.away_team_id,
                            price=150,
                            wager=100,
                            payout=250,
                        ),
                        Leg(
                            affiliate_id=23,
                            participant_id=game.home_team_id,
                            price=-140,
                            wager=145,
                            payout=248.57,
                        ),
                    ),
                    profit_pct=2.1,
                )
            ]
        )
        header = await client.wait_for_line("Hedge opportunity")
        await client.wait_for_line("FanDuel")
    assert header == "Hedge opportunity: Moneyline (2.1% profit)"
    dk, fd = [line for line in client.lines if line.startswith("  ")]
    assert dk.endswith("@ 150 ($100)") and dk.startswith("  DraftKings: ")
    assert fd.endswith("@ -140 ($145)") and fd.startswith("  FanDuel: ")
