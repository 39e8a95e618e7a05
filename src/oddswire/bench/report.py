"""Printing a run: the header, each benchmark as it finishes, and the final table."""

from __future__ import annotations

from collections.abc import Callable

from oddswire.bench.results import BenchResult, Detail, Figure, Machine, Report


def number(value: float) -> str:
    """A figure with as many digits as it deserves: 1,234,567 / 251.3 / 0.285."""
    magnitude = abs(value)
    if magnitude >= 10_000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:,.1f}"
    return f"{value:.3g}"


def verdict(figure: Figure) -> str:
    if figure.passed is None:
        return "-"
    return "PASS" if figure.passed else "MISS"


def budget_text(figure: Figure) -> str:
    if figure.budget is None:
        return "-"
    if figure.budget.of_baseline:
        return f"{figure.budget.op} {figure.budget.value:g}x baseline"
    return f"{figure.budget.op} {number(figure.budget.value)}"


def header(machine: Machine, mode: str, scale: float, seed: int) -> str:
    return (
        f"oddswire bench: {mode} run, scale {scale:g}, seed {seed}\n"
        f"machine: {machine.cpu_count} CPUs, {machine.python}, {machine.platform}\n"
        f"date: {machine.date}\n"
    )


def _percent(part: Detail | None, whole: Detail | None) -> str:
    if not isinstance(part, int | float) or not isinstance(whole, int | float) or not whole:
        return "?"
    return f"{100 * part / whole:.1f}%"


def _board_notes(d: dict[str, Detail]) -> list[str]:
    return [
        f"applied {d.get('applied', 0):,} of {d.get('changes', 0):,} changes "
        f"({_percent(d.get('applied'), d.get('changes'))}); dropped as no-ops "
        f"{d.get('dropped', 0):,} ({_percent(d.get('dropped'), d.get('changes'))}); "
        f"warm board of {d.get('live_prices', 0):,} prices on {d.get('lines', 0):,} lines"
    ]


def _ingest_notes(d: dict[str, Detail]) -> list[str]:
    rows = d.get("rows_per_commit", 0.0)
    return [
        f"applied {d.get('applied', 0):,} of {d.get('changes', 0):,} changes; "
        f"{d.get('commits', 0):,} commits, {float(rows):,.0f} rows per commit on average",
        f"ticks stored {d.get('ticks_stored', 0):,} (warm board {d.get('warm_prices', 0):,} "
        f"+ applied)",
    ]


def _memory_notes(d: dict[str, Detail]) -> list[str]:
    board = float(d.get("board_rss_growth", 0))
    plain = float(d.get("dict_rss_growth", 0))
    return [
        f"{d.get('prices', 0):,} live prices: board RSS +{board / 2**20:,.1f} MiB, "
        f"dict RSS +{plain / 2**20:,.1f} MiB (each in a fresh interpreter)"
    ]


def _rebuild_notes(d: dict[str, Detail]) -> list[str]:
    return [
        f"{d.get('ticks', 0):,} ticks, {d.get('live_prices', 0):,} live prices; checkpoint "
        f"of {d.get('checkpoint_prices', 0):,} prices at sequence "
        f"{d.get('checkpoint_sequence', 0):,} of {d.get('sequence', 0):,}",
        f"checkpoint open restored {d.get('checkpoint_tail_prices', 0):,} prices from "
        f"later ticks (load {float(d.get('checkpoint_load_seconds', 0)):.2f} s); full "
        f"replay restored {d.get('full_tail_prices', 0):,} prices from their latest ticks "
        f"(load {float(d.get('full_load_seconds', 0)):.2f} s)",
        f"rebuilt boards equal the board before shutdown: "
        f"{'yes' if d.get('board_equal') else 'NO'}",
    ]


def _f(value: Detail | None) -> float:
    return float(value) if isinstance(value, int | float) else float("nan")


def _mib(value: Detail | None) -> str:
    return f"{_f(value) / 2**20:,.1f} MiB"


def _fanout_notes(d: dict[str, Detail]) -> list[str]:
    notes = [
        f"{_f(d.get('clients')):,.0f} clients in {d.get('client_procs')} processes; "
        f"{_f(d.get('applied')):,.0f} changes applied, {_f(d.get('deliveries')):,.0f} "
        f"deliveries in {_f(d.get('hub_seconds')):.2f} s (hub), "
        f"{_f(d.get('bare_seconds')):.2f} s (bare); {_mib(d.get('payload_bytes_per_client'))} "
        f"per client",
        f"server CPU: hub {_f(d.get('hub_server_cpu_share')):.0%} of a core, bare "
        f"{_f(d.get('bare_server_cpu_share')):.0%}; busiest client process "
        f"{_f(d.get('hub_client_busiest')):.0%} of a core (hub run), "
        f"{_f(d.get('bare_client_busiest')):.0%} (bare run)",
    ]
    if _f(d.get("rounds")) > 1:
        notes.append(f"rounds, deliveries/s: hub {d.get('hub_rates')}; bare {d.get('bare_rates')}")
    return notes


