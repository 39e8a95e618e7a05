"""``/api/v2/.../odds/best-line(s)``, ``steamers`` and ``outliers`` over a real hub and
store: prices submitted through the hub, figures checked by hand."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

import msgspec
import pytest
from apikit import KEY, Api  # type: ignore[import-not-found]

from factories import OVER, START, UNDER, event_change, make_event, price, total
from oddswire.model import ParticipantType, PriceStatus
from oddswire.wire.therundown.odds_rows import (
    BestLinesResponse,
    OutliersResponse,
    SteamersResponse,
)

H = {"X-TheRundown-Key": KEY}
GAME = make_event(away=4003, home=4005, start=START + timedelta(hours=1))  # Nets at Bulls
NETS, BULLS = GAME.away_team_id, GAME.home_team_id
OFF, CLOSED = PriceStatus.OFF_BOARD, PriceStatus.CLOSED
DAY = "2026-11-22"


def q(american: float) -> float:
    """Implied probability, by hand."""
    return 100 / (american + 100) if american > 0 else -american / (-american + 100)


async def get(api: Api, path: str, status: int = 200, **query: str) -> dict[str, Any]:
    r = await api.client.get(path, params=query, headers=H)
    assert r.status_code == status, r.text
    return r.json()  # type: ignore[no-any-return]


@pytest.fixture
async def board(api: Api) -> Api:
    """A second game quoted by several books; some prices pulled or closed."""
    await api.hub.submit(
        [
            event_change(GAME),
            # moneyline, Nets: Pinnacle best, BookMaker pulled (was better), JustBet closed
            price(GAME, participant_id=NETS, affiliate_id=19, american=150),
            price(GAME, participant_id=NETS, affiliate_id=23, american=145),
            price(GAME, participant_id=NETS, affiliate_id=3, american=160),
            price(GAME, participant_id=NETS, affiliate_id=7, american=170),
            price(GAME, participant_id=NETS, affiliate_id=7, american=0, status=OFF),
            price(GAME, participant_id=NETS, affiliate_id=10, american=200, status=CLOSED),
            # moneyline, Bulls
            price(GAME, participant_id=BULLS, affiliate_id=19, american=-175),
            price(GAME, participant_id=BULLS, affiliate_id=23, american=-170),
            price(GAME, participant_id=BULLS, affiliate_id=3, american=-180),
            # spreads: -4.5 is DraftKings' main line but a FanDuel alternate
            price(GAME, market_id=2, participant_id=BULLS, line="-4.5", affiliate_id=19),
            price(
                GAME,
                market_id=2,
                participant_id=BULLS,
                line="-4.5",
                affiliate_id=23,
                american=-105,
                main=False,
            ),
            price(
                GAME, market_id=2, participant_id=BULLS, line="-5.5", affiliate_id=23, american=100
            ),
            price(
                GAME, market_id=2, participant_id=NETS, line="4.5", affiliate_id=19, american=-110
            ),
            # totals
            total(GAME, OVER, affiliate_id=19, american=-112),
            total(GAME, OVER, affiliate_id=23, american=-108),
            total(GAME, UNDER, affiliate_id=19, american=-108),
            total(GAME, UNDER, affiliate_id=23, american=-112),
            # a player prop written with its side in the line
            price(
                GAME,
                market_id=29,
                participant_id=1_400_301,
                participant_type=ParticipantType.PLAYER,
                line="Over 24.5",
                affiliate_id=19,
                american=-115,
            ),
        ]
    )
    await api.hub.store.flush()
    return api


# ------------------------------------------------------------------ best line


def best_of(body: dict[str, Any], participant_id: int, line: str = "") -> dict[str, Any]:
    return next(
        s for s in body["best_lines"] if s["participant_id"] == participant_id and s["line"] == line
    )


async def test_event_best_line_ranks_open_prices(board: Api) -> None:
    body = await get(board, f"/api/v2/events/{GAME.event_id}/odds/best-line", market_id="1")
    msgspec.json.decode(msgspec.json.encode(body), type=BestLinesResponse)
    assert body["meta"] == {
        "event_id": GAME.event_id,
        "market_id": 1,
        "period_id": 0,
        "include_alternates": False,
        "count": 2,
        "total": 2,
        "limit": 25,
        "sampled": 8,  # every price on the selected lines, pulled and closed ones included
        "truncated": False,
    }
    nets = best_of(body, NETS)
    assert nets["participant_name"] == "Brooklyn Nets"
    assert nets["participant_type"] == "TYPE_TEAM"
    assert nets["market_name"] == "moneyline"
    assert len(nets["line_id"]) == 32
    assert "side" not in nets
    # the pulled +170 and the closed +200 never count
    assert nets["books"] == 3
    best = nets["best"]
    assert (best["affiliate_id"], best["affiliate_name"], best["price"]) == (3, "Pinnacle", 160)
    assert best["probability"] == round(q(160), 6)
    assert best["is_main_line"] is True
    assert best["updated_at"].endswith("Z")
    assert best["market_line_price_id"].isdigit()
    assert [(a["affiliate_id"], a["price"]) for a in nets["alternatives"]] == [(19, 150), (23, 145)]
    bulls = best_of(body, BULLS)
    assert [bulls["best"]["price"], *(a["price"] for a in bulls["alternatives"])] == [
        -170,
        -175,
        -180,
    ]
    # the query form answers the same
    again = await get(board, "/api/v2/odds/best-line", event_id=GAME.event_id, market_id="1")
    assert again == body


async def test_best_line_filters(board: Api) -> None:
    path = f"/api/v2/events/{GAME.event_id}/odds/best-line"
    only = await get(board, path, market_id="1", participant_id=str(BULLS))
    assert [s["participant_id"] for s in only["best_lines"]] == [BULLS]
    same = await get(board, path, market_id="1", market_participant_id=str(BULLS))
    assert same["best_lines"] == only["best_lines"]
    both = await get(
        board, path, market_id="1", participant_id=str(BULLS), market_participant_id=str(NETS)
    )
    assert both["best_lines"] == []
    books = await get(board, path, market_id="1", affiliate_ids="19,23")
    nets = best_of(books, NETS)
    assert nets["best"]["affiliate_id"] == 19
    assert [a["affiliate_id"] for a in nets["alternatives"]] == [23]
    # main lines only by default: FanDuel's -4.5 is an alternate
    spreads = await get(board, path, market_id="2")
    assert [(s["participant_id"], s["line"]) for s in spreads["best_lines"]] == [
        (BULLS, "-4.5"),
        (BULLS, "-5.5"),
        (NETS, "4.5"),
    ]
    assert best_of(spreads, BULLS, "-4.5")["books"] == 1
    alternates = await get(board, path, market_id="2", include_alternates="true", line="-4.5")
    (minus,) = alternates["best_lines"]
    assert (minus["best"]["affiliate_id"], minus["best"]["price"]) == (23, -105)
    assert minus["best"]["is_main_line"] is False
    assert [a["affiliate_id"] for a in minus["alternatives"]] == [19]
    # totals: sides, participant type as an integer or a name
    totals = await get(board, path, market_id="3", side="under")
    (under,) = totals["best_lines"]
    assert (under["side"], under["participant_name"], under["line"]) == ("under", "Under", "224.5")
    assert (under["best"]["affiliate_id"], under["best"]["price"]) == (19, -108)
    assert (await get(board, path, market_id="3", participant_type="3"))["meta"]["count"] == 2
    assert (await get(board, path, market_id="3", participant_type="TYPE_TEAM"))["meta"][
        "count"
    ] == 0
    assert (await get(board, path, market_id="3", line="224.5"))["meta"]["count"] == 2
    assert (await get(board, path, market_id="3", line="225"))["meta"]["count"] == 0
    # props carry their side in the line
    props = await get(board, path, market_id="29", side="over", line="Over 24.5")
    (prop,) = props["best_lines"]
    assert (prop["side"], prop["participant_type"]) == ("over", "TYPE_PLAYER")
    assert (await get(board, path, market_id="29", side="under"))["best_lines"] == []
    limited = await get(board, path, market_id="1", limit="1")
    assert limited["meta"]["count"] == 1 and limited["meta"]["total"] == 2


async def test_day_best_lines(board: Api) -> None:
    path = f"/api/v2/sports/4/odds/best-lines/{DAY}"
    body = await get(board, path, market_id="1")
    msgspec.json.decode(msgspec.json.encode(body), type=BestLinesResponse)
    meta = body["meta"]
    assert (meta["sport_id"], meta["date"], meta["limit"]) == (4, DAY, 250)
    # both games, in start order; alternatives only with include_all
    assert [s["event_id"] for s in body["best_lines"]] == [board.game.event_id] * 2 + [
        GAME.event_id
    ] * 2
    assert all("alternatives" not in s for s in body["best_lines"])
    # the first game's away side: DraftKings +150 open, FanDuel pulled
    away = body["best_lines"][0]
    assert (away["best"]["affiliate_id"], away["best"]["price"], away["books"]) == (19, 150, 1)
    everything = await get(board, path, market_id="1", include_all="true", all_limit="1")
    nets = best_of(everything, NETS)
    assert [a["affiliate_id"] for a in nets["alternatives"]] == [19]
    sampled = await get(board, path, market_id="1", sample_limit="3")
    assert sampled["meta"]["truncated"] is True
    assert sampled["meta"]["sampled"] == 4  # whole lines: the first game's two
    assert sampled["meta"]["total"] == 2
    cut = await get(board, path, market_id="1", limit="3")
    assert (cut["meta"]["count"], cut["meta"]["total"]) == (3, 4)
    offset = await get(board, path.replace(DAY, "2026-11-21"), market_id="1", offset="240")
    assert offset["meta"]["total"] == 4  # 00:30 and 01:30 UTC are the 21st in UTC-4


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({}, "market_id is required"),
        ({"market_id": "x"}, "market_id"),
        ({"market_id": "99999"}, "market_id: unknown market"),
        ({"market_id": "1", "period_id": "-1"}, "period_id"),
        ({"market_id": "1", "participant_type": "4"}, "participant_type"),
        ({"market_id": "1", "participant_type": "TYPE_HORSE"}, "participant_type"),
        ({"market_id": "1", "side": "left"}, "side"),
        ({"market_id": "1", "line": "big"}, "line"),
        ({"market_id": "1", "include_alternates": "perhaps"}, "include_alternates"),
        ({"market_id": "1", "affiliate_ids": "a"}, "affiliate_ids"),
        ({"market_id": "1", "limit": "0"}, "limit"),
        ({"market_id": "1", "participant_id": "me"}, "participant_id"),
    ],
)
async def test_best_line_bad_parameters(api: Api, query: dict[str, str], named: str) -> None:
    for path in (
        f"/api/v2/events/{api.game.event_id}/odds/best-line",
        f"/api/v2/sports/4/odds/best-lines/{DAY}",
    ):
        body = await get(api, path, 400, **query)
        assert body["error"].startswith(named), body
    body = await get(api, "/api/v2/odds/best-line", 400, event_id=api.game.event_id, **query)
    assert body["error"].startswith(named)


async def test_best_line_day_only_parameters_and_404s(api: Api) -> None:
    path = f"/api/v2/sports/4/odds/best-lines/{DAY}"
    for query, named in (
        ({"all_limit": "26"}, "all_limit"),
        ({"sample_limit": "20001"}, "sample_limit"),
        ({"limit": "1001"}, "limit"),
        ({"include_all": "x"}, "include_all"),
        ({"offset": "900"}, "offset"),
    ):
        body = await get(api, path, 400, market_id="1", **query)
        assert body["error"].startswith(named)
    assert (await get(api, path.replace(DAY, "tomorrow"), 400, market_id="1"))["error"].startswith(
        "date"
    )
    await get(api, f"/api/v2/sports/999/odds/best-lines/{DAY}", 404, market_id="1")
    assert await get(api, "/api/v2/events/" + "0" * 32 + "/odds/best-line", 404, market_id="1") == {
        "error": "Not Found"
    }
    assert (await get(api, "/api/v2/odds/best-line", 400, market_id="1")) == {
        "error": "event_id is required"
    }


# ------------------------------------------------------------------- steamers


@pytest.fixture
async def moved(api: Api) -> tuple[Api, float]:
    """The Bulls' moneyline moved in the last few minutes at several books."""
    now = time.time()

    def bulls(
        book: int, american: float, ago: float, status: PriceStatus = PriceStatus.OPEN
    ) -> Any:
        return price(
            GAME,
            participant_id=BULLS,
            affiliate_id=book,
            american=american,
            status=status,
            ts=now - ago,
        )

    await api.hub.submit(
        [
            event_change(GAME),
            # where everyone stood ten minutes ago
            *(bulls(book, -150, 600) for book in (19, 23, 3, 7, 22)),
            bulls(20, -150, 700),
            bulls(20, 0, 600, OFF),
            # the window
            bulls(19, -160, 120),
            bulls(23, -165, 90),
            bulls(3, -140, 100),
            bulls(22, -155, 200),
            bulls(10, -170, 100),  # new in the window: nothing to move from
            bulls(20, -170, 60),  # reopened: off the board at the window's start
            bulls(19, -175, 40),
            bulls(22, -150, 30),  # and back: no move
            bulls(7, 0, 50, OFF),  # pulled now
            # a Nets price moving too, at one book
            price(GAME, participant_id=NETS, affiliate_id=19, american=130, ts=now - 600),
            price(GAME, participant_id=NETS, affiliate_id=19, american=140, ts=now - 20),
        ]
    )
    await api.hub.store.flush()
    return api, now


