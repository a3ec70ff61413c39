"""BENCHMARKS.md from a `Results`: machine, command, targets, one table per concern."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

from bench.accounting import result_objects
from bench.model import Results, ScenarioResult
from bench.scenarios import BOARD, DASHBOARD, PERSONS_OVERVIEW, TRIVIAL
from bench.throughput import RunStats, ScenarioRuns
from bench.upstream import Measured


def _num(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _run(runs: ScenarioRuns | None, concurrency: int) -> RunStats | None:
    return runs.at(concurrency) if runs else None


def _rps(runs: ScenarioRuns | None, concurrency: int) -> str:
    run = _run(runs, concurrency)
    return _num(run.rps) if run else "–"


def _upstream(m: Measured | None, warm: bool = False) -> str:
    if m is None:
        return "–"
    count = m.warm if warm else m.cold
    return f"{count.requests} / {count.tokens}"


def _mark(ok: bool | None) -> str:
    return "–" if ok is None else ("**met**" if ok else "**not met**")


def targets(r: Results) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met?) for every performance target and the load run."""
    out: list[tuple[str, str, bool | None]] = []
    d = r.scenarios.get(DASHBOARD.key)
    if d and d.on:
        cold, warm = d.on.cold, d.on.warm
        out.append(
            (
                "Scenario 1 cold: ≤ 9 upstream requests and ≤ 46 tokens; fewer when warm",
                f"cold {cold.requests} req / {cold.tokens} tokens; warm {warm.requests} / "
                f"{warm.tokens}",
                cold.requests <= 9
                and cold.tokens <= 46
                and (warm.requests, warm.tokens) < (cold.requests, cold.tokens),
            )
        )
    for slot in r.scenarios.values():
        s = slot.scenario
        if s.key in ("person360", "board") and slot.on_50:
            got = slot.on_50.warm.rounds
            out.append(
                (
                    f"{s.title.split(':')[0]}: one round of upstream calls per dependent level "
                    f"({s.levels})",
                    f"{got} rounds warm, {slot.on_50.cold.rounds} cold (arrival clusters at 50 ms)",
                    got <= s.levels,
                )
            )
    out += _latency_targets(r)
    out += _cpu_per_object_target(r)
    t = r.scenarios.get(TRIVIAL.key)
    if t and t.runs_on and t.runs_on.runs:
        best = max(t.runs_on.runs.values(), key=lambda x: x.rps)
        out.append(
            (
                "Trivial query ≥ 5,000 requests/s on one worker",
                f"{_num(best.rps, 0)} req/s (at {best.concurrency} clients)",
                best.rps >= 5000,
            )
        )
    on16, off16 = (_run(d.runs_on, 16), _run(d.runs_off, 16)) if d else (None, None)
    if on16 and off16:
        ratio = on16.rps / off16.rps if off16.rps else math.inf
        out.append(
            (
                "Scenario 1, 0 ms: ≥ 10× the throughput of batching off (16 clients)",
                f"{_num(on16.rps)} vs {_num(off16.rps, 2)} req/s = {_num(ratio)}×",
                ratio >= 10,
            )
        )
    if on16:
        out.append(
            (
                "Scenario 1, 0 ms: ≥ 50 requests/s with 16 clients (120-deal account)",
                f"{_num(on16.rps)} req/s",
                on16.rps >= 50,
            )
        )
    if r.direct:
        out.append(
            (
                f"A {r.direct.objects:,}-object result within 15 % of graphql-core direct",
                f"{_num(r.direct.server_ms, 2)} ms vs {_num(r.direct.direct_ms, 2)} ms "
                f"({r.direct.overhead:+.0%})",
                r.direct.overhead <= 0.15,
            )
        )
    board = r.scenarios.get(BOARD.key)
    for entry, p50, rps in ((d, 190, 5), (board, 27, 45)):
        seq = _run(entry.runs_on, 1) if entry else None
        busy = _run(entry.runs_on, 16) if entry else None
        if entry and seq and busy:
            out.append(
                (
                    f"For scale: {entry.scenario.title.split(':')[0]} vs the generic gateway "
                    f"({p50} ms p50, ~{rps} req/s with 16 clients)",
                    f"{_num(seq.p50_ms)} ms p50, {_num(busy.rps)} req/s with 16 clients",
                    None,
                )
            )
    if r.load_run:
        lr = r.load_run
        limited = lr.result.error_codes.get("RATE_LIMITED", 0)
        out.append(
            (
                "Load run: every request answered, 0 RATE_LIMITED surfaced",
                f"{lr.answered_200}/{lr.result.requests} answered, {limited} RATE_LIMITED",
                lr.answered_200 == lr.result.requests and limited == 0 and lr.result.requests > 0,
            )
        )
    return out


