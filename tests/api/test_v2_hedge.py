"""``/api/v2/hedge`` and friends: the opportunity book over REST, in the hedge stream's
record shape, with TheRundown's filters, paging, sort and type semantics."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest
from apikit import KEY, Api  # type: ignore[import-not-found]

from factories import make_event
from oddswire.model.opportunity import Leg, Opportunity, OpportunityKind, OpportunityState
from oddswire.wire.therundown.hedge import HedgeMessages
from oddswire.wire.therundown.odds_rows import HedgeRecord, HedgeResponse, HedgesResponse

H = {"X-TheRundown-Key": KEY}
OTHER = make_event(away=4003, home=4005)  # another game (not on the board)


@pytest.fixture(autouse=True)
def empty_book(api: Api) -> None:
    """The tests publish every opportunity they list (the live detectors find none in the
    fixture's prices, and never run here otherwise: nothing more is submitted)."""
    assert api.hub.opportunities.open == [], "the fixture's prices opened opportunities"


def opp(
    api: Api,
    opportunity_id: str,
    profit: float = 2.0,
    *,
    kind: OpportunityKind = OpportunityKind.TWO_WAY,
    event_id: str | None = None,
    market_id: int = 1,
    books: tuple[int, ...] = (19, 23),
    main: bool = True,
    prop: bool = False,
    live: bool = False,
    state: OpportunityState = OpportunityState.OPEN,
) -> Opportunity:
    game = api.game
    participants = [game.away_team_id, game.home_team_id, 12]
    return Opportunity(
        id=opportunity_id,
        kind=kind,
        event_id=event_id or game.event_id,
        sport_id=4,
        market_id=market_id,
        legs=tuple(
            Leg(
                affiliate_id=book,
                participant_id=participants[i],
                price=150 if i == 0 else -140,
                wager=100.0,
                payout=250.0,
                age_seconds=1.25,
            )
            for i, book in enumerate(books)
        ),
        profit_pct=profit,
        state=state,
        is_live=live,
        is_main_line=main,
        is_prop=prop,
    )


async def get(api: Api, path: str, status: int = 200, **query: str) -> dict[str, Any]:
    r = await api.client.get(path, params=query, headers=H)
    assert r.status_code == status, r.text
    return r.json()  # type: ignore[no-any-return]


async def ids(api: Api, path: str = "/api/v2/hedge", **query: str) -> list[str]:
    body = await get(api, path, **query)
    assert body["meta"]["count"] == len(body["hedges"])
    return [h["id"] for h in body["hedges"]]


async def test_a_record_is_the_hedge_streams_record(api: Api) -> None:
    (published,) = api.hub.opportunities.publish([opp(api, "arb-1", 2.1234567)])
    body = await get(api, "/api/v2/hedge")
    assert body["meta"] == {
        "type": ["2ways"],
        "count": 1,
        "total": 1,
        "limit": 20,
        "offset": 0,
        "sequence": api.hub.opportunities.sequence,
    }
    (record,) = body["hedges"]
    assert record == HedgeMessages(api.hub.catalog, flat=True).record(published)
    assert record["profit_pct"] == 2.1235
    assert record["state"] == "open"
    assert record["market_name"] == "Moneyline"
    bet = record["bets"][0]
    assert bet["affiliate_id"] == 19 and bet["affiliate_name"] == "DraftKings"
    assert bet["participant_name"] == "Boston Celtics" and bet["price"] == 150
    # the typed model (what /openapi.json documents) has exactly the record's fields
    assert set(record) == set(HedgeRecord.__struct_fields__)
    msgspec.json.decode(msgspec.json.encode(body), type=HedgesResponse)
    one = await get(api, "/api/v2/hedge/arb-1")
    assert one == {"hedge": record}
    msgspec.json.decode(msgspec.json.encode(one), type=HedgeResponse)


async def test_types(api: Api) -> None:
    api.hub.opportunities.publish(
        [
            opp(api, "main", 1.0),
            opp(api, "alt", 2.0, main=False),
            opp(api, "prop", 3.0, market_id=29, prop=True),
            opp(api, "three", 4.0, kind=OpportunityKind.THREE_WAY, books=(19, 23, 3)),
            opp(api, "middle", 5.0, kind=OpportunityKind.MIDDLE, market_id=2),
            opp(api, "ev", 6.0, kind=OpportunityKind.POSITIVE_EV, books=(19,)),
            opp(api, "steam", 7.0, kind=OpportunityKind.STEAM, books=(19,)),
        ]
    )
    assert await ids(api) == ["prop", "alt", "main"]  # default 2ways: every 2-way
    assert await ids(api, type="2ways") == ["prop", "alt", "main"]
    assert await ids(api, type="mainlines") == ["main"]
    assert await ids(api, type="props") == ["prop"]
    assert await ids(api, type="3ways,middles") == ["middle", "three"]
    assert await ids(api, type="mainlines, props") == ["prop", "main"]
    body = await get(api, "/api/v2/hedge", type="openev")
    assert [h["id"] for h in body["hedges"]] == ["ev"]
    assert body["meta"]["type"] == ["posev"]
    assert await ids(api, type="posev,openev,steam") == ["steam", "ev"]
    error = await get(api, "/api/v2/hedge", 400, type="2ways,arbs")
    assert error["error"].startswith("type: unknown arbs")


async def test_sort_and_paging(api: Api) -> None:
    api.hub.opportunities.publish(
        [opp(api, "a", 1.0), opp(api, "b", 3.0), opp(api, "c", 2.0), opp(api, "d", 2.0)]
    )
    assert await ids(api) == ["b", "c", "d", "a"]  # ties: oldest first
    assert await ids(api, sort="desc") == ["b", "c", "d", "a"]
    assert await ids(api, sort="asc") == ["a", "c", "d", "b"]
    body = await get(api, "/api/v2/hedge", limit="2", offset="1")
    assert [h["id"] for h in body["hedges"]] == ["c", "d"]
    assert body["meta"]["count"] == 2 and body["meta"]["total"] == 4
    assert body["meta"]["limit"] == 2 and body["meta"]["offset"] == 1
    assert await ids(api, offset="10") == []
    # an update keeps its place by sequence, a new profit moves it
    api.hub.opportunities.publish([opp(api, "a", 9.0)])
    assert await ids(api) == ["a", "b", "c", "d"]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "1001"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "x"}, "offset"),
        ({"sort": "up"}, "sort"),
        ({"min_percent": "101"}, "min_percent"),
        ({"min_percent": "-1"}, "min_percent"),
        ({"min_percent": "lots"}, "min_percent"),
        ({"include_live": "maybe"}, "include_live"),
        ({"include_closed": "2"}, "include_closed"),
        ({"affiliate_ids": "19,x"}, "affiliate_ids"),
        ({"market_id": "one"}, "market_id"),
        ({"type": "bogus"}, "type"),
        ({"type": " , "}, "type"),
    ],
)
async def test_bad_parameters_are_400s_naming_them(
    api: Api, query: dict[str, str], named: str
) -> None:
    for path in ("/api/v2/hedge", "/api/v2/hedge/top", f"/api/v2/hedge/event/{api.game.event_id}"):
        body = await get(api, path, 400, **query)
        assert body["error"].startswith(named), body