async def test_steamers(moved: tuple[Api, float]) -> None:
    api, now = moved
    body = await get(api, f"/api/v2/sports/4/odds/steamers/{DAY}")
    msgspec.json.decode(msgspec.json.encode(body), type=SteamersResponse)
    meta = body["meta"]
    assert (meta["sport_id"], meta["date"], meta["window_minutes"], meta["limit"]) == (
        4,
        DAY,
        5,
        25,
    )
    assert (meta["count"], meta["total"], meta["truncated"]) == (4, 4, False)
    since = datetime.fromisoformat(meta["since"]).timestamp()
    assert now - 301 <= since <= time.time() - 299
    rows = body["steamers"]
    assert [(r["affiliate_id"], r["participant_id"]) for r in rows] == [
        (19, BULLS),
        (23, BULLS),
        (19, NETS),
        (3, BULLS),
    ]
    dk = rows[0]
    assert dk["event_id"] == GAME.event_id
    assert (dk["market_id"], dk["period_id"], dk["line"]) == (1, 0, "")
    assert (dk["participant_name"], dk["participant_type"]) == ("Chicago Bulls", "TYPE_TEAM")
    assert dk["affiliate_name"] == "DraftKings"
    assert (dk["price_from"], dk["price_to"]) == (-150, -175)
    assert dk["probability_from"] == round(q(-150), 6)
    assert dk["probability_to"] == round(q(-175), 6)
    assert dk["move_pp"] == round((q(-175) - q(-150)) * 100, 4) == 3.6364
    assert dk["moves"] == 2
    assert dk["books_same_direction"] == 2  # DraftKings and FanDuel shortened the Bulls
    assert dk["first_moved_at"] < dk["last_moved_at"]
    assert dk["is_main_line"] is True
    fanduel = rows[1]
    assert fanduel["move_pp"] == round((q(-165) - q(-150)) * 100, 4)
    assert fanduel["moves"] == 1 and fanduel["books_same_direction"] == 2
    nets = rows[2]
    assert nets["move_pp"] == round((q(140) - q(130)) * 100, 4) < 0
    assert nets["books_same_direction"] == 1
    pinnacle = rows[3]
    assert pinnacle["move_pp"] == round((q(-140) - q(-150)) * 100, 4) == -1.6667
    assert pinnacle["books_same_direction"] == 1
    # the query form
    again = await get(api, "/api/v2/odds/steamers", sport_id="4", date=DAY)
    assert again["steamers"] == rows


