"""The live detectors on hand-built boards: what they find, the staleness guards, and
how opportunities open, update and close."""

from __future__ import annotations

from dataclasses import replace

import pytest

from factories import OVER, UNDER, event_change, make_event, price, total
from oddswire.analytics.detect import Detectors, DetectorSettings
from oddswire.board import Board
from oddswire.model.change import Change, PriceStatus
from oddswire.model.opportunity import Opportunity, OpportunityKind, OpportunityState
from oddswire.refdata import DRAW, load_catalog

CATALOG = load_catalog()
GAME = make_event()  # Boston (away) at the Lakers (home), NBA
T0 = 1_790_000_000.0
#: Arbitrage only, no settling: each test switches on what it checks.
ONLY_ARBS = DetectorSettings(
    settle_seconds=0.0, positive_ev=False, middles=False, steam=False, outliers=False
)


class Rig:
    def __init__(self, settings: DetectorSettings = ONLY_ARBS, event: object = GAME) -> None:
        self.board = Board()
        self.detectors = Detectors(CATALOG, settings)
        self.board.apply([event_change(event)])  # type: ignore[arg-type]
        self.open: dict[str, Opportunity] = {}
        self.log: list[Opportunity] = []

    def feed(self, changes: list[Change], now: float) -> list[Opportunity]:
        batch = self.board.apply(changes)
        return self._note(self.detectors.on_batch(batch, now))

    def sweep(self, now: float) -> list[Opportunity]:
        return self._note(self.detectors.sweep(now, self.board.sequence))

    def _note(self, found: list[Opportunity]) -> list[Opportunity]:
        for o in found:
            self.log.append(o)
            if o.state == OpportunityState.CLOSED:
                self.open.pop(o.id, None)
            else:
                self.open[o.id] = o
        return found

    def kinds(self, kind: OpportunityKind) -> list[Opportunity]:
        return [o for o in self.open.values() if o.kind == kind]


def ml(book: int, home: float, away: float, ts: float = T0) -> list[Change]:
    return [
        price(GAME, affiliate_id=book, american=home, ts=ts),
        price(GAME, affiliate_id=book, participant_id=GAME.away_team_id, american=away, ts=ts),
    ]


def test_a_two_way_arbitrage_is_found_with_an_even_stake_split() -> None:
    rig = Rig()
    rig.feed(ml(19, -140, 120) + ml(23, -110, 150) + ml(4, -120, 100), T0 + 5)
    (arb,) = rig.kinds(OpportunityKind.TWO_WAY)
    # best home -110 at 23 (1.9091), best away +150 at 23: a book against itself, both best
    legs = {leg.participant_id: leg for leg in arb.legs}
    assert legs[GAME.home_team_id].price == -110
    assert legs[GAME.away_team_id].price == 150
    inverse = 1 / (1 + 100 / 110) + 1 / 2.5
    assert arb.profit_pct == pytest.approx(100 * (1 / inverse - 1))
    payouts = [leg.payout for leg in arb.legs]
    assert payouts[0] == pytest.approx(payouts[1])
    assert sum(leg.wager for leg in arb.legs) == pytest.approx(100.0)
    assert all(leg.age_seconds == pytest.approx(5.0, abs=0.02) for leg in arb.legs)
    assert arb.worst_pct == pytest.approx(arb.profit_pct)
    assert arb.board_sequence == rig.board.sequence


def test_no_arbitrage_when_the_best_prices_cost_more_than_they_pay() -> None:
    rig = Rig()
    rig.feed(ml(19, -140, 120) + ml(23, -130, 110), T0 + 5)
    assert rig.open == {}


def test_an_off_board_leg_is_not_a_leg_and_closes_the_arbitrage() -> None:
    rig = Rig()
    rig.feed(ml(19, -115, 105) + ml(23, -120, 135), T0 + 5)
    (arb,) = rig.kinds(OpportunityKind.TWO_WAY)
    pulled = price(
        GAME,
        affiliate_id=23,
        participant_id=GAME.away_team_id,
        american=135,
        status=PriceStatus.OFF_BOARD,
        ts=T0 + 6,
    )
    found = rig.feed([pulled], T0 + 7)
    # the away side falls back to +105 at 19: no arbitrage left
    assert [(o.id, o.state) for o in found] == [(arb.id, OpportunityState.CLOSED)]
    assert rig.open == {}


