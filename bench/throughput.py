"""Latency and throughput of one scenario against a running server, with server CPU and RSS."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.loadgen import LoadResult, encode_post, load
from bench.procs import HOST, Child, cpu_seconds, peak_rss_mb, system_busy_seconds
from bench.scenarios import Scenario
from bench.upstream import reset_emulator


@dataclass
class RunStats:
    """One load run at a fixed concurrency."""

    concurrency: int
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    server_cpu_ms_per_request: float
    server_cpu_share: float
    client_cpu_share: float
    emulator_cpu_ms_per_request: float
    emulator_cpu_share: float
    other_cpu_share: float  # CPU used by processes outside this benchmark, in cores
    errors: int
    error_codes: Counter[str] = field(default_factory=Counter)


@dataclass
class ScenarioRuns:
    """Every run of a scenario on one server, plus the server's peak RSS afterwards."""

    runs: dict[int, RunStats] = field(default_factory=dict)
    peak_rss_mb: float = 0.0

    def at(self, concurrency: int) -> RunStats | None:
        """The run at `concurrency`, if measured."""
        return self.runs.get(concurrency)


def _stats(
    result: LoadResult, server_cpu: float, emulator_cpu: float, system_cpu: float
) -> RunStats:
    n = max(result.requests, 1)
    wall = result.elapsed or 1.0
    return RunStats(
        concurrency=result.concurrency,
        requests=result.requests,
        rps=result.rps,
        p50_ms=result.ms(50),
        p95_ms=result.ms(95),
        p99_ms=result.ms(99),
        server_cpu_ms_per_request=server_cpu * 1000 / n,
        server_cpu_share=server_cpu / wall,
        client_cpu_share=result.client_cpu_share,
        emulator_cpu_ms_per_request=emulator_cpu * 1000 / n,
        emulator_cpu_share=emulator_cpu / wall,
        other_cpu_share=max(0.0, system_cpu - server_cpu - emulator_cpu - result.client_cpu) / wall,
        errors=result.http_errors + result.graphql_errors + result.connection_errors,
        error_codes=result.error_codes,
    )


def measure(
    server: Child,
    emulator: Child,
    scenario: Scenario,
    concurrencies: Sequence[int],
    seconds: float,
    warmup: float = 0.5,
    pace: float = 0.0,
) -> ScenarioRuns:
    """Warm up, then one run per concurrency (1 = sequential latency); reset the log between.

    `pace`: least seconds between one client's requests (see `Scenario.latency_pace`).
    """
    raw = encode_post(HOST, server.port, "/graphql", scenario.payload)
    load(HOST, server.port, raw, 1 if pace else 4, warmup, pace=pace)
    out = ScenarioRuns()
    for concurrency in concurrencies:
        reset_emulator(emulator.url)  # keeps the emulator's request log from growing
        cpu0, emu0, sys0 = cpu_seconds(server.pid), cpu_seconds(emulator.pid), system_busy_seconds()
        result = load(HOST, server.port, raw, concurrency, seconds, pace=pace)
        server_cpu = cpu_seconds(server.pid) - cpu0
        emulator_cpu = cpu_seconds(emulator.pid) - emu0
        system_cpu = system_busy_seconds() - sys0
        out.runs[concurrency] = _stats(result, server_cpu, emulator_cpu, system_cpu)
    reset_emulator(emulator.url)
    out.peak_rss_mb = peak_rss_mb(server.pid)
    return out