async def test_steamers_window_books_and_limit(moved: tuple[Api, float]) -> None:
    api, _ = moved
    path = f"/api/v2/sports/4/odds/steamers/{DAY}"
    recent = (await get(api, path, window_minutes="1"))["steamers"]
    # within the last minute: DraftKings -160 -> -175, Bookmaker 22 -155 -> -150, Nets
    assert [(r["affiliate_id"], r["participant_id"], r["price_from"]) for r in recent] == [
        (19, BULLS, -160),
        (19, NETS, 130),
        (22, BULLS, -155),
    ]
    assert recent[0]["move_pp"] == round((q(-175) - q(-160)) * 100, 4)
    assert recent[0]["moves"] == 1
    pinnacle = (await get(api, path, affiliate_ids="3,7"))["steamers"]
    assert [(r["affiliate_id"], r["books_same_direction"]) for r in pinnacle] == [(3, 1)]
    top = await get(api, path, limit="1")
    assert (top["meta"]["count"], top["meta"]["total"]) == (1, 4)
    other_day = await get(api, "/api/v2/sports/4/odds/steamers/2026-11-23")
    assert other_day["steamers"] == []


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"window_minutes": "0"}, "window_minutes"),
        ({"window_minutes": "121"}, "window_minutes"),
        ({"window_minutes": "five"}, "window_minutes"),
        ({"limit": "101"}, "limit"),
        ({"affiliate_ids": "x"}, "affiliate_ids"),
        ({"offset": "-841"}, "offset"),
    ],
)
async def test_steamers_bad_parameters(api: Api, query: dict[str, str], named: str) -> None:
    body = await get(api, f"/api/v2/sports/4/odds/steamers/{DAY}", 400, **query)
    assert body["error"].startswith(named)
    body = await get(api, "/api/v2/odds/steamers", 400, sport_id="4", date=DAY, **query)
    assert body["error"].startswith(named)


