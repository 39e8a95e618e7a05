"""The detectors' engine: which parts of the board to look at again, and when.

Work is done per *unit*: a group (arbitrage, +EV, and steam and outliers on each of its
lines) or a family (middles). An applied batch marks the units its changes touched. A unit
whose open opportunity had a leg move is looked at at once (it may have ended); every
touched unit is looked at again once the new quotes have settled, on a timing wheel,
so a unit touched a hundred times in a second is evaluated once. Each evaluation also
schedules the unit for when its answer would change with time alone (a quote ageing
out, a steam move leaving the window). Each evaluation's findings are compared with
what was open for the unit: new ids open, changed ones update, missing ones close.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable

import msgspec

from oddswire.analytics.detect.arbitrage import find_arbitrage
from oddswire.analytics.detect.common import Context, is_live
from oddswire.analytics.detect.groups import Family, Group, GroupIndex
from oddswire.analytics.detect.middles import find_middles
from oddswire.analytics.detect.outliers import find_outliers
from oddswire.analytics.detect.quotes import Window, quotes
from oddswire.analytics.detect.settings import DetectorSettings
from oddswire.analytics.detect.steam import SteamTracker
from oddswire.analytics.detect.value import find_value
from oddswire.board import AppliedBatch, Board, LineState
from oddswire.board.state import BOOK_SLOTS
from oddswire.model.change import PriceChange
from oddswire.model.opportunity import Opportunity, OpportunityKind, OpportunityState
from oddswire.refdata import Catalog

Unit = Group | Family
#: Kinds that are signals, not bets: a moved leg does not end them at once.
SIGNALS = frozenset({OpportunityKind.STEAM, OpportunityKind.OUTLIER})
MISSING = object()
#: Urgent looks may take this share of the time, banked up to ``URGENT_BANK`` seconds.
URGENT_SHARE = 0.05
URGENT_BANK = 0.001


class Detectors:
    """See the module docstring. Not thread-safe; one writer (the hub) drives it."""

    def __init__(self, catalog: Catalog, settings: DetectorSettings | None = None) -> None:
        self.catalog = catalog
        self.settings = settings or DetectorSettings()
        self.index = GroupIndex(catalog)
        self.sharp = frozenset(a.affiliate_id for a in catalog.affiliates.values() if a.sharp)
        self.steam = SteamTracker(self.settings.steam_window)
        self._open: dict[Unit, dict[str, Opportunity]] = {}
        #: Lines that are legs of open bets: line -> book -> the units they belong to.
        self._leg_lines: dict[LineState, dict[int, list[Unit]]] = {}
        self._unit_legs: dict[Unit, list[tuple[LineState, int]]] = {}
        self._due: dict[Unit, int] = {}
        self._wheel: dict[int, set[Unit]] = {}
        self._next_slot: int | None = None
        self._resolution = self.settings.evaluation_interval
        #: Units evaluated so far (for stats and benchmarks).
        self.evaluations = 0
        #: Seconds the oldest unit still due has waited past its time (see ``sweep``).
        self.lag = 0.0
        #: Urgent looks put off to the next sweep (over the allowance).
        self.deferred = 0
        self._allowance = URGENT_BANK
        self._allowance_at = time.perf_counter()

    # ----------------------------------------------------------------- reads

    def open_opportunities(self) -> list[Opportunity]:
        return [o for found in self._open.values() for o in found.values()]

    def stats(self) -> dict[str, int]:
        kinds: dict[str, int] = {}
        for opportunity in self.open_opportunities():
            kinds[str(opportunity.kind)] = kinds.get(str(opportunity.kind), 0) + 1
        return {
            "groups": len(self.index),
            "scheduled_units": len(self._due),
            "evaluations": self.evaluations,
            "lag_ms": round(self.lag * 1000),
            "deferred_looks": self.deferred,
            **{f"open_{kind}": count for kind, count in sorted(kinds.items())},
        }

    # ---------------------------------------------------------------- inputs

    def on_batch(self, batch: AppliedBatch, now: float) -> list[Opportunity]:
        """Note an applied batch (the board as of its last sequence); returns what
        changed among the opportunities of units looked at straight away."""
        settings = self.settings
        by_group = settings.arbitrage or settings.positive_ev or settings.steam or settings.outliers
        middles = settings.middles
        units: dict[Unit, None] = {}
        #: Units whose open opportunities lost or moved a leg: looked at straight away.
        urgent: dict[Unit, None] = {}
        leg_lines = self._leg_lines
        by_ref = self.index.placed
        of = self.index.of
        for change, state in zip(batch.changes, batch.states, strict=True):
            if change.__class__ is not PriceChange:
                continue
            line: LineState = state  # type: ignore[assignment]
            placed = by_ref.get(line.ref, MISSING)
            if placed is MISSING:
                placed = of(line)
            if placed is None:
                continue
            group = placed[0]  # type: ignore[index]
            if leg_lines:
                legs = leg_lines.get(line)
                if legs is not None:
                    for unit in legs.get(change.affiliate_id, ()):
                        urgent[unit] = None
            if by_group:
                units[group] = None
            family = group.family
            if middles and family is not None:
                units[family] = None
                if change.is_main_line:
                    family.mark_main(group)
        out: list[Opportunity] = []
        settle = settings.settle_seconds
        sequence = batch.last_sequence
        if settle <= 0:
            for unit in units:
                out.extend(self._evaluate(unit, now, sequence))
            return out
        if urgent:
            out.extend(self._urgent(urgent, now, sequence))
        slot = math.ceil((now + settle) / self._resolution)
        due = self._due.get
        for unit in units:
            current = due(unit)
            if current is None or current > slot:
                self._schedule_slot(unit, slot)
        return out

    def _urgent(self, units: dict[Unit, None], now: float, sequence: int) -> list[Opportunity]:
        """Look at once at units whose open opportunities lost a leg, within a CPU
        allowance (``URGENT_SHARE`` of the time, banked up to ``URGENT_BANK`` seconds):
        under a storm of moving legs the rest wait for the next sweep."""
        clock = time.perf_counter()
        self._allowance = min(
            URGENT_BANK, self._allowance + (clock - self._allowance_at) * URGENT_SHARE
        )
        self._allowance_at = clock
        out: list[Opportunity] = []
        for unit in units:
            if self._allowance > 0:
                started = time.perf_counter()
                out.extend(self._evaluate(unit, now, sequence))
                self._allowance -= time.perf_counter() - started
            else:
                self.deferred += 1
                self._schedule_slot(unit, math.floor(now / self._resolution))
        return out

    def prime(self, board: Board, now: float) -> int:
        """Learn a board built without :meth:`on_batch` (rebuilt from the store) and
        schedule every unit for a first look; returns how many units."""
        scheduled: dict[Unit, None] = {}
        for line in board.iter_lines():
            placed = self.index.of(line)
            if placed is None:
                continue
            group = placed[0]
            scheduled[group] = None
            family = group.family
            if family is not None:
                scheduled[family] = None
                if any(s is not None and s.is_main_line for s in line.books):
                    family.mark_main(group)
        for unit in scheduled:
            self._schedule(unit, now - self._resolution)  # due at the first sweep
        return len(scheduled)

    def sweep(self, now: float, sequence: int, seconds: float | None = None) -> list[Opportunity]:
        """Look again at every unit due by ``now``; ``sequence`` is the board's.

        ``seconds`` bounds the work: what is left stays due for the next sweep, and
        :attr:`lag` says how far behind the oldest of it is (0 when caught up)."""
        out: list[Opportunity] = []
        resolution = self._resolution
        upto = math.floor(now / resolution)
        deadline = None if seconds is None else time.perf_counter() + seconds
        while self._next_slot is not None and self._next_slot <= upto:
            slot = self._next_slot
            units = self._wheel.pop(slot, set())
            while units:
                unit = units.pop()
                if self._due.get(unit) == slot:
                    del self._due[unit]
                    out.extend(self._evaluate(unit, now, sequence))
                if deadline is not None and units and time.perf_counter() > deadline:
                    self._wheel[slot] = units
                    self.lag = max(0.0, now - slot * resolution)
                    return out
            self._next_slot = min(self._wheel) if self._wheel else None
            if (
                deadline is not None
                and self._next_slot is not None
                and self._next_slot <= upto
                and time.perf_counter() > deadline
            ):
                self.lag = max(0.0, now - self._next_slot * resolution)
                return out
        self.lag = 0.0
        return out

    def forget(self, event_ids: Iterable[str], now: float, sequence: int) -> list[Opportunity]:
        """Events left the board: close their opportunities and drop their state."""
        gone = set(event_ids)
        if not gone:
            return []
        out: list[Opportunity] = []
        for unit in [u for u in self._open if _event_id(u) in gone]:
            self._index_legs(unit, {})
            for opportunity in self._open.pop(unit).values():
                out.append(_closed(opportunity, now, sequence))
        for unit in [u for u in self._due if _event_id(u) in gone]:
            slot = self._due.pop(unit)
            self._wheel.get(slot, set()).discard(unit)
        for event_id in gone:
            for group in self.index.forget(event_id):
                for line in group.sides:
                    if line is not None:
                        self.steam.forget(line)
        return out

    # ------------------------------------------------------------- internals

    def _schedule(self, unit: Unit, at: float) -> None:
        slot = math.ceil(at / self._resolution)
        current = self._due.get(unit)
        if current is None or current > slot:
            self._schedule_slot(unit, slot)

    def _schedule_slot(self, unit: Unit, slot: int) -> None:
        current = self._due.get(unit)
        if current is not None:
            self._wheel[current].discard(unit)
        self._due[unit] = slot
        self._wheel.setdefault(slot, set()).add(unit)
        if self._next_slot is None or slot < self._next_slot:
            self._next_slot = slot

    def _context(self, now: float, sequence: int) -> Context:
        return Context(self.catalog, self.settings, self.sharp, now, sequence)

    def _evaluate(self, unit: Unit, now: float, sequence: int) -> list[Opportunity]:
        self.evaluations += 1
        ctx = self._context(now, sequence)
        settings = self.settings
        found: list[Opportunity] = []
        due = math.inf
        lead = unit if isinstance(unit, Group) else unit.groups[0] if unit.groups else None
        if lead is not None:
            live = is_live(lead.event_line.event, lead.live)
            window = Window(now, settings.max_age(live), settings.settle_seconds)
            if isinstance(unit, Group):
                found, due = self._group_findings(unit, window, ctx, live)
            else:
                found = find_middles(unit, window, ctx)
                due = window.due
        if due < math.inf:
            self._schedule(unit, max(due, now + self._resolution / 2))
        return self._diff(unit, found, now, sequence)

    def _group_findings(
        self, group: Group, window: Window, ctx: Context, live: bool
    ) -> tuple[list[Opportunity], float]:
        settings = self.settings
        found: list[Opportunity] = []
        sides = [quotes(line, window) if line is not None else {} for line in group.sides]
        due = window.due
        if group.complete:
            if settings.arbitrage:
                arbitrage = find_arbitrage(group, sides, ctx, self._arbitrage_slots(group))
                if arbitrage is not None:
                    found.append(arbitrage)
            if settings.positive_ev:
                found.extend(find_value(group, sides, ctx))
        for line, legs in zip(group.sides, sides, strict=True):
            if line is None:
                continue
            if settings.outliers:
                found.extend(find_outliers(line, legs, ctx, live))
            if settings.steam:
                self.steam.observe(line)
                steam = self.steam.find(line, ctx)
                if steam is not None:
                    found.append(steam)
                steam_due = self.steam.due(line)
                if steam_due is not None and steam_due < due:
                    due = steam_due
        return found, due

    def _index_legs(self, unit: Unit, kept: dict[str, Opportunity]) -> None:
        """Re-index which (line, book) pairs are legs of the unit's open bets."""
        leg_lines = self._leg_lines
        for line, book in self._unit_legs.pop(unit, ()):
            books = leg_lines.get(line)
            if books is None:
                continue
            units = books.get(book)
            if units is not None and unit in units:
                units.remove(unit)
                if not units:
                    del books[book]
            if not books:
                del leg_lines[line]
        wanted: dict[tuple[int, str], set[int]] = {}
        for opportunity in kept.values():
            if opportunity.kind in SIGNALS:
                continue
            for leg in opportunity.legs:
                wanted.setdefault((leg.participant_id, leg.line), set()).add(leg.affiliate_id)
        if not wanted:
            return
        pairs: list[tuple[LineState, int]] = []
        for line in _unit_lines(unit):
            for affiliate_id in wanted.get((line.participant_id, line.line), ()):
                pairs.append((line, affiliate_id))
                leg_lines.setdefault(line, {}).setdefault(affiliate_id, []).append(unit)
        self._unit_legs[unit] = pairs

    def _arbitrage_slots(self, group: Group) -> tuple[int, ...] | None:
        """The book slots of the group's open arbitrage (they win ties)."""
        for opportunity in self._open.get(group, {}).values():
            if opportunity.kind in (OpportunityKind.TWO_WAY, OpportunityKind.THREE_WAY):
                return tuple(BOOK_SLOTS[leg.affiliate_id] for leg in opportunity.legs)
        return None

    def _diff(
        self, unit: Unit, found: list[Opportunity], now: float, sequence: int
    ) -> list[Opportunity]:
        old = self._open.get(unit)
        if not found and not old:
            return []
        out: list[Opportunity] = []
        kept: dict[str, Opportunity] = {}
        for opportunity in found:
            previous = old.get(opportunity.id) if old else None
            if previous is not None and _same(previous, opportunity):
                kept[opportunity.id] = previous
                continue
            changed = (
                opportunity
                if previous is None
                else msgspec.structs.replace(opportunity, detected_ts=previous.detected_ts)
            )
            kept[changed.id] = changed
            out.append(changed)
        if old:
            for opportunity_id, previous in old.items():
                if opportunity_id not in kept:
                    out.append(_closed(previous, now, sequence))
        if kept:
            self._open[unit] = kept
        else:
            self._open.pop(unit, None)
        if out:
            self._index_legs(unit, kept)
        return out


#: Profit moves smaller than this (percentage points) with the same legs are not news: a
#: fair line wiggles with every quote of every book.
PROFIT_STEP = 0.05


def _unit_lines(unit: Unit) -> list[LineState]:
    groups = [unit] if isinstance(unit, Group) else unit.groups
    return [line for group in groups for line in group.sides if line is not None]


def _same(a: Opportunity, b: Opportunity) -> bool:
    """Unchanged for subscribers: the same legs at the same prices, and the profit within
    ``PROFIT_STEP`` (ages always move on)."""
    if abs(a.profit_pct - b.profit_pct) >= PROFIT_STEP or len(a.legs) != len(b.legs):
        return False
    return all(
        x.affiliate_id == y.affiliate_id and x.price == y.price and abs(x.wager - y.wager) < 5e-3
        for x, y in zip(a.legs, b.legs, strict=True)
    )


def _closed(opportunity: Opportunity, now: float, sequence: int) -> Opportunity:
    return msgspec.structs.replace(
        opportunity, state=OpportunityState.CLOSED, updated_ts=now, board_sequence=sequence
    )


def _event_id(unit: Unit) -> str:
    """Group and family keys both start with the event id."""
    return str(unit.key[0])