def _latency_targets(r: Results) -> list[tuple[str, str, bool | None]]:
    """Every scenario with dependent levels, at 50 ms upstream: p50 ≤ levels x 50 + 25 ms."""
    out: list[tuple[str, str, bool | None]] = []
    for slot in r.scenarios.values():
        s = slot.scenario
        if s.levels and (run := _run(slot.runs_on_50, 1)):
            bound = s.levels * 50 + 25
            paced = f" (one query every {s.latency_pace:g} s)" if s.latency_pace else ""
            out.append(
                (
                    f"{s.title.split(':')[0]} at 50 ms upstream{paced}: p50 ≤ {s.levels} levels"
                    f" × 50 + 25 = {bound} ms",
                    f"p50 {_num(run.p50_ms)} ms",
                    run.p50_ms <= bound,
                )
            )
    return out


def cpu_per_object(slot: ScenarioResult | None) -> tuple[float, int] | None:
    """Server CPU µs per result object (sequential, 0 ms upstream) and the object count."""
    run = _run(slot.runs_on, 1) if slot else None
    if slot is None or run is None or slot.on is None:
        return None
    count = result_objects(slot.on.response.get("data")) - 1  # not the root
    return run.server_cpu_ms_per_request * 1000 / max(count, 1), count


def _cpu_per_object_target(r: Results) -> list[tuple[str, str, bool | None]]:
    label = (
        f"{PERSONS_OVERVIEW.title.split(':')[0]}: server CPU per result object within 1.5× "
        "the dashboard's (0 ms upstream, sequential"
    )
    pairs = r.cpu_pairs
    if pairs is not None and pairs.ratios:
        ratios = ", ".join(f"{_num(x, 2)}×" for x in pairs.ratios)
        overview, dashboard = (
            statistics.median(pairs.overview_us),
            statistics.median(pairs.dashboard_us),
        )
        return [
            (
                f"{label}; median of {len(pairs.ratios)} back-to-back pairs)",
                f"{_num(overview)} µs × {pairs.overview_objects} objects vs {_num(dashboard)} µs"
                f" × {pairs.dashboard_objects}: {_num(pairs.median_ratio, 2)}× (pairs: {ratios})",
                pairs.median_ratio <= 1.5,
            )
        ]
    overview_cpu = cpu_per_object(r.scenarios.get(PERSONS_OVERVIEW.key))
    dashboard_cpu = cpu_per_object(r.scenarios.get(DASHBOARD.key))
    if overview_cpu is None or dashboard_cpu is None:
        return []
    ratio = overview_cpu[0] / dashboard_cpu[0] if dashboard_cpu[0] else math.inf
    return [
        (
            f"{label})",
            f"{_num(overview_cpu[0])} µs × {overview_cpu[1]} objects vs "
            f"{_num(dashboard_cpu[0])} µs × {dashboard_cpu[1]} = {_num(ratio, 2)}×",
            ratio <= 1.5,
        )
    ]


def _upstream_table(r: Results) -> list[str]:
    rows = []
    for slot in r.scenarios.values():
        s = slot.scenario
        if not s.levels:
            continue
        mn = slot.minimum
        rows.append(
            [
                s.title.split(":")[0],
                _upstream(slot.on),
                _upstream(slot.on, warm=True),
                _upstream(slot.off),
                f"{slot.naive.requests} / {slot.naive.tokens}" if slot.naive else "–",
                f"{mn.requests} / {mn.tokens} (cheapest {mn.cheapest_tokens} tokens)"
                if mn
                else "–",
                str(s.levels),
            ]
        )
    header = [
        "scenario",
        "ours cold (req / tokens)",
        "ours warm",
        "batching off",
        "naive",
        "theoretical minimum",
        "levels",
    ]
    return _table(header, rows)


def _speed_rows(slot: ScenarioResult, runs: ScenarioRuns | None, label: str) -> list[str] | None:
    seq = _run(runs, 1)
    if runs is None or seq is None:
        return None
    busiest = _run(runs, 16) or seq
    return [
        slot.scenario.title.split(":")[0] + label,
        _num(seq.p50_ms),
        _num(seq.p95_ms),
        _num(seq.p99_ms),
        _rps(runs, 1),
        _rps(runs, 8),
        _rps(runs, 16),
        _rps(runs, 32),
        f"{_num(seq.server_cpu_ms_per_request, 1)} / {_num(busiest.server_cpu_ms_per_request, 1)}",
        _num(busiest.emulator_cpu_ms_per_request, 1),
        _num(runs.peak_rss_mb, 0),
        str(sum(run.errors for run in runs.runs.values())),
    ]


