"""The phases of a benchmark run; each starts and stops its own processes."""

from __future__ import annotations

import asyncio
import itertools
import subprocess
from collections.abc import Sequence
from pathlib import Path

import orjson

from bench import analytics, direct, http_handler, profile, stack, transports
from bench.accounting import minimum, naive
from bench.loadgen import encode_post, load
from bench.model import GeneratorCheck, LoadRun, Results
from bench.procs import HOST, Child, free_port, python_argv
from bench.scenarios import DASHBOARD, TRIVIAL, Scenario
from bench.throughput import measure
from bench.upstream import UpstreamCount, emulator_log, measure_upstream, reset_emulator

CONCURRENCY = (1, 8, 16, 32)
_fresh = itertools.count(1)


def _credential() -> str:
    """A credential the server has never seen, so its reference cache starts cold."""
    return f"bench-cold-{next(_fresh)}"


def _errors(response: dict[str, object]) -> list[str]:
    errors = response.get("errors")
    if not isinstance(errors, list):
        return []
    return [str(e.get("message", e))[:160] if isinstance(e, dict) else str(e) for e in errors]


def generator_ceiling(results: Results, seconds: float) -> None:
    """Drive a trivial socket server to show the generator's own ceiling."""
    port = free_port()
    check = GeneratorCheck()
    echo = Child(
        "echo", python_argv("-m", "bench.echo_server", "--port", str(port)), port, ready_path="/"
    )
    with echo:
        raw = encode_post(HOST, port, "/graphql", {"query": "{ __typename }"})
        for concurrency in (1, 8, 32):
            result = load(HOST, port, raw, concurrency, seconds)
            check.rps_by_concurrency[concurrency] = result.rps
            check.cpu_share_by_concurrency[concurrency] = result.client_cpu_share
    results.generator = check


def zero_latency(
    results: Results, dataset: str, scenarios: Sequence[Scenario], seconds: float
) -> None:
    """Upstream counts and speed at 0 ms upstream latency, batching on, then off."""
    with stack.emulator(dataset) as emu:
        for scenario in scenarios:
            slot = results.scenario(scenario)
            with stack.server(emu) as srv:  # a fresh server per scenario: its own peak RSS
                slot.on = measure_upstream(srv.url, emu.url, scenario, _credential())
                slot.problems += _errors(slot.on.response)
                data = slot.on.response.get("data")
                if data:
                    slot.naive = naive(data, scenario.calls, scenario.links)
                    slot.minimum = minimum(data, scenario.calls, scenario.groups)
                slot.runs_on = measure(srv, emu, scenario, CONCURRENCY, seconds)
            if scenario.levels == 0:
                continue
            with stack.server(emu, batching=False) as srv:
                slot.off = measure_upstream(srv.url, emu.url, scenario, _credential())
                slot.runs_off = measure(srv, emu, scenario, (1, 16), seconds)


def fifty_ms(results: Results, dataset: str, scenarios: Sequence[Scenario], seconds: float) -> None:
    """Latency with 50 ms per upstream call; batching off only for the dashboard."""
    with stack.emulator(dataset, latency_ms=50) as emu:
        for scenario in scenarios:
            slot = results.scenario(scenario)
            with stack.server(emu) as srv:
                slot.on_50 = measure_upstream(srv.url, emu.url, scenario, _credential())
                concurrency = (1, 16) if scenario is DASHBOARD else (1,)
                slot.runs_on_50 = measure(
                    srv, emu, scenario, concurrency, seconds, pace=scenario.latency_pace
                )
        if DASHBOARD in scenarios:
            with stack.server(emu, batching=False) as srv:
                runs = measure(srv, emu, DASHBOARD, (1,), seconds)
                results.scenario(DASHBOARD).runs_off_50 = runs


def rate_limited_load(results: Results, seconds: float, plan: str = "growth") -> None:
    """32 clients on the dashboard with the emulator's burst limits on."""
    with stack.emulator(DASHBOARD.dataset, rate_limit=plan) as emu, stack.server(emu) as srv:
        raw = encode_post(HOST, srv.port, "/graphql", DASHBOARD.payload)
        reset_emulator(emu.url)
        result = load(HOST, srv.port, raw, 32, seconds)
        upstream = UpstreamCount.from_log(emulator_log(emu.url))
    errors = result.http_errors + result.connection_errors
    results.load_run = LoadRun(plan, result, upstream, result.requests - errors)


def replicas(results: Results, seconds: float) -> None:
    """Three servers on one credential with Pipedrive's burst limits: through Redis, then alone."""
    from bench import replicas as phase

    results.replicas = [phase.run(seconds, shared=shared) for shared in (True, False)]


def large_dataset(results: Results) -> None:
    """Build the `large` dataset in a fresh process; record time and peak memory."""
    done = subprocess.run(
        python_argv("-m", "bench.large_build", "large"),
        capture_output=True,
        check=True,
        timeout=300,
    )
    results.large = orjson.loads(done.stdout.splitlines()[-1])


def upstream_pools(results: Results, seconds: float) -> None:
    """httpx's own connection pool against aiohttp's, alone and under the whole server."""
    results.transports = transports.compare(seconds)


def direct_comparison(results: Results, seconds: float) -> None:
    """The ~1,000-object result: server in process vs graphql-core direct."""
    results.direct = direct.run("demo", seconds)


def handler_comparison(results: Results, seconds: float) -> None:
    """Our GraphQL-over-HTTP handler against Strawberry's ASGI view, same schema and upstream."""
    results.handler = asyncio.run(http_handler.compare(seconds))


def profile_slowest(results: Results, seconds: float, out_dir: Path) -> None:
    """Profile the slowest scenario (server CPU per request), the dashboard, the trivial query.

    Search is left out of the choice: its wall time is Pipedrive's cap of 10 searches per 2 s,
    which the server's governor waits for, so its profile shows only that wait.
    """
    timed = [
        (slot.runs_on.runs[1].server_cpu_ms_per_request, slot.scenario)
        for slot in results.scenarios.values()
        if slot.runs_on and 1 in slot.runs_on.runs and slot.scenario.levels
        if slot.scenario.key != "search"
    ]
    slowest = max(timed, key=lambda pair: pair[0])[1] if timed else DASHBOARD
    chosen = {s.key: s for s in (slowest, DASHBOARD, TRIVIAL)}
    for scenario in chosen.values():
        results.profiles.append(profile.run(scenario, seconds, out_dir))


def pipeline_dashboard(results: Results) -> None:
    """One pipeline dashboard query (summary, forecast, rotten deals), demo and large."""
    for dataset in ("demo", "large"):
        results.analytics.append(analytics.measure(dataset))


def memory_plateau(results: Results) -> None:
    """RSS of one server over 100k mixed requests at the default GC tuning."""
    from bench.memory_plateau import measure

    results.memory = measure()
