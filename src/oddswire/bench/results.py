"""Benchmark results as typed structs (for the JSON output and the tests)."""

from __future__ import annotations

import math
import os
import platform
import sys
from datetime import UTC, datetime
from typing import Literal

import msgspec

Detail = bool | int | float | str


class Budget(msgspec.Struct, frozen=True, kw_only=True):
    """A DESIGN §10 budget: ``value`` must be met in direction ``op``; with
    ``of_baseline`` it is a multiple of the baseline (the figure's ratio must meet it)."""

    op: Literal[">=", "<="]
    value: float
    of_baseline: bool = False

    def met(self, figure: float) -> bool:
        if not math.isfinite(figure):
            return False
        return figure >= self.value if self.op == ">=" else figure <= self.value


class Figure(msgspec.Struct, kw_only=True):
    """One measured figure next to the baseline measured in the same run.

    ``ratio`` is ``value / baseline``; ``passed`` is the verdict against the budget
    (None when the figure has none). Both are filled in on construction.
    """

    name: str
    value: float
    unit: str
    baseline: float
    baseline_name: str
    budget: Budget | None = None
    ratio: float | None = None
    passed: bool | None = None

    def __post_init__(self) -> None:
        ratio = self.value / self.baseline if self.baseline else math.nan
        self.ratio = ratio if math.isfinite(ratio) else None
        if self.budget is None:
            self.passed = None
        elif self.budget.of_baseline:
            self.passed = self.budget.met(math.nan if self.ratio is None else self.ratio)
        else:
            self.passed = self.budget.met(self.value)


class BenchResult(msgspec.Struct, kw_only=True):
    """One benchmark: its figures, the facts behind them, or the error that stopped it."""

    name: str
    figures: list[Figure] = []
    details: dict[str, Detail] = {}
    #: Correctness checks (the benchmark did the work it claims); all must hold.
    checks: dict[str, bool] = {}
    seconds: float = 0.0
    error: str | None = None

    @property
    def failed_checks(self) -> list[str]:
        return [name for name, ok in self.checks.items() if not ok]

    @property
    def missed(self) -> list[Figure]:
        return [f for f in self.figures if f.passed is False]


class Machine(msgspec.Struct, frozen=True, kw_only=True):
    cpu_count: int
    python: str
    platform: str
    date: str


class Report(msgspec.Struct, kw_only=True):
    """A whole run."""

    machine: Machine
    mode: str
    scale: float
    seed: int
    results: list[BenchResult]
    seconds: float = 0.0

    def result(self, name: str) -> BenchResult | None:
        return next((r for r in self.results if r.name == name), None)


def machine() -> Machine:
    """This machine, for the header."""
    return Machine(
        cpu_count=os.cpu_count() or 0,
        python=f"{platform.python_implementation()} {sys.version.split()[0]}",
        platform=platform.platform(),
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


def to_json(report: Report) -> bytes:
    """The report as indented JSON (decode with ``msgspec.json.decode(data, type=Report)``)."""
    return msgspec.json.format(msgspec.json.encode(report), indent=2)
