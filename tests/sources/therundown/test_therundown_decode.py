"""TheRundownDecoder without I/O: events, delta rows, stream records, the catalogue and
affiliates, ordering, and bad input (fuzzed)."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rundownkit import (
    CELTICS,
    EVENT,
    HEARTBEAT,
    LAKERS,
    OTHER,
    delta_body,
    delta_row,
    event,
    events_body,
    line,
    market,
    participant,
    price,
    stream_price,
)

from oddswire.model.change import ParticipantType, PriceStatus
from oddswire.model.event import EventStatus
from oddswire.refdata import load_catalog
from oddswire.sources.therundown import TheRundownDecoder
from oddswire.sources.upstream.model import Decoded, DecodeError, Record


def decoder() -> TheRundownDecoder:
    return TheRundownDecoder(load_catalog())


def http(body: Any, call: str) -> Record:
    text = body if isinstance(body, str) else json.dumps(body)
    return Record(kind="http", body=text, meta={"path": "/api/v2/x", "call": call})


def ws(text: str) -> Record:
    return Record(kind="ws", body=text, meta={"path": "/api/v2/ws/markets"})


def test_an_event_is_a_game_with_full_team_names_and_its_score() -> None:
    snapshot = event(status="STATUS_IN_PROGRESS", score=(54, 60))
    out = decoder().decode(http(events_body([snapshot], 1000), "events"))
    (game,) = out.games
    assert (game.key, game.sport_id) == (EVENT, 4)
    assert (game.home, game.away) == ("Boston Celtics", "Los Angeles Lakers")
    assert game.start == datetime(2026, 11, 23, 0, 30, tzinfo=UTC)
    assert game.event is not None
    assert game.event.score.event_status is EventStatus.IN_PROGRESS
    assert (game.event.score.score_away, game.event.score.score_home) == (54, 60)
    assert game.event.rotation_number_home == 530


def test_prices_become_quotes_teams_by_name_results_by_canonical_id() -> None:
    out = decoder().decode(http(events_body([event()], 1000), "events"))
    by = {(q.market_id, q.participant.name, q.line, q.affiliate_id): q for q in out.quotes}
    lakers = by[(1, "Los Angeles Lakers", "", 19)]
    assert (lakers.price, lakers.status, lakers.period_id) == (150, PriceStatus.OPEN, 0)
    assert lakers.participant.kind is ParticipantType.TEAM
    assert by[(2, "Boston Celtics", "-4.5", 19)].price == -110
    over = by[(3, "Over", "224.5", 19)]
    assert over.participant.kind is ParticipantType.RESULT
    assert over.participant.result_id == 10
    assert over.source_ts == datetime(2026, 11, 22, 14, tzinfo=UTC).timestamp()
    assert len(out.quotes) == 8


def test_sentinel_is_off_board_closed_at_is_closed_and_moneyline_zero_is_empty() -> None:
    markets = [
        market(
            1,
            [
                participant(
                    LAKERS,
                    "TYPE_TEAM",
                    "Los Angeles Lakers",
                    [
                        line(
                            "0",
                            {
                                "19": price(0.0001),
                                "23": price(140, closed_at="2026-11-22T14:30:00Z"),
                            },
                        )
                    ],
                ),
                participant(CELTICS, "TYPE_TEAM", "Boston Celtics", [line("", {"19": price(0)})]),
            ],
        )
    ]
    out = decoder().decode(http(events_body([event(markets=markets)], 1), "events"))
    status = {(q.participant.name, q.affiliate_id): (q.status, q.line) for q in out.quotes}
    assert status[("Los Angeles Lakers", 19)] == (PriceStatus.OFF_BOARD, "")
    assert status[("Los Angeles Lakers", 23)] == (PriceStatus.CLOSED, "")
    assert status[("Boston Celtics", 19)] == (PriceStatus.OFF_BOARD, "")


def test_players_pass_by_name_with_their_vendor_id() -> None:
    props = [
        market(
            29,
            [
                participant(
                    830123, "TYPE_PLAYER", "LeBron James", [line("Over 24.5", {"19": price(-115)})]
                )
            ],
        )
    ]
    out = decoder().decode(http(events_body([event(markets=props)], 1), "events"))
    (prop,) = out.quotes
    assert prop.participant.kind is ParticipantType.PLAYER
    assert (prop.participant.name, prop.participant.vendor_id, prop.line) == (
        "LeBron James",
        830123,
        "Over 24.5",
    )


def test_delta_rows_need_a_known_event_and_take_the_market_period() -> None:
    d = decoder()
    out = d.decode(http(delta_body([delta_row(1001, "-120", event_id=OTHER)], 1001), "delta"))
    assert out.quotes == [] and d.unknown_events == {OTHER}
    d.decode(http(events_body([event()], 1000), "events"))
    rows = [
        delta_row(1002, "165"),
        delta_row(1003, "-190", participant_id=CELTICS, market_id=41),
        delta_row(
            1004,
            "0.0001",
            participant_id=10,
            kind="TYPE_RESULT",
            name="Over",
            market_id=3,
            line_value="224.5",
        ),
    ]
    out = d.decode(http(delta_body(rows, 1004), "delta"))
    q = {(x.market_id, x.participant.name): x for x in out.quotes}
    assert q[(1, "Los Angeles Lakers")].price == 165
    assert q[(41, "Boston Celtics")].period_id == 7  # the live variant's period
    assert q[(3, "Over")].status is PriceStatus.OFF_BOARD
    assert q[(3, "Over")].participant.result_id == 10


def test_closed_rows_and_remembered_alternate_lines() -> None:
    d = decoder()
    markets = [
        market(
            2,
            [
                participant(
                    LAKERS,
                    "TYPE_TEAM",
                    "Los Angeles Lakers",
                    [line("5.5", {"19": price(-130, main=False)})],
                )
            ],
        )
    ]
    d.decode(http(events_body([event(markets=markets)], 1), "events"))
    rows = [
        delta_row(5, "-125", market_id=2, line_value="5.5"),
        delta_row(
            6,
            "-110",
            change_type="closed",
            closed_at="2026-11-22T14:06:00Z",
            at="2026-11-22T14:06:00Z",
        ),
    ]
    out = d.decode(http(delta_body(rows, 6), "delta"))
    alternate, closed = out.quotes
    assert alternate.is_main_line is False  # as the snapshot said: rows do not say
    assert closed.status is PriceStatus.CLOSED


def test_stream_records_use_learned_participants_and_skip_what_they_cannot_name() -> None:
    d = decoder()
    assert d.decode(ws(HEARTBEAT)) == Decoded()
    assert d.decode(ws(stream_price(2000, "-105"))).quotes == []
    assert d.unknown_events == {EVENT}
    d.decode(http(events_body([event()], 1000), "events"))
    assert d.unknown_events == set()
    (q,) = d.decode(ws(stream_price(2001, "-105"))).quotes
    assert (q.participant.name, q.price, q.period_id, q.affiliate_id) == (
        "Los Angeles Lakers",
        -105,
        0,
        19,
    )
    (total,) = d.decode(
        ws(stream_price(2002, "1.5", participant_id=11, kind=3, market_id=3, line_value="224.5"))
    ).quotes
    assert total.participant.result_id == 11
    assert d.decode(ws(stream_price(2003, "120", participant_id=999999))).quotes == []
    assert d.unknown_events == {EVENT}  # an unnamed participant: fetch the event again
    assert d.stream_ids == {4: 2003}
    assert d.decode(ws('{"meta":{"type":"market_update"},"event_id":"x"}')) == Decoded()


def test_older_prices_are_dropped_for_the_same_line_and_book() -> None:
    d = decoder()
    d.decode(http(events_body([event()], 1000), "events"))
    newer = delta_row(1010, "170", at="2026-11-22T14:20:00Z")
    assert len(d.decode(http(delta_body([newer], 1010), "delta")).quotes) == 1
    older = stream_price(1005, "160", at="2026-11-22T14:10:00Z")
    same_second_older_id = stream_price(1009, "165", at="2026-11-22T14:20:00Z")
    assert d.decode(ws(older)).quotes == []
    assert d.decode(ws(same_second_older_id)).quotes == []
    assert d.stale_dropped == 2
    assert len(d.decode(ws(stream_price(1011, "175", at="2026-11-22T14:20:00Z"))).quotes) == 1


def test_catalogue_and_affiliates_report_unknown_ids() -> None:
    d = decoder()
    out = d.decode(
        http(
            [{"id": 1, "live_variant_id": 41}, {"id": 9999, "name": "odd"}, {"id": "bad"}],
            "markets",
        )
    )
    assert d.live_variants == {1: 41}
    assert [(p.kind, p.text) for p in out.problems] == [
        ("market", "9999 odd"),
        ("market", '{"id": "bad"}'),
    ]
    d.followed_markets = {1, 2, 3}
    assert d.decode(http([{"id": 9999}], "markets")).problems == []
    out = d.decode(
        http(
            {
                "affiliates": [
                    {"affiliate_id": 19},
                    {"affiliate_id": 77, "affiliate_name": "NewBook"},
                ]
            },
            "affiliates",
        )
    )
    assert [(p.kind, p.text) for p in out.problems] == [("book", "77 NewBook")]


def test_one_bad_event_or_row_does_not_lose_the_rest() -> None:
    d = decoder()
    broken = {"event_id": "x", "sport_id": "four", "event_date": 5}
    no_teams = {**event(OTHER), "teams": []}
    out = d.decode(http(events_body([broken, no_teams, event()], 1), "events"))
    assert [g.key for g in out.games] == [EVENT]
    assert {p.kind for p in out.problems} == {"event"}
    rows = [{"id": 1}, delta_row(1002, "abc"), delta_row(1003, "155")]
    out = d.decode(http(delta_body(rows, 1003), "delta"))
    assert [q.price for q in out.quotes] == [155]
    assert {p.kind for p in out.problems} == {"delta", "price"}


@pytest.mark.parametrize(
    "record",
    [
        http("not json", "events"),
        http({"events": "nope"}, "events"),
        http({"meta": {}}, "delta"),
        http([1, 2], "affiliates"),
        http({"x": 1}, "markets"),
        http({}, "mystery"),
        ws("{"),
        ws('{"meta":{"type":"market_price"},"data":{"id":1}}'),
        Record(kind="carrier-pigeon", body=""),
    ],
)
def test_malformed_records_raise_decode_error(record: Record) -> None:
    with pytest.raises(DecodeError):
        decoder().decode(record)


def test_the_call_is_inferred_from_the_path_when_meta_lacks_it() -> None:
    record = Record(
        kind="http",
        body=json.dumps(events_body([event()], 1)),
        meta={"path": "/api/v2/sports/4/events/2026-11-22"},
    )
    assert len(decoder().decode(record).games) == 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)
KEYS = [
    "event_id",
    "sport_id",
    "event_date",
    "teams",
    "markets",
    "participants",
    "lines",
    "prices",
    "price",
    "market_id",
    "affiliate_id",
    "participant_id",
    "id",
    "line",
    "data",
    "meta",
    "type",
    "events",
    "deltas",
    "delta_last_id",
    "value",
    "name",
    "closed_at",
]
shaped = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.sampled_from(["", "0.0001", "-110", "TYPE_TEAM", "2026-11-23T00:30:00Z", EVENT]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS), children, max_size=6)
    ),
    max_leaves=40,
)


@settings(max_examples=150, deadline=None)
@given(
    body=st.one_of(json_values, shaped),
    call=st.sampled_from(["events", "event", "delta", "markets", "affiliates", "ws"]),
)
def test_fuzz_decoding_never_fails_otherwise(body: Any, call: str) -> None:
    d = decoder()
    d.decode(http(events_body([event()], 1), "events"))
    text = json.dumps(body)
    record = ws(text) if call == "ws" else http(text, call)
    with contextlib.suppress(DecodeError):
        d.decode(record)
