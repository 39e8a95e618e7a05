"""A sport's game plan: the timeline of play segments and breaks, and their labels."""

from __future__ import annotations

from dataclasses import dataclass

from oddswire.model.event import EventStatus
from oddswire.sim.sports import SportModel, TieRule

_ORD = {1: "1st", 2: "2nd", 3: "3rd"}


def ordinal(n: int) -> str:
    return _ORD.get(n, f"{n}th")


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of real time: play in ``period`` (``clock`` game seconds) or a break."""

    play: bool
    period: int
    real: int
    clock: int
    status: EventStatus
    detail: str
    #: Baseball: 0 top, 1 bottom of the inning.
    side: int = 0
    overtime: bool = False


def period_name(sport: SportModel, period: int) -> str:
    if sport.soccer:
        return "First Half" if period == 1 else "Second Half"
    unit = {4: "Quarter", 2: "Half", 3: "Period"}.get(sport.periods, "Period")
    return f"{ordinal(period)} {unit}"


def regulation(sport: SportModel) -> list[Segment]:
    """Regulation segments, in order."""
    if sport.tie_rule is TieRule.EXTRA_INNINGS:
        return [s for inning in range(1, sport.periods + 1) for s in inning_segments(sport, inning)]
    out: list[Segment] = []
    for period in range(1, sport.periods + 1):
        status = EventStatus.IN_PROGRESS
        if sport.soccer:
            status = EventStatus.FIRST_HALF if period == 1 else EventStatus.SECOND_HALF
        real = sport.period_real
        if sport.soccer:
            real = sport.period_real - 60 if period == 1 else sport.period_real + 60
        name = period_name(sport, period)
        out.append(Segment(True, period, real, sport.period_clock, status, name))
        if period == sport.periods:
            break
        if period == sport.half_after:
            out.append(
                Segment(False, period, sport.halftime_real, 0, EventStatus.HALFTIME, "Halftime")
            )
        elif sport.break_real:
            out.append(
                Segment(
                    False,
                    period,
                    sport.break_real,
                    0,
                    EventStatus.END_PERIOD,
                    f"End of {period_name(sport, period)}",
                )
            )
    return out


def inning_segments(sport: SportModel, inning: int) -> list[Segment]:
    half = sport.period_real // 2
    extra = inning > sport.periods
    status = EventStatus.IN_PROGRESS
    return [
        Segment(True, inning, half, 0, status, f"{side} {ordinal(inning)}", i, extra)
        for i, side in enumerate(("Top", "Bottom"))
    ]


def overtime(sport: SportModel) -> list[Segment]:
    """The overtime played after a tied regulation (one period; ties after it are broken)."""
    period = sport.periods + 1
    out: list[Segment] = []
    if sport.break_real or sport.halftime_real:
        out.append(
            Segment(
                False,
                sport.periods,
                max(sport.break_real, 120),
                0,
                EventStatus.END_OF_REGULATION,
                "End of Regulation",
            )
        )
    out.append(
        Segment(
            True,
            period,
            sport.ot_real,
            sport.ot_clock,
            EventStatus.IN_PROGRESS,
            "Overtime",
            overtime=True,
        )
    )
    return out


def regulation_play_real(sport: SportModel) -> int:
    return sum(s.real for s in regulation(sport) if s.play)


def display_clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"
