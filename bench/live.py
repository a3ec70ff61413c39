"""Live updates latency, webhook receipt to subscriber delivery: `python -m bench.live`.

Two uvicorn servers share one `redis-server`; the bench plays Pipedrive, POSTing v2 webhooks
(with the registered Basic auth) to the first server, one at a time, and times each until a
graphql-transport-ws subscriber receives it: on the same server, on the other server (through
Redis pub/sub), and on the other server with the deal and its links loaded from the emulator.
A fan-out run then sends each event to many subscribers of the other server at once.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import statistics
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import redis
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from bench import stack
from bench.procs import HOST, Child, free_port

ROOT = Path(__file__).resolve().parent.parent
SECTION_FILE = stack.RESULTS / "live.md"
HEADING = "## Live updates: webhook to subscriber (live)"
USER, PASSWORD = "bench-hooks", "bench-hook-password"
COMPANY_ID = "5550001"  # the demo dataset's company; its /users/me is user 1
PROTOCOL = Subprotocol("graphql-transport-ws")
LEAN = "subscription { dealChanged { action id changedFields } }"
LINKED = (
    "subscription { dealChanged { action id "
    "deal { title person { name } organization { name } stage { name } } } }"
)


@dataclass
class Series:
    """Latencies of one path, in milliseconds."""

    name: str
    samples: list[float]

    def percentile(self, q: float) -> float:
        """The q-th percentile (nearest rank)."""
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]

    def row(self) -> str:
        """One table row."""
        return (
            f"| {self.name} | {len(self.samples):,} | {statistics.median(self.samples):.2f} |"
            f" {self.percentile(99):.2f} | {max(self.samples):.2f} |"
        )


def webhook(deal_id: int) -> dict[str, Any]:
    """A v2 `change` webhook for one demo deal."""
    return {
        "meta": {
            "action": "change",
            "entity": "deal",
            "entity_id": str(deal_id),
            "company_id": COMPANY_ID,
            "id": str(uuid.uuid4()),
            "attempt": 1,
            "timestamp": "2026-11-30T12:00:00.000Z",
            "version": "2.0",
            "permitted_user_ids": ["1"],
        },
        "data": {"id": deal_id, "title": f"Deal {deal_id}", "pipeline_id": 1},
        "previous": {"title": "before"},
    }


@contextmanager
def redis_server() -> Iterator[str]:
    """A throw-away `redis-server` on a free loopback port; yields its URL."""
    port = free_port()
    argv = ["redis-server", "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://{HOST}:{port}/0"
    try:
        for _ in range(200):
            try:
                if redis.Redis.from_url(url).ping():
                    break
            except redis.RedisError:
                time.sleep(0.05)
        yield url
    finally:
        proc.kill()
        proc.wait()


async def _subscribe(server: Child, query: str) -> ClientConnection:
    socket = await connect(f"ws://{HOST}:{server.port}/graphql", subprotocols=[PROTOCOL])
    await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
    assert json.loads(await socket.recv())["type"] == "connection_ack"
    payload = {"query": query}
    await socket.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
    return socket


async def _next(socket: ClientConnection) -> dict[str, Any]:
    while True:
        message: dict[str, Any] = json.loads(await asyncio.wait_for(socket.recv(), 10))
        if message["type"] == "ping":
            await socket.send(json.dumps({"type": "pong"}))
        elif message["type"] == "next":
            return message
        else:
            raise RuntimeError(f"unexpected message {message}")


async def _series(name: str, sender: Child, sockets: list[ClientConnection], events: int) -> Series:
    auth = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    samples: list[float] = []
    async with httpx.AsyncClient(base_url=sender.url, headers={"authorization": auth}) as http:
        await asyncio.sleep(0.2)  # subscriptions registered on their servers
        for number in range(events):
            body = webhook(1 + number % 50)
            started = time.perf_counter()
            answer = await http.post("/webhooks/pipedrive", json=body)
            answer.raise_for_status()
            for _ in await asyncio.gather(*(_next(s) for s in sockets)):
                pass
            # every subscriber's delivery, timed from the POST's start
            samples.append((time.perf_counter() - started) * 1000)
    return Series(name, samples)


async def measure(first: Child, second: Child, events: int, fan_out: int) -> list[Series]:
    """The four runs; each subscriber set is closed before the next starts."""
    runs: list[Series] = []
    plans = [
        ("same server", first, LEAN, 1, events),
        ("other server, via Redis", second, LEAN, 1, events),
        ("other server, with the deal and 3 links loaded", second, LINKED, 1, events),
        (
            f"other server, {fan_out} subscribers (last delivery)",
            second,
            LEAN,
            fan_out,
            events // 5,
        ),
    ]
    for name, target, query, count, total in plans:
        sockets = [await _subscribe(target, query) for _ in range(count)]
        try:
            runs.append(await _series(name, first, sockets, total))
        finally:
            await asyncio.gather(*(s.close() for s in sockets))
    return runs


def render(runs: list[Series], command: str, load: float) -> str:
    """The BENCHMARKS.md section."""
    lines = [
        HEADING,
        "",
        f"Command: `{command}`. Two uvicorn servers (REDIS_URL to one `redis-server`), one"
        " emulator (demo dataset, 0 ms); the bench POSTs signed v2 webhooks to the first server"
        " one at a time and times each from the POST's start until the graphql-transport-ws"
        " subscriber(s) received the `next` message.",
        "",
        "| path | events | p50 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: |",
        *[run.row() for run in runs],
        "",
        f"Machine load average at the start: {load:.1f} (2 cores; other work shares them, so"
        " the tails say more about the machine than about the server).",
        "",
    ]
    return "\n".join(lines)


def splice(section: str, path: Path) -> None:
    """Replace this section in BENCHMARKS.md (or append it)."""
    text = path.read_text() if path.exists() else ""
    start = text.find(HEADING)
    if start < 0:
        path.write_text(text.rstrip("\n") + "\n\n" + section)
        return
    end = text.find("\n## ", start + len(HEADING))
    rest = text[end + 1 :] if end >= 0 else ""
    path.write_text(text[:start] + section + ("\n" + rest if rest else ""))


def run(events: int = 500, fan_out: int = 50, command: str = "python -m bench.live") -> str:
    """Start everything, measure, stop; returns the section (also written to SECTION_FILE)."""
    env = {"WEBHOOK_USERNAME": USER, "WEBHOOK_PASSWORD": PASSWORD}
    load = os.getloadavg()[0]
    with redis_server() as url, stack.emulator("demo") as emulator:
        env["REDIS_URL"] = url
        with stack.server(emulator, env=env) as first:
            second = stack.server(emulator, env=env)
            second.name += "-2"
            with second:
                runs = asyncio.run(measure(first, second, events, fan_out))
    section = render(runs, command, load)
    SECTION_FILE.parent.mkdir(parents=True, exist_ok=True)
    SECTION_FILE.write_text(section)
    return section


def write_section() -> None:
    """The `make bench` phase: the report appends SECTION_FILE."""
    run(command="make bench (python -m bench.live)")


def main() -> None:
    """`python -m bench.live [--events 500] [--fan-out 50]`: run, print, splice the section."""
    parser = argparse.ArgumentParser(prog="python -m bench.live")
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--fan-out", type=int, default=50)
    args = parser.parse_args()
    section = run(args.events, args.fan_out)
    splice(section, ROOT / "BENCHMARKS.md")
    print(section)


if __name__ == "__main__":
    main()
