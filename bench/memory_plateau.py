"""Memory plateau: RSS of one server at the default `GC_TUNING=true` over 100k mixed requests.

The mix is what grows a process that keeps something per request: a unique query text on
every request (the document cache), an APQ hash registered and then reused for every fourth
(the APQ store), and 10,000 distinct credentials taking turns (the rate-limit state and its
`/metrics` series); one request in eight reads the pipelines from the emulator. RSS is sampled
every 10,000 requests; the process plateaus when the last half adds no more than noise.

Run alone with `python -m bench.memory_plateau [--requests N]`; `make bench` runs it as a phase.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import sys
import time
from dataclasses import dataclass, field

from bench import stack
from bench.loadgen import encode_post
from bench.procs import HOST, rss_mb

CREDENTIALS = 10_000
SAMPLE_EVERY = 10_000
CONCURRENCY = 8


@dataclass
class MemoryPlateau:
    """RSS samples (requests sent, MiB) and what `/metrics` weighs at the end."""

    requests: int
    samples: list[tuple[int, float]] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    metrics_bytes: int = 0
    credential_series: int = 0

    def growth_last_half(self) -> float:
        """MiB added between the middle sample and the last one."""
        middle = self.samples[len(self.samples) // 2][1]
        return self.samples[-1][1] - middle

    def growth_per_request_bytes(self) -> float:
        """Bytes per request over the last half (what a leak would show)."""
        middle_n, middle = self.samples[len(self.samples) // 2]
        last_n, last = self.samples[-1]
        return (last - middle) * 1024 * 1024 / max(1, last_n - middle_n)


def _request(i: int, port: int) -> bytes:
    """The i-th request of the mix (see the module docstring)."""
    headers = {"x-pipedrive-api-token": f"bench-memory-{i % CREDENTIALS}"}
    if i % 8 == 0:
        query = f"query Board{i} {{ pipelines {{ results {{ id name }} }} }}"
    else:
        query = f"{{ __typename unique{i}: __typename }}"
    payload: dict[str, object] = {"query": query}
    if i % 4 == 1:
        digest = hashlib.sha256(query.encode()).hexdigest()
        payload["extensions"] = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    return encode_post(HOST, port, "/graphql", payload, headers)


async def _drive(port: int, pid: int, result: MemoryPlateau) -> None:
    counter = iter(range(result.requests))
    lock = asyncio.Lock()

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            for i in counter:
                writer.write(_request(i, port))
                status = await _read_response(reader)
                if status != 200:
                    result.errors += 1
                if (i + 1) % SAMPLE_EVERY == 0:
                    async with lock:
                        result.samples.append((i + 1, rss_mb(pid)))
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def _scrape(port: int, result: MemoryPlateau) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(f"GET /metrics HTTP/1.1\r\nhost: {HOST}:{port}\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    body = await reader.readexactly(length)
    writer.close()
    result.metrics_bytes = len(body)
    result.credential_series = body.count(b"pipedrive_graphql_rate_limit_remaining{")


def measure(requests: int = 100_000) -> MemoryPlateau:
    """Start an emulator and a server (GC tuning at its default), drive the mix, sample RSS."""
    result = MemoryPlateau(requests=requests)
    with stack.emulator("demo") as emu, stack.server(emu) as srv:
        result.samples.append((0, rss_mb(srv.pid)))
        started = time.perf_counter()
        asyncio.run(_drive(srv.port, srv.pid, result))
        result.seconds = time.perf_counter() - started
        result.samples.sort()
        asyncio.run(_scrape(srv.port, result))
    return result


def render(result: MemoryPlateau) -> list[str]:
    """The report section."""
    samples = ", ".join(f"{n // 1000}k: {mb:.0f}" for n, mb in result.samples)
    return [
        "## Memory plateau at `GC_TUNING=true` (limits)",
        "",
        f"`python -m bench.memory_plateau --requests {result.requests}` (also a `make bench`"
        " phase): one server, its default settings, "
        f"{result.requests:,} requests from {CONCURRENCY} connections in {result.seconds:.0f} s;"
        f" unique query texts, every fourth an APQ registration, {CREDENTIALS:,} credentials"
        " in turn, one in eight reading pipelines from the emulator.",
        "",
        f"- RSS (MiB) by requests sent: {samples}",
        f"- last half: {result.growth_last_half():+.1f} MiB "
        f"({result.growth_per_request_bytes():.0f} bytes/request); non-200 answers: "
        f"{result.errors}",
        f"- `/metrics` at the end: {result.metrics_bytes:,} bytes, "
        f"{result.credential_series} `rate_limit_remaining` series",
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    """Run the phase alone and print its section."""
    parser = argparse.ArgumentParser(prog="python -m bench.memory_plateau", description=__doc__)
    parser.add_argument("--requests", type=int, default=100_000)
    args = parser.parse_args(argv)
    result = measure(args.requests)
    sys.stdout.write("\n".join(render(result)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
