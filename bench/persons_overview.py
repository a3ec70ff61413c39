"""The persons overview against the dashboard: CPU per result object, and rounds at 50 ms.

`python -m bench.persons_overview [--seconds S] [--all]` prints a Markdown table for
BENCHMARKS.md; the two scenarios alone, quicker than `make bench` (which measures them in its
target phases). `--all` adds every other scenario (its own dataset), to compare a change's
effect on all of them in one run.
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import dataclass, field

from bench import stack
from bench.accounting import result_objects
from bench.scenarios import DASHBOARD, PERSONS_OVERVIEW, SCENARIOS, Scenario
from bench.throughput import measure
from bench.upstream import measure_upstream


def _row(scenario: Scenario, seconds: float) -> list[str]:
    with stack.emulator(scenario.dataset) as emu, stack.server(emu) as srv:
        measured = measure_upstream(srv.url, emu.url, scenario, "bench-overview-0ms")
        count = result_objects(measured.response.get("data")) - 1  # not the root
        cpu = measure(srv, emu, scenario, (1,), seconds).runs[1].server_cpu_ms_per_request
    with stack.emulator(scenario.dataset, latency_ms=50) as emu, stack.server(emu) as srv:
        slow = measure_upstream(srv.url, emu.url, scenario, "bench-overview-50ms")
        p50 = measure(srv, emu, scenario, (1,), seconds).runs[1].p50_ms
    return [
        scenario.key,
        str(count),
        f"{cpu:.2f}",
        f"{cpu * 1000 / max(count, 1):.1f}",
        f"{measured.warm.requests}",
        f"{slow.warm.rounds}",
        f"{p50:.0f}",
        f"{scenario.levels * 50 + 25}",
    ]


@dataclass
class CpuPairs:
    """Server CPU per result object of the overview against the dashboard's, measured in
    alternating pairs (each scenario on a fresh server, sequential, 0 ms upstream): on a shared
    machine two single runs minutes apart can differ by a fifth, pairs taken back to back less."""

    dashboard_objects: int
    overview_objects: int
    dashboard_us: list[float] = field(default_factory=list)  # µs CPU per object, per pair
    overview_us: list[float] = field(default_factory=list)

    @property
    def ratios(self) -> list[float]:
        """The overview's figure over the dashboard's, per pair."""
        return [o / d for o, d in zip(self.overview_us, self.dashboard_us, strict=True) if d]

    @property
    def median_ratio(self) -> float:
        """The median of the pairs' ratios."""
        return statistics.median(self.ratios)


def _cpu_per_object(scenario: Scenario, seconds: float) -> tuple[float, int]:
    with stack.emulator(scenario.dataset) as emu, stack.server(emu) as srv:
        measured = measure_upstream(srv.url, emu.url, scenario, "bench-pairs")
        count = result_objects(measured.response.get("data")) - 1  # not the root
        cpu = measure(srv, emu, scenario, (1,), seconds).runs[1].server_cpu_ms_per_request
    return cpu * 1000 / max(count, 1), count


def paired_cpu(seconds: float, pairs: int = 3) -> CpuPairs:
    """`pairs` dashboard-then-overview measurements of `seconds` each."""
    result: CpuPairs | None = None
    for _ in range(pairs):
        dashboard, dashboard_count = _cpu_per_object(DASHBOARD, seconds)
        overview, overview_count = _cpu_per_object(PERSONS_OVERVIEW, seconds)
        if result is None:
            result = CpuPairs(dashboard_count, overview_count)
        result.dashboard_us.append(dashboard)
        result.overview_us.append(overview)
    assert result is not None, "at least one pair"
    return result


def main(argv: list[str] | None = None) -> int:
    """Measure both scenarios and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.persons_overview", description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--all", action="store_true", help="every scenario, not only the two")
    args = parser.parse_args(argv)
    head = [
        "scenario",
        "result objects",
        "server CPU ms/request",
        "µs CPU per object",
        "upstream calls (warm)",
        "rounds at 50 ms",
        "p50 at 50 ms (ms)",
        "p50 target (ms)",
    ]
    chosen = [DASHBOARD, PERSONS_OVERVIEW]
    if args.all:
        chosen += [s for s in SCENARIOS if s not in chosen]
    rows = [_row(s, args.seconds) for s in chosen]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