def test_a_leg_older_than_the_maximum_age_is_excluded() -> None:
    rig = Rig(replace(ONLY_ARBS, max_leg_age=60.0))
    rig.feed(ml(19, -115, 105, ts=T0) + ml(23, -120, 135, ts=T0), T0 + 30)
    assert len(rig.kinds(OpportunityKind.TWO_WAY)) == 1
    # time alone ages the legs out: the sweep at their expiry closes it
    rig.sweep(T0 + 59)
    assert len(rig.open) == 1
    rig.sweep(T0 + 61)
    assert rig.open == {}


def test_a_leg_that_just_moved_waits_until_it_settles() -> None:
    rig = Rig(replace(ONLY_ARBS, settle_seconds=2.0))
    rig.feed(ml(19, -115, 105, ts=T0) + ml(23, -120, 120, ts=T0), T0 + 10)
    rig.sweep(T0 + 10)
    assert rig.open == {}
    moved = price(GAME, affiliate_id=23, participant_id=GAME.away_team_id, american=135, ts=T0 + 20)
    assert rig.feed([moved], T0 + 20) == []
    rig.sweep(T0 + 21)
    assert rig.open == {}, "still settling"
    rig.sweep(T0 + 22.5)
    (arb,) = rig.kinds(OpportunityKind.TWO_WAY)
    assert {leg.price for leg in arb.legs} == {-115, 135}


def test_an_improving_leg_updates_and_a_moving_leg_closes() -> None:
    rig = Rig()
    rig.feed(ml(19, -115, 105) + ml(23, -120, 135), T0 + 5)
    (arb,) = rig.kinds(OpportunityKind.TWO_WAY)
    better = price(GAME, affiliate_id=23, participant_id=GAME.away_team_id, american=140, ts=T0 + 6)
    (update,) = rig.feed([better], T0 + 7)
    assert update.id == arb.id and update.profit_pct > arb.profit_pct
    assert update.state == OpportunityState.OPEN  # the book turns a known id into "updated"
    worse = price(GAME, affiliate_id=23, participant_id=GAME.away_team_id, american=100, ts=T0 + 8)
    (closed,) = rig.feed([worse], T0 + 9)
    assert closed.state == OpportunityState.CLOSED and closed.id == arb.id


def test_three_way_arbitrage_on_a_soccer_moneyline() -> None:
    match = make_event(sport_id=10, home=10001, away=10002)
    rig = Rig(event=match)
    quotes = [(19, 10001, 150), (23, 10002, 250), (4, DRAW, 260), (19, 10002, 200), (4, 10001, 130)]
    rig.feed(
        [
            price(
                match,
                affiliate_id=book,
                participant_id=pid,
                american=a,
                ts=T0,
                participant_type=3 if pid == DRAW else 1,
            )  # type: ignore[arg-type]
            for book, pid, a in quotes
        ],
        T0 + 5,
    )
    (arb,) = rig.kinds(OpportunityKind.THREE_WAY)
    assert sorted(leg.price for leg in arb.legs) == [150, 250, 260]
    assert arb.profit_pct == pytest.approx(100 * (1 / (1 / 2.5 + 1 / 3.5 + 1 / 3.6) - 1))


def test_a_totals_middle_reports_its_regions() -> None:
    rig = Rig(replace(ONLY_ARBS, arbitrage=False, middles=True, middle_max_cost_pct=5.0))
    rig.feed(
        [
            total(GAME, OVER, "220.5", affiliate_id=19, american=-110, ts=T0),
            total(GAME, UNDER, "220.5", affiliate_id=19, american=-110, ts=T0),
            total(GAME, OVER, "222.5", affiliate_id=23, american=-110, ts=T0),
            total(GAME, UNDER, "222.5", affiliate_id=23, american=-110, ts=T0),
        ],
        T0 + 5,
    )
    (middle,) = rig.kinds(OpportunityKind.MIDDLE)
    assert [(leg.affiliate_id, leg.line) for leg in middle.legs] == [(19, "220.5"), (23, "222.5")]
    both = [r for r in middle.regions if r.outcome == "both win"]
    assert len(both) == 1 and (both[0].low, both[0].high) == (221, 222)
    assert middle.worst_pct == pytest.approx(100 * (1 / (2 / (1 + 100 / 110)) - 1))
    assert middle.profit_pct > 80