async def test_steamers_and_outliers_query_forms_need_sport_and_date(api: Api) -> None:
    for path, extra in (
        ("/api/v2/odds/steamers", {}),
        ("/api/v2/odds/outliers", {"affiliate_id": "19"}),
    ):
        assert await get(api, path, 400, date=DAY, **extra) == {"error": "sport_id is required"}
        assert await get(api, path, 400, sport_id="4", **extra) == {"error": "date is required"}
        bad = await get(api, path, 400, sport_id="4", date="soon", **extra)
        assert bad["error"].startswith("date:")
        await get(api, path, 404, sport_id="999", date=DAY, **extra)
    await get(api, f"/api/v2/sports/999/odds/steamers/{DAY}", 404)
    await get(api, f"/api/v2/sports/999/odds/outliers/{DAY}", 404, affiliate_id="19")


# ------------------------------------------------------------------- outliers


@pytest.fixture
async def spread_out(api: Api) -> Api:
    """Four books on the Bulls' moneyline and the total; BetMGM (22) far from the rest."""
    changes = [event_change(GAME)]
    for book, bulls, nets, over in (
        (19, -150, 130, -110),
        (23, -155, 135, -112),
        (3, -145, 128, -108),
        (22, -120, 105, -130),
    ):
        changes += [
            price(GAME, participant_id=BULLS, affiliate_id=book, american=bulls),
            price(GAME, participant_id=NETS, affiliate_id=book, american=nets),
            total(GAME, OVER, affiliate_id=book, american=over),
        ]
    # an off-board peer never counts; a line only BetMGM and one peer quote needs min_peers
    changes += [
        price(GAME, participant_id=BULLS, affiliate_id=7, american=-300),
        price(GAME, participant_id=BULLS, affiliate_id=7, american=0, status=OFF),
        total(GAME, UNDER, affiliate_id=22, american=-105),
        total(GAME, UNDER, affiliate_id=19, american=-110),
    ]
    await api.hub.submit(changes)
    return api