async def test_min_percent_live_books_event_and_market(api: Api) -> None:
    api.hub.opportunities.publish(
        [
            opp(api, "small", 0.5),
            opp(api, "big", 2.5),
            opp(api, "live", 3.0, market_id=41, live=True),
            opp(api, "pinnacle", 1.5, books=(19, 3)),
            opp(api, "other", 1.0, event_id=OTHER.event_id, market_id=2),
        ]
    )
    assert await ids(api, min_percent="2.5") == ["big"]
    assert await ids(api, min_percent="0") == ["big", "pinnacle", "other", "small"]
    assert await ids(api, include_live="true") == ["live", "big", "pinnacle", "other", "small"]
    assert await ids(api, include_live="true", min_percent="2.5") == ["live", "big"]
    # every leg at one of the books
    assert await ids(api, affiliate_ids="19,23") == ["big", "other", "small"]
    assert await ids(api, affiliate_ids="19") == []
    assert await ids(api, affiliate_ids="3,19") == ["pinnacle"]
    assert await ids(api, event_id=OTHER.event_id) == ["other"]
    assert await ids(api, market_id="2") == ["other"]
    # a market takes in its live variant (1 -> 41), as the hedge stream does
    assert await ids(api, market_id="1", include_live="1") == ["live", "big", "pinnacle", "small"]


