"""The upstream connection pool: httpx's own against aiohttp's (`UPSTREAM_CLIENT`).

Two measurements. The pool alone: GETs from this process through an `httpx.AsyncClient` to the
trivial socket server (`bench/echo_server.py`, another process), at 1, 8 and 32 concurrent
callers, on uvloop as the server runs. Then the whole server on each pool, for the dashboard,
the person 360° and the batching-off dashboard (one upstream call per link).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import httpx
import uvloop

from bench import stack
from bench.procs import HOST, Child, free_port, python_argv
from bench.scenarios import DASHBOARD, PERSON_360
from bench.throughput import RunStats, measure
from pipedrive_graphql.app import default_transport
from pipedrive_graphql.settings import UPSTREAM_CLIENTS, Settings

POOL_CONCURRENCY = (1, 8, 32)


@dataclass(frozen=True)
class PoolRate:
    """GETs per second through one pool at one concurrency, and this process's CPU per GET."""

    client: str
    concurrency: int
    rps: float
    cpu_us_per_call: float


@dataclass
class TransportComparison:
    """The pool alone, and whole-server runs keyed by (client, row label)."""

    pool: list[PoolRate] = field(default_factory=list)
    server: dict[tuple[str, str], dict[int, RunStats]] = field(default_factory=dict)


async def _pool_rate(client: str, url: str, concurrency: int, seconds: float) -> PoolRate:
    transport = default_transport(Settings(upstream_client=client))
    async with httpx.AsyncClient(transport=transport, base_url=url) as http:
        await asyncio.gather(*(http.get("/warm") for _ in range(concurrency)))
        calls = 0
        stop = time.perf_counter() + seconds

        async def caller() -> None:
            nonlocal calls
            while time.perf_counter() < stop:
                response = await http.get("/api/v2/deals", params={"ids": "1,2,3"})
                response.json()
                calls += 1

        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(caller() for _ in range(concurrency)))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return PoolRate(client, concurrency, calls / wall, cpu / max(calls, 1) * 1e6)


def pool_rates(seconds: float) -> list[PoolRate]:
    """Each pool against the trivial socket server at each concurrency."""
    port = free_port()
    argv = python_argv("-m", "bench.echo_server", "--port", str(port))
    rates: list[PoolRate] = []
    with Child("echo-pool", argv, port, ready_path="/"):
        for concurrency in POOL_CONCURRENCY:
            for client in UPSTREAM_CLIENTS:
                run = _pool_rate(client, f"http://{HOST}:{port}", concurrency, seconds)
                rates.append(uvloop.run(run))
    return rates


def compare(seconds: float) -> TransportComparison:
    """The pool alone, then the server on each pool (0 ms upstream latency, `target` data)."""
    out = TransportComparison(pool=pool_rates(seconds))
    rows = ((DASHBOARD, True, "1. Dashboard"), (DASHBOARD, False, "1. Dashboard (batching off)"))
    with stack.emulator("target") as emu:
        for client in UPSTREAM_CLIENTS:
            env = {"UPSTREAM_CLIENT": client}
            for scenario, batching, label in rows:
                concurrency = (1, 16) if batching else (1,)
                with stack.server(emu, batching=batching, env=env) as srv:
                    runs = measure(srv, emu, scenario, concurrency, seconds)
                out.server[(client, label)] = runs.runs
    with stack.emulator(PERSON_360.dataset) as emu:
        for client in UPSTREAM_CLIENTS:
            with stack.server(emu, env={"UPSTREAM_CLIENT": client}) as srv:
                runs = measure(srv, emu, PERSON_360, (1, 16), seconds)
            out.server[(client, "2. Person 360°")] = runs.runs
    return out