async def test_outliers(spread_out: Api) -> None:
    api = spread_out
    body = await get(api, f"/api/v2/sports/4/odds/outliers/{DAY}", affiliate_id="22")
    msgspec.json.decode(msgspec.json.encode(body), type=OutliersResponse)
    meta = body["meta"]
    assert (meta["affiliate_id"], meta["affiliate_name"], meta["min_peers"]) == (22, "BetMGM", 2)
    # BetMGM quotes four prices; the Under has one peer only
    assert (meta["examined"], meta["truncated"], meta["total"], meta["count"]) == (4, False, 3, 3)
    rows = body["outliers"]
    bulls_consensus = q(-150)  # median of -150, -155, -145
    nets_consensus = q(130)  # median of 130, 135, 128
    over_consensus = q(-110)
    expected = sorted(
        [
            (BULLS, (q(-120) - bulls_consensus) * 100),
            (NETS, (q(105) - nets_consensus) * 100),
            (OVER, (q(-130) - over_consensus) * 100),
        ],
        key=lambda e: -abs(e[1]),
    )
    assert [(r["participant_id"], r["deviation_pp"]) for r in rows] == [
        (pid, round(dev, 4)) for pid, dev in expected
    ]
    bulls = next(r for r in rows if r["participant_id"] == BULLS)
    assert bulls["price"] == -120
    assert bulls["probability"] == round(q(-120), 6)
    assert bulls["consensus_probability"] == round(bulls_consensus, 6)
    assert bulls["consensus_price"] == -150
    # -120 implies 54.5% where the others say 60%: it pays more, better for the bettor
    assert bulls["for_bettor"] == "better"
    nets = next(r for r in rows if r["participant_id"] == NETS)
    assert nets["for_bettor"] == "worse"  # +105 on the dog pays less than +130
    assert nets["peers"] == 3 and nets["peer_affiliate_ids"] == [3, 19, 23]
    assert bulls["peer_affiliate_ids"] == [3, 19, 23]  # BookMaker's pulled price is no peer
    over = next(r for r in rows if r["participant_id"] == OVER)
    assert over["for_bettor"] == "worse" and over["line"] == "224.5"
    assert over["market_name"] == "totals" and over["participant_type"] == "TYPE_RESULT"
    # the query form
    again = await get(api, "/api/v2/odds/outliers", sport_id="4", date=DAY, affiliate_id="22")
    assert again["outliers"] == rows


