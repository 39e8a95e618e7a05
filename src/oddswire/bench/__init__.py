"""Benchmarks of the board, ingest, memory and rebuild against DESIGN §10 budgets.

``oddswire bench`` (or ``python -m oddswire.bench``) runs them; see
:mod:`oddswire.bench.cli` and ``docs/benchmarks.md``.
"""

from oddswire.bench.results import BenchResult, Budget, Figure, Machine, Report

__all__ = ["BenchResult", "Budget", "Figure", "Machine", "Report"]
