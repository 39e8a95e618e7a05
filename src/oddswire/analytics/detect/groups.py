"""Which lines are the sides of one bet, and which bets can make a middle.

A *group* is the set of lines that together cover every result once: a moneyline's
away, home (and draw) lines; a spread's home -4.5 with the away +4.5; a total's Over and
Under 224.5; a team total's or player prop's "Over 24.5" and "Under 24.5". Arbitrage and
+EV look inside a group. A *family* is every group of one market that middles can span:
all the spreads (or totals, or one player's props) of a market and period.

Lines are indexed once, when the detectors first see them; a line that is none of
these (a futures outright, an unknown market) belongs to no group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from oddswire.board import LineState
from oddswire.model.lines import OVER_SIDE, UNDER_SIDE, parse_line
from oddswire.refdata import DRAW, OVER, UNDER, Catalog

AWAY_SIDE, HOME_SIDE, DRAW_SIDE = 0, 1, 2
#: Over is the first side of totals and props, Under the second.
OVER_INDEX, UNDER_INDEX = 0, 1

#: Family kinds, for middles: (home margin, total) results.
SPREAD, TOTAL = "spread", "total"


@dataclass(slots=True, eq=False)
class Family:
    """Every group of one market (and period, and for props one participant)."""

    kind: str
    key: tuple[object, ...]
    groups: list[Group] = field(default_factory=list)
    #: The groups some book quotes as its main line (middles look only at these).
    main: dict[Group, None] = field(default_factory=dict)

    def mark_main(self, group: Group) -> None:
        """A book quotes ``group`` as its main line: middles look at it from now on."""
        if not group.in_main:
            self.main[group] = None
            group.in_main = True


@dataclass(slots=True, eq=False)
class Group:
    """The sides of one bet. ``sides[i]`` is the line of side ``i`` once seen."""

    key: tuple[object, ...]
    sides: list[LineState | None]
    #: The line number: the home handicap for spreads, the total for totals and props.
    value: float | None
    is_prop: bool
    live: bool
    family: Family | None = None
    #: Whether the family's ``main`` holds this group.
    in_main: bool = False

    @property
    def complete(self) -> bool:
        return all(line is not None for line in self.sides)

    @property
    def event_line(self) -> LineState:
        for line in self.sides:
            if line is not None:
                return line
        raise LookupError("a group always has a line")


class GroupIndex:
    """Maps lines to (group, side); see the module docstring."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        #: Line ref -> (group, side), or None for a line in no group; read directly on
        #: the hot path (:meth:`of` fills it).
        self.placed: dict[int, tuple[Group, int] | None] = {}
        self._groups: dict[tuple[object, ...], Group] = {}
        self._families: dict[tuple[object, ...], Family] = {}

    def __len__(self) -> int:
        return len(self._groups)

    def groups(self) -> list[Group]:
        return list(self._groups.values())

    def of(self, line: LineState) -> tuple[Group, int] | None:
        """The group of a line and the line's side in it (None: not a two- or
        three-way bet)."""
        try:
            return self.placed[line.ref]
        except KeyError:
            found = self.placed[line.ref] = self._place(line)
            return found

    def forget(self, event_id: str) -> list[Group]:
        """Drop an evicted event's groups and families; returns the groups dropped."""
        dropped = [self._groups.pop(k) for k in [k for k in self._groups if k[0] == event_id]]
        for group in dropped:
            for line in group.sides:
                if line is not None:
                    self.placed.pop(line.ref, None)
        for key in [k for k in self._families if k[0] == event_id]:
            del self._families[key]
        return dropped

    # ------------------------------------------------------------ placement

    def _place(self, line: LineState) -> tuple[Group, int] | None:
        market = self._catalog.markets.get(line.market_id)
        if market is None:
            return None
        event = line.event.event
        period = self._catalog.periods.get(line.period_id)
        live = market.live or bool(period and period.live)
        base = (event.event_id, line.market_id, line.period_id)
        pid = line.participant_id
        side_name, number = parse_line(line.line)
        if market.kind == "moneyline" and not line.line:
            sport = self._catalog.sports.get(event.sport_id)
            draw = bool(sport and sport.has_draw)
            side = {event.away_team_id: AWAY_SIDE, event.home_team_id: HOME_SIDE}.get(pid)
            if side is None and draw and pid == DRAW:
                side = DRAW_SIDE
            if side is None:
                return None
            group = self._group((*base, "ml"), 3 if draw else 2, None, False, live, None)
            return self._seat(group, side, line)
        if number is None:
            return None
        if market.kind == "spread" and side_name is None:
            if pid == event.home_team_id:
                side, home_value = HOME_SIDE, number
            elif pid == event.away_team_id:
                side, home_value = AWAY_SIDE, -number
            else:
                return None
            home_value += 0.0  # -0.0 -> 0.0: a pick'em is one group
            family = self._family(SPREAD, (*base, SPREAD))
            group = self._group((*base, home_value), 2, home_value, False, live, family)
            return self._seat(group, side, line)
        if market.kind == "total" and side_name is None:
            side = {OVER: OVER_INDEX, UNDER: UNDER_INDEX}.get(pid)
            if side is None:
                return None
            family = self._family(TOTAL, (*base, TOTAL))
            group = self._group((*base, "t", number), 2, number, False, live, family)
            return self._seat(group, side, line)
        if side_name is not None:  # team totals and player props: "Over 24.5"
            side = OVER_INDEX if side_name == OVER_SIDE else UNDER_INDEX
            assert side_name in (OVER_SIDE, UNDER_SIDE)
            prop = market.kind == "player_prop"
            family = self._family(TOTAL, (*base, "p", pid))
            group = self._group((*base, "p", pid, number), 2, number, prop, live, family)
            return self._seat(group, side, line)
        return None

    def _family(self, kind: str, key: tuple[object, ...]) -> Family:
        family = self._families.get(key)
        if family is None:
            family = self._families[key] = Family(kind, key)
        return family

    def _group(
        self,
        key: tuple[object, ...],
        sides: int,
        value: float | None,
        is_prop: bool,
        live: bool,
        family: Family | None,
    ) -> Group:
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = Group(key, [None] * sides, value, is_prop, live, family)
            if family is not None:
                family.groups.append(group)
        return group

    @staticmethod
    def _seat(group: Group, side: int, line: LineState) -> tuple[Group, int]:
        group.sides[side] = line
        return group, side
