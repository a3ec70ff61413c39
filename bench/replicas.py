"""Three server processes on one Pipedrive credential, with and without a shared Redis.

`python -m bench.replicas --seconds 30` runs only this phase and rewrites its own section of
BENCHMARKS.md (`make bench` runs it too, as the "replicas sharing Redis" phase).
"""

from __future__ import annotations

import argparse
import asyncio
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.loadgen import LoadResult, encode_post, run_load
from bench.procs import HOST
from bench.scenarios import DASHBOARD
from bench.stack import emulator, server
from bench.upstream import UpstreamCount, emulator_log, reset_emulator
from tests.redis_server import RedisServer, redis_binary

REPLICAS = 3
CLIENTS = 32
HEADING = "## Several replicas on one credential: shared rate governor on Redis"
BENCHMARKS = Path(__file__).parent.parent / "BENCHMARKS.md"


@dataclass
class ReplicaRun:
    """One load run over every replica, and what reached the emulator."""

    shared: bool
    plan: str
    result: LoadResult
    upstream: UpstreamCount

    @property
    def rate_limited(self) -> int:
        """Responses that surfaced a RATE_LIMITED error to the client."""
        return self.result.error_codes.get("RATE_LIMITED", 0)

    @property
    def share_429(self) -> float:
        """Fraction of upstream calls Pipedrive (the emulator) answered 429."""
        total = self.upstream.requests
        return self.upstream.statuses.get(429, 0) / total if total else 0.0


@contextmanager
def _redis(shared: bool) -> Iterator[str | None]:
    if not shared:
        yield None
        return
    instance = RedisServer(redis_binary())
    instance.start()
    try:
        yield instance.url
    finally:
        instance.close()


def _merge(parts: list[LoadResult], elapsed: float) -> LoadResult:
    merged = LoadResult(concurrency=sum(p.concurrency for p in parts), elapsed=elapsed)
    merged.error_codes = Counter()
    for part in parts:
        merged.latencies += part.latencies
        merged.http_errors += part.http_errors
        merged.graphql_errors += part.graphql_errors
        merged.error_codes.update(part.error_codes)
        merged.error_entries += part.error_entries
        merged.connection_errors += part.connection_errors
        merged.client_cpu += part.client_cpu
    return merged


def run(seconds: float, *, shared: bool, plan: str = "growth") -> ReplicaRun:
    """32 clients spread over three servers (one Redis when `shared`) for `seconds`."""
    with _redis(shared) as redis_url, ExitStack() as stack:  # servers stop before Redis
        emu = stack.enter_context(emulator(DASHBOARD.dataset, rate_limit=plan))
        env = {"REDIS_URL": redis_url} if redis_url else {}
        servers = [stack.enter_context(server(emu, env=env)) for _ in range(REPLICAS)]
        reset_emulator(emu.url)
        clients = [CLIENTS // REPLICAS + (i < CLIENTS % REPLICAS) for i in range(REPLICAS)]

        async def drive() -> list[LoadResult]:
            return await asyncio.gather(
                *(
                    run_load(HOST, srv.port, encode_post(HOST, srv.port, "/graphql",
                             DASHBOARD.payload), n, seconds)
                    for srv, n in zip(servers, clients, strict=True)
                )
            )  # fmt: skip

        parts = asyncio.run(drive())
        upstream = UpstreamCount.from_log(emulator_log(emu.url))
    return ReplicaRun(shared, plan, _merge(parts, max(p.elapsed for p in parts)), upstream)


def section(runs: list[ReplicaRun], command: str) -> list[str]:
    """The Markdown section of this phase."""
    lines = [
        HEADING,
        "",
        f"Command: `{command}`. Three uvicorn server processes share one credential; "
        f"{CLIENTS} clients (11/11/10) send the dashboard query for the run's length against "
        "the standalone emulator with Pipedrive's burst limits on. With `REDIS_URL` every "
        "replica paces through the same Redis windows (one Lua script per decision); without "
        "it each replica paces alone and together they overrun the credential's window.",
        "",
        "| replicas pace | plan | requests | RATE_LIMITED surfaced | other GraphQL errors |"
        " throughput | p50 / p99 ms | upstream calls | answered 429 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        res, up = r.result, r.upstream
        other = ", ".join(
            f"{code} ×{n}" for code, n in res.error_codes.most_common() if code != "RATE_LIMITED"
        )
        lines.append(
            f"| {'through Redis' if r.shared else 'alone (no Redis)'} | {r.plan} | "
            f"{res.requests} | {r.rate_limited} | {other or 'none'} | {res.rps:,.1f} req/s | "
            f"{res.ms(50):,.0f} / {res.ms(99):,.0f} | {up.requests} | "
            f"{up.statuses.get(429, 0)} ({r.share_429:.1%}) |"
        )
    return [*lines, ""]


def write_section(lines: list[str], path: Path = BENCHMARKS) -> None:
    """Replace this phase's section of BENCHMARKS.md (or append it)."""
    text = path.read_text() if path.exists() else ""
    block = "\n".join(lines)
    pattern = re.compile(re.escape(HEADING) + r".*?(?=\n## |\Z)", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: block.rstrip("\n"), text)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text.rstrip("\n") + "\n")


def main(argv: list[str] | None = None) -> int:
    """Run the phase with and without Redis; print and record the section."""
    parser = argparse.ArgumentParser(prog="python -m bench.replicas", description=__doc__)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--plan", default="growth")
    args = parser.parse_args(argv)
    runs = [run(args.seconds, shared=shared, plan=args.plan) for shared in (True, False)]
    command = f"python -m bench.replicas --seconds {args.seconds:g}"
    lines = section(runs, command)
    write_section(lines)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