def test_positive_ev_against_the_other_books_fair_line() -> None:
    settings = replace(ONLY_ARBS, arbitrage=False, positive_ev=True, ev_min_books=3)
    rig = Rig(settings)
    rig.feed(ml(2, -110, -110) + ml(7, -112, -108) + ml(9, -108, -112) + ml(19, -110, 125), T0 + 5)
    (ev,) = rig.kinds(OpportunityKind.POSITIVE_EV)
    (bet,) = ev.legs
    assert (bet.affiliate_id, bet.price) == (19, 125)
    assert ev.fair is not None and ev.fair.method == "multiplicative"
    assert ev.fair.affiliate_ids == (2, 7, 9)  # not book 19 itself
    fair = []
    for home, away in ((-110, -110), (-112, -108), (-108, -112)):
        qh, qa = -home / (100 - home), -away / (100 - away)
        fair.append(qa / (qh + qa))
    p = sum(fair) / 3
    assert ev.fair.probability == pytest.approx(p)
    assert ev.profit_pct == pytest.approx(100 * (p * 2.25 - 1))


def test_steam_needs_enough_books_moving_the_same_way() -> None:
    settings = replace(ONLY_ARBS, arbitrage=False, steam=True, steam_min_books=3)
    rig = Rig(settings)
    books = (2, 7, 9, 19)
    rig.feed([c for b in books for c in ml(b, -110, -110, ts=T0)], T0)
    for i, book in enumerate(books[:2]):
        rig.feed([price(GAME, affiliate_id=book, american=-130, ts=T0 + 10 + i)], T0 + 10 + i)
    assert rig.kinds(OpportunityKind.STEAM) == []
    rig.feed([price(GAME, affiliate_id=9, american=-125, ts=T0 + 15)], T0 + 15)
    (steam,) = rig.kinds(OpportunityKind.STEAM)
    assert steam.movement is not None and steam.movement.leader_affiliate_id == 2
    assert steam.movement.move_pp > 0
    assert {leg.affiliate_id for leg in steam.legs} == {2, 7, 9}
    rig.sweep(T0 + 10 + settings.steam_window + 1)  # the first move leaves the window
    assert rig.kinds(OpportunityKind.STEAM) == []


def test_an_outlier_is_far_from_the_median_of_the_others() -> None:
    settings = replace(ONLY_ARBS, arbitrage=False, outliers=True, outlier_min_pp=5.0)
    rig = Rig(settings)
    rig.feed(ml(2, -110, -110) + ml(7, -112, -108) + ml(9, -108, -112) + ml(19, 120, -150), T0 + 5)
    found = rig.kinds(OpportunityKind.OUTLIER)
    assert {(o.legs[0].affiliate_id, o.legs[0].price) for o in found} == {(19, 120), (19, -150)}
    home = next(o for o in found if o.legs[0].price == 120)
    assert home.fair is not None and home.fair.probability == pytest.approx(110 / 210)
    assert home.movement is not None and home.movement.move_pp < -5


def test_a_board_rebuilt_without_batches_is_primed() -> None:
    rig = Rig()
    rig.board.apply(ml(19, -115, 105) + ml(23, -120, 135))
    assert rig.detectors.prime(rig.board, T0 + 5) > 0
    rig.sweep(T0 + 5)
    assert len(rig.kinds(OpportunityKind.TWO_WAY)) == 1


def test_forgetting_an_event_closes_its_opportunities() -> None:
    rig = Rig()
    rig.feed(ml(19, -115, 105) + ml(23, -120, 135), T0 + 5)
    found = rig._note(rig.detectors.forget([GAME.event_id], T0 + 6, rig.board.sequence))
    assert [o.state for o in found] == [OpportunityState.CLOSED]
    assert rig.detectors.open_opportunities() == []