async def test_include_closed(api: Api) -> None:
    book = api.hub.opportunities
    book.publish([opp(api, "gone", 4.0), opp(api, "back", 3.0), opp(api, "open", 1.0)])
    book.publish(
        [
            opp(api, "gone", 4.0, state=OpportunityState.CLOSED),
            opp(api, "back", 3.0, state=OpportunityState.CLOSED),
        ]
    )
    book.publish([opp(api, "back", 2.0)])  # reopened: listed once, open
    assert await ids(api) == ["back", "open"]
    body = await get(api, "/api/v2/hedge", include_closed="true")
    assert [(h["id"], h["state"]) for h in body["hedges"]] == [
        ("gone", "closed"),
        ("back", "open"),
        ("open", "open"),
    ]
    gone = body["hedges"][0]
    assert gone["bets"] == []  # as the stream's hedge_removed record
    assert (await get(api, "/api/v2/hedge/gone"))["hedge"] == gone
    # a closed record still has the legs it closed with, for the book filter
    assert await ids(api, include_closed="true", affiliate_ids="3") == []


async def test_top_is_the_best_of_each_event(api: Api) -> None:
    api.hub.opportunities.publish(
        [
            opp(api, "g1", 1.0),
            opp(api, "g2", 4.0),
            opp(api, "o1", 3.0, event_id=OTHER.event_id),
            opp(api, "o2", 2.0, event_id=OTHER.event_id),
            opp(api, "g-middle", 9.0, kind=OpportunityKind.MIDDLE),
        ]
    )
    assert await ids(api, "/api/v2/hedge/top") == ["g2", "o1"]
    assert await ids(api, "/api/v2/hedge/top", sort="asc") == ["g1", "o2"]
    assert await ids(api, "/api/v2/hedge/top", type="2ways,middles") == ["g-middle", "o1"]
    body = await get(api, "/api/v2/hedge/top", limit="1", offset="1")
    assert [h["id"] for h in body["hedges"]] == ["o1"]
    assert body["meta"]["total"] == 2


async def test_by_event(api: Api) -> None:
    api.hub.opportunities.publish(
        [opp(api, "here", 1.0), opp(api, "there", 5.0, event_id=OTHER.event_id)]
    )
    path = f"/api/v2/hedge/event/{api.game.event_id}"
    assert await ids(api, path) == ["here"]
    assert await ids(api, path, event_id=OTHER.event_id) == ["here"]  # the path wins
    assert await ids(api, path, type="props") == []
    missing = await get(api, f"/api/v2/hedge/event/{OTHER.event_id}", 404)
    assert missing == {"error": "Not Found"}


async def test_by_id(api: Api) -> None:
    api.hub.opportunities.publish([opp(api, "mid", 1.0, kind=OpportunityKind.MIDDLE)])
    # ids are unique across types: the default type (mainlines) does not hide a middle
    assert (await get(api, "/api/v2/hedge/mid"))["hedge"]["type"] == "middles"
    assert (await get(api, "/api/v2/hedge/mid", type="props"))["hedge"]["id"] == "mid"
    assert (await get(api, "/api/v2/hedge/mid", 400, type="nope"))["error"].startswith("type:")
    missing = await get(api, "/api/v2/hedge/unknown", 404)
    assert set(missing) == {"error"} and "not found" in missing["error"]


async def test_a_key_is_needed_and_v1_stays_retired(api: Api) -> None:
    r = await api.client.get("/api/v2/hedge")
    assert r.status_code == 401 and "error" in r.json()
    r = await api.client.get("/api/v1/v2/hedge/top", headers=H)
    assert r.status_code == 410
