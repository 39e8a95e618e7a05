"""The quarantine list (bounded, counted, logged once) and quota budgets."""

from __future__ import annotations

import logging

import pytest

from oddswire.sources.resolve.quarantine import Quarantine
from oddswire.sources.upstream.budget import QuotaBudget


def test_quarantine_counts_repeats_and_logs_only_the_first(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, "oddswire.resolve")
    q = Quarantine()
    for _ in range(3):
        q.add("boltodds", "market", "Player Dunks", "unknown market name", "example")
    q.add("oddsapi", "book", "bet365", "unknown bookmaker")
    assert len(q) == 2
    (entry,) = q.entries(source="boltodds")
    assert entry.count == 3 and entry.example == "example"
    assert [e.text for e in q.entries()] == ["bet365", "Player Dunks"]  # newest first
    assert [e.text for e in q.entries(kind="book")] == ["bet365"]
    assert sum("quarantined" in r.getMessage() for r in caplog.records) == 2
    assert q.clear("oddsapi") == 1 and len(q) == 1


def test_quarantine_is_bounded() -> None:
    q = Quarantine(capacity=3)
    for n in range(5):
        q.add("s", "team", f"team {n}", "unknown team")
    assert len(q) == 3 and q.dropped == 2
    assert [e.text for e in q.entries()] == ["team 4", "team 3", "team 2"]


def test_budget_reserve_refuses_before_spending() -> None:
    budget = QuotaBudget("credits", reserve=100)
    assert budget.wait_seconds(6) == 0.0  # balance unknown: allowed
    budget.observe("110", "390")
    assert budget.remaining == 110 and budget.used == 390
    assert budget.wait_seconds(6) == 0.0
    budget.spend(6)
    assert budget.remaining == 104
    assert budget.wait_seconds(6) is None  # would go below the reserve
    budget.observe("garbage")  # a bad header changes nothing
    assert budget.remaining == 104


def test_budget_per_hour_cap_says_when_it_frees_up() -> None:
    budget = QuotaBudget("datapoints", per_hour=10)
    budget.spend(4, now=1000.0)
    budget.spend(4, now=1500.0)
    assert budget.wait_seconds(2, now=1600.0) == 0.0
    assert budget.wait_seconds(3, now=1600.0) == pytest.approx(1000.0 + 3600 - 1600)
    assert budget.wait_seconds(2, now=1000.0 + 3600.5) == 0.0
    assert budget.wait_seconds(11, now=0.0) is None
    summary = budget.as_dict()
    assert summary["spent"] == 8 and summary["per_hour"] == 10