async def test_outliers_parameters(spread_out: Api) -> None:
    api = spread_out
    path = f"/api/v2/sports/4/odds/outliers/{DAY}"
    lone = await get(api, path, affiliate_id="22", min_peers="1")
    assert lone["meta"]["total"] == 4
    under = next(r for r in lone["outliers"] if r["participant_id"] == UNDER)
    assert under["peers"] == 1 and under["consensus_price"] == -110
    assert under["deviation_pp"] == round((q(-105) - q(-110)) * 100, 4)
    assert under["for_bettor"] == "better"
    sample = await get(api, path, affiliate_id="22", sample_limit="2")
    assert (sample["meta"]["examined"], sample["meta"]["truncated"]) == (2, True)
    # peers: only DraftKings and FanDuel (BetMGM itself in the list is ignored)
    peers = await get(api, path, affiliate_id="22", affiliate_ids="19,23,22")
    bulls = next(r for r in peers["outliers"] if r["participant_id"] == BULLS)
    assert bulls["peer_affiliate_ids"] == [19, 23]
    assert bulls["consensus_probability"] == round((q(-150) + q(-155)) / 2, 6)
    assert (await get(api, path, affiliate_id="22", affiliate_ids="19"))["outliers"] == []
    top = await get(api, path, affiliate_id="22", limit="1")
    assert (top["meta"]["count"], top["meta"]["total"]) == (1, 3)
    # a book that quotes nothing has no outliers
    assert (await get(api, path, affiliate_id="1"))["meta"]["examined"] == 0


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({}, "affiliate_id is required"),
        ({"affiliate_id": "x"}, "affiliate_id"),
        ({"affiliate_id": "999"}, "affiliate_id: unknown book"),
        ({"affiliate_id": "22", "min_peers": "0"}, "min_peers"),
        ({"affiliate_id": "22", "sample_limit": "5001"}, "sample_limit"),
        ({"affiliate_id": "22", "limit": "101"}, "limit"),
        ({"affiliate_id": "22", "affiliate_ids": "1,,x"}, "affiliate_ids"),
        ({"affiliate_id": "22", "offset": "x"}, "offset"),
    ],
)
async def test_outliers_bad_parameters(api: Api, query: dict[str, str], named: str) -> None:
    body = await get(api, f"/api/v2/sports/4/odds/outliers/{DAY}", 400, **query)
    assert body["error"].startswith(named)
    body = await get(api, "/api/v2/odds/outliers", 400, sport_id="4", date=DAY, **query)
    assert body["error"].startswith(named)