def _latency_notes(d: dict[str, Detail]) -> list[str]:
    def stage(name: str) -> str:
        return f"{_f(d.get(f'hub_{name}_p50_ms')):.3g}/{_f(d.get(f'hub_{name}_p99_ms')):.3g}"

    return [
        f"{_f(d.get('clients')):,.0f} clients on {d.get('events')} events "
        f"({_f(d.get('clients_per_change')):.1f} per change), {_f(d.get('applied')):,.0f} "
        f"changes applied, {_f(d.get('deliveries')):,.0f} deliveries; sent at "
        f"{_f(d.get('hub_rate')):,.0f}/s by the hub (behind its schedule in "
        f"{_f(d.get('hub_batches_behind')):,.0f} of {_f(d.get('batches')):,.0f} ticks), "
        f"{_f(d.get('bare_rate')):,.0f}/s by the bare server",
        f"p99.9 / max: hub {_f(d.get('p999_ms')):.3g} / {_f(d.get('max_ms')):.3g} ms, bare "
        f"{_f(d.get('bare_p999_ms')):.3g} / {_f(d.get('bare_max_ms')):.3g} ms; server CPU: "
        f"hub {_f(d.get('hub_server_cpu_share')):.0%} of a core, bare "
        f"{_f(d.get('bare_server_cpu_share')):.0%}",
        f"hub stages p50/p99 ms: submit to committed {stage('store')}, committed to "
        f"client {stage('deliver')}, publishing a committed batch {stage('publish')}",
        f"the hub at {_f(d.get('low_rate')):,.0f}/s: p50 {_f(d.get('low_p50_ms')):.3g} ms, "
        f"p99 {_f(d.get('low_p99_ms')):.3g} ms",
    ]


def _resume_notes(d: dict[str, Detail]) -> list[str]:
    covered = "exact replay" if d.get("log_covers_cursor") else "conflated replay"
    return [
        f"cursor {_f(d.get('cursor_age_hours')):.3g} h old: "
        f"{_f(d.get('changes_since_cursor')):,.0f} changes since, on "
        f"{_f(d.get('board_prices')):,.0f} prices ({d.get('slate')} events); the change log "
        f"holds {_f(d.get('log_changes')):,.0f} ({covered})",
        f"sport {d.get('sport_id')} ({d.get('sport_events')} events): "
        f"{_f(d.get('sport_messages')):,.0f} messages, {_mib(d.get('sport_resume_bytes'))} "
        f"(REST {_mib(d.get('sport_rest_bytes'))}); everything ({d.get('all_events')} "
        f"events): {_f(d.get('all_messages')):,.0f} messages, "
        f"{_mib(d.get('all_resume_bytes'))} (REST {_mib(d.get('all_rest_bytes'))})",
        f"median of {d.get('rounds')}; slowest resume: {_f(d.get('sport_resume_max_s')):.3g} s "
        f"(sport), {_f(d.get('all_resume_max_s')):.3g} s (everything)",
    ]


_NOTES: dict[str, Callable[[dict[str, Detail]], list[str]]] = {
    "board": _board_notes,
    "ingest": _ingest_notes,
    "memory": _memory_notes,
    "rebuild": _rebuild_notes,
    "stream-fanout": _fanout_notes,
    "stream-latency": _latency_notes,
    "stream-resume": _resume_notes,
}


def result_text(result: BenchResult) -> str:
    """One benchmark, as printed when it finishes."""
    lines = [f"[{result.name}] {result.seconds:.1f} s"]
    if result.error is not None:
        lines.append(f"  ERROR: {result.error}")
        return "\n".join(lines) + "\n"
    for f in result.figures:
        ratio = "-" if f.ratio is None else f"{f.ratio:.2f}x"
        line = (
            f"  {f.name}: {number(f.value)} {f.unit}   baseline ({f.baseline_name}): "
            f"{number(f.baseline)} {f.unit}   ratio {ratio}"
        )
        if f.budget is not None:
            unit = "" if f.budget.of_baseline else f" {f.unit}"
            line += f"   budget {budget_text(f)}{unit}: {verdict(f)}"
        lines.append(line)
    notes = _NOTES.get(result.name)
    if notes is not None:
        lines.extend(f"  {note}" for note in notes(result.details))
    failed = result.failed_checks
    if failed:
        lines.append(f"  CHECK FAILED: {'; '.join(failed)}")
    elif result.checks:
        lines.append(f"  checks passed: {'; '.join(result.checks)}")
    return "\n".join(lines) + "\n"


def table(report: Report) -> str:
    """The final table: one row per figure (or per failed benchmark)."""
    head = ("benchmark", "figure", "value", "unit", "baseline", "ratio", "budget", "verdict")
    rows: list[tuple[str, ...]] = []
    for result in report.results:
        if result.error is not None:
            rows.append((result.name, "ERROR", "-", "-", "-", "-", "-", "ERROR"))
            continue
        if result.failed_checks:
            rows.append((result.name, "CHECK FAILED", "-", "-", "-", "-", "-", "ERROR"))
        for f in result.figures:
            rows.append(
                (
                    result.name,
                    f.name,
                    number(f.value),
                    f.unit,
                    f"{number(f.baseline)} ({f.baseline_name})",
                    "-" if f.ratio is None else f"{f.ratio:.2f}",
                    budget_text(f),
                    verdict(f),
                )
            )
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    right = {2, 5}

    def fmt(row: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(head), rule, *(fmt(row) for row in rows)]) + "\n"