def _speed_table(r: Results, fifty: bool) -> list[str]:
    rows = []
    for slot in r.scenarios.values():
        pairs = (
            [(slot.runs_on_50, ""), (slot.runs_off_50, " (batching off)")]
            if fifty
            else [(slot.runs_on, ""), (slot.runs_off, " (batching off)")]
        )
        for runs, label in pairs:
            row = _speed_rows(slot, runs, label)
            if row:
                rows.append(row)
    header = [
        "scenario",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "req/s ×1",
        "×8",
        "×16",
        "×32",
        "server CPU ms/req ×1 / ×16",
        "emulator CPU ms/req",
        "server peak RSS MiB",
        "errors",
    ]
    return _table(header, rows)


def render(r: Results) -> str:
    """The whole Markdown document."""
    from bench import chaos, live
    from bench.report_sections import extra_sections

    m = r.machine
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`python -m bench.run`); every table below is rewritten by that",
        "command. Do not edit by hand.",
        "",
        f"- Command: `{r.command}`",
        f"- Machine: {m.nproc} CPUs ({m.cpu_model}), Python {m.python}, {m.platform}",
        f"- Commit: `{m.commit}`; run started {r.started_at}; took {r.total_seconds:.0f} s",
        f"- Each load measurement runs {r.seconds_per_run:g} s after a 0.5 s warm-up; "
        "1 client = sequential latency.",
        "",
        "## Targets",
        "",
    ]
    rows = [[name, got, _mark(ok)] for name, got, ok in targets(r)]
    lines += _table(["target", "measured", "status"], rows)
    if r.failures:
        lines += ["**Phases that failed in this run:**", ""]
        lines += [f"- {f}" for f in r.failures] + [""]
    lines += [
        "## Upstream economy (emulator request log)",
        "",
        "Requests / Pipedrive tokens of one query. *Cold*: a credential the server has not seen"
        " (empty reference cache); *warm*: the same query again. *Naive*: one call per linked"
        " object in the response. *Theoretical minimum*: one batched call per entity type per"
        " dependent level, reference data once (the cheapest-token figure lets each group use"
        " single GETs where they cost less).",
        "",
    ]
    lines += _upstream_table(r)
    lines += [
        "## Latency and throughput, 0 ms upstream latency",
        "",
        "One uvicorn worker, started fresh for each row. p50/p95/p99: sequential (1 client)."
        " req/s ×N: N concurrent keep-alive clients. CPU per request: the process's CPU time"
        " (/proc/<pid>/stat) over a run divided by its requests, sequential / 16 clients (the"
        " emulator's at 16 clients, else sequential). Peak RSS: VmHWM of the server process"
        " after its runs. The emulator shares the machine's two cores with the server. With its"
        " rate limiter off the emulator announces an unlimited burst window in Pipedrive's"
        " `x-ratelimit-*` headers (`bench/emulator_proc.py`), so the server's governor does not"
        " pace at a plan preset; Pipedrive's separate cap of 10 searches per 2 s per credential"
        " still applies, which bounds scenario 4 (two searches per query) to about 2.5 queries/s"
        " for one client. All clients send the same query with the same credential, so with"
        " more than one client identical upstream GETs in flight are shared between requests"
        " (in-flight coalescing, a feature for many viewers of one dashboard; `BATCHING=false`"
        " turns it off with batching): the ×1 column and the CPU per sequential request are"
        " without that effect.",
        "",
    ]
    lines += _speed_table(r, fifty=False)
    lines += ["## Latency with 50 ms upstream latency per call", ""]
    lines += _speed_table(r, fifty=True)
    lines += extra_sections(r)
    gateway = (
        "For scale: a generic OpenAPI-to-GraphQL gateway on the same machine served "
        f"{DASHBOARD.title.split(':')[0].lower()} at a median 190 ms (~5 req/s with 16 clients,"
        f" 376 ms at 50 ms upstream) and {BOARD.title.split(':')[0].lower()} at 27 ms"
        " (~45 req/s)."
    )
    lines += [gateway, ""]
    if chaos.SECTION_FILE.exists():  # the resilience phase's section, from its last run
        lines += [chaos.SECTION_FILE.read_text().rstrip("\n")]
    if live.SECTION_FILE.exists():  # the live-updates phase's section, from its last run
        lines += ["", live.SECTION_FILE.read_text().rstrip("\n")]
    return "\n".join(lines)
