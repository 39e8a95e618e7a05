"""The bench command, run end to end at a tiny scale: correctness, not speed."""

from __future__ import annotations

import argparse
import io
import math
import sqlite3
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from oddswire.bench import cli
from oddswire.bench.board import Key, board_workload
from oddswire.bench.config import QUICK
from oddswire.bench.results import BenchResult, Budget, Figure, Report
from oddswire.bench.workload import initial_changes
from oddswire.model.change import PriceChange, PriceStatus

SCALE = 0.05
SEED = 4
STREAM = ["stream-fanout", "stream-latency", "stream-resume"]


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli.add_arguments(parser)
    return parser.parse_args(list(argv))


class Run(msgspec.Struct):
    code: int
    output: str
    report: Report
    tmp: Path


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    tmp = tmp_path_factory.mktemp("bench")
    json_path = tmp / "results.json"
    args = parse(
        "--quick", "--scale", str(SCALE), "--seed", str(SEED), "--tmp", str(tmp),
        "--json", str(json_path),
    )  # fmt: skip
    out = io.StringIO()
    code = cli.run(args, out)
    report = msgspec.json.decode(json_path.read_bytes(), type=Report)
    return Run(code, out.getvalue(), report, tmp)


def result(run: Run, name: str) -> BenchResult:
    found = run.report.result(name)
    assert found is not None, f"no {name} result"
    assert found.error is None, found.error
    assert not found.failed_checks, found.failed_checks
    return found


def test_every_benchmark_ran_and_has_a_figure_and_a_baseline(quick_run: Run) -> None:
    assert quick_run.code == 0, quick_run.output
    names = [
        "board", "ingest", "memory", "rebuild", "rest", *STREAM, "analytics", "upstream", "delayed",
    ]  # fmt: skip
    assert [r.name for r in quick_run.report.results] == names
    for name in names:
        r = result(quick_run, name)
        assert r.figures
        for f in r.figures:
            assert math.isfinite(f.value) and f.value > 0, f
            assert math.isfinite(f.baseline) and f.baseline > 0, f
            assert f.ratio is not None and f.ratio > 0
    assert "benchmark" in quick_run.output and "verdict" in quick_run.output
    assert "CPUs" in quick_run.output


def test_board_applied_count_matches_an_independent_count(quick_run: Run) -> None:
    board = result(quick_run, "board")
    work, stream, _board, _plain = board_workload(QUICK.scaled(SCALE), SEED)
    state: dict[Key, tuple[float, PriceStatus, bool]] = {}
    for warm in initial_changes(stream.universe):
        for w in warm:
            if isinstance(w, PriceChange):
                key = (w.event_id, w.market_id, w.period_id, w.participant_id, w.line,
                       w.affiliate_id)  # fmt: skip
                state[key] = (w.price, w.status, w.is_main_line)
    changes = effective = 0
    for batch in work:
        for c in batch:
            changes += 1
            key = (c.event_id, c.market_id, c.period_id, c.participant_id, c.line, c.affiliate_id)
            price, status, main = state[key]
            same = c.status == status and c.is_main_line == main
            if same and (c.status != PriceStatus.OPEN or c.price == price):
                continue
            effective += 1
            state[key] = (c.price, c.status, c.is_main_line)
    assert board.details["changes"] == changes
    assert board.details["applied"] == effective
    assert 0 < effective < changes
    assert board.figures[0].budget == Budget(op=">=", value=500_000.0)


def test_ingest_stored_exactly_the_applied_changes(quick_run: Run) -> None:
    ingest = result(quick_run, "ingest")
    conn = sqlite3.connect(quick_run.tmp / "ingest.sqlite")
    try:
        rows = conn.execute("SELECT count(*) FROM ticks").fetchone()[0]
    finally:
        conn.close()
    applied = ingest.details["applied"]
    warm = ingest.details["warm_prices"]
    assert isinstance(applied, int) and isinstance(warm, int)
    assert applied == ingest.details["expected_applied"]
    assert rows == warm + applied
    commits = ingest.details["commits"]
    assert isinstance(commits, int) and commits >= 1


def test_memory_figure_is_positive_and_finite(quick_run: Run) -> None:
    memory = result(quick_run, "memory")
    figure = memory.figures[0]
    assert figure.unit == "bytes/price"
    assert math.isfinite(figure.value) and figure.value > 0
    assert memory.details["prices"] == QUICK.scaled(SCALE).memory_prices


def test_rebuild_rebuilt_the_same_board_and_the_sequence_continues(quick_run: Run) -> None:
    rebuild = result(quick_run, "rebuild")
    assert rebuild.details["board_equal"] is True
    assert rebuild.details["sequence_continues"] is True
    assert rebuild.details["mismatches"] == 0
    # without a checkpoint every live price comes from its latest tick
    assert rebuild.details["full_tail_prices"] == rebuild.details["live_prices"]
    tail = rebuild.details["checkpoint_tail_prices"]
    prices = rebuild.details["live_prices"]
    assert isinstance(tail, int) and isinstance(prices, int)
    assert 0 < tail < prices  # after a checkpoint only the keys changed since


def fake(figure: Figure, *, error: Exception | None = None) -> cli.Runner:
    def runner(_sizes: object, _seed: int, _dir: str) -> BenchResult:
        if error is not None:
            raise error
        return BenchResult(name="board", figures=[figure])

    return runner


MISSED = Figure(
    name="x", value=1.0, unit="changes/s", baseline=2.0, baseline_name="y",
    budget=Budget(op=">=", value=10.0),
)  # fmt: skip


def test_a_missed_budget_fails_only_with_strict(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(cli.BENCHMARKS, "board", fake(MISSED))
    out = io.StringIO()
    assert cli.run(parse("--only", "board", "--tmp", str(tmp_path)), out) == 0
    assert "MISS" in out.getvalue()
    assert cli.run(parse("--only", "board", "--strict", "--tmp", str(tmp_path)), out) == 1


def test_an_error_is_reported_and_exits_non_zero(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(cli.BENCHMARKS, "board", fake(MISSED, error=RuntimeError("boom")))
    out = io.StringIO()
    assert cli.run(parse("--only", "board", "--tmp", str(tmp_path)), out) == cli.EXIT_ERROR
    assert "RuntimeError: boom" in out.getvalue()


def test_only_rejects_unknown_names() -> None:
    with pytest.raises(SystemExit):
        parse("--only", "board,nope")
    assert parse("--only", "memory, board").bench_only == ["memory", "board"]


def test_python_dash_m_runs_as_in_the_docs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "oddswire.bench", "--quick", "--scale", "0.02", "--only",
         "board", "--tmp", str(tmp_path)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "board apply" in done.stdout


def test_rest_served_the_real_payload_and_the_baseline(quick_run: Run) -> None:
    rest = result(quick_run, "rest")
    assert rest.checks["every request answered 200"]
    payload = rest.details["payload_bytes"]
    assert isinstance(payload, int) and payload > 10_000
    assert {f.name for f in rest.figures} == {"REST events p50", "REST events, 16 connections"}


def test_streaming_benchmarks_report_their_figures_against_the_budgets(quick_run: Run) -> None:
    fanout = result(quick_run, "stream-fanout")
    (figure,) = fanout.figures
    assert figure.unit == "deliveries/s"
    assert figure.budget == Budget(op=">=", value=1.0, of_baseline=True)
    assert figure.passed == (figure.ratio is not None and figure.ratio >= 1.0)
    latency = result(quick_run, "stream-latency")
    assert [f.name for f in latency.figures] == ["latency p50", "latency p99"]
    assert latency.figures[1].budget == Budget(op="<=", value=20.0)
    resume = result(quick_run, "stream-resume")
    assert len(resume.figures) == 2
    assert all(f.budget == Budget(op="<=", value=1.0) and f.unit == "s" for f in resume.figures)
    assert resume.checks and all(resume.checks.values())
    for name in STREAM:
        assert f"[{name}]" in quick_run.output
