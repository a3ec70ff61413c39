"""Upstream faults at the defaults, then chaos under load: `python -m bench.chaos`.

Two parts against one uvicorn server (default settings) and one rate-limited emulator:

1. The fault sequence: each fault armed for one credential and one endpoint, one query, the
   fault cleared, then another endpoint with another credential; per fault the answer time,
   the attempts that reached the faulted path, and the outcome.
2. Chaos: 32 clients for 30 s while 20 % of `GET /api/v2/deals` calls answer 503 and 10 % of
   `GET /api/v1/notes` connections are reset; errors by query (the endpoint it touches) and
   code, the slowest answer against the deadline, and breaker openings from `/metrics`.

The section is written to `bench/results/resilience.md` (appended by `make bench` to its report)
and spliced into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from prometheus_client.parser import text_string_to_metric_families

from bench import stack
from bench.loadgen import _Connection, encode_post
from bench.procs import HOST, Child
from bench.upstream import emulator_log, http_json, reset_emulator

ROOT = Path(__file__).resolve().parent.parent
SECTION_FILE = stack.RESULTS / "resilience.md"
HEADING = "## Upstream faults and chaos (resilience)"
DEADLINE = 10.0  # the server's default REQUEST_DEADLINE

PERSON = "{ person(personId: 12345) { id name } }"
PERSON_AND_DEALS = "{ person(personId: 12345) { id name } deals(limit: 2) { results { id } } }"
ORGANIZATION = "{ organization(orgId: 67890) { id name } }"
QUERIES = {
    "deals (GET /api/v2/deals: 20 % 503)": "{ deals(limit: 20) { results { id title } } }",
    "notes (GET /api/v1/notes: 10 % reset)": "{ notes(limit: 20) { results { id content } } }",
    "person + organization + pipelines (healthy)": (
        "{ person(personId: 12345) { id name organization { id name } }"
        " pipelines { results { id name } } }"
    ),
}
# kind, times (None: every call while armed), the query it breaks
FAULTS: list[tuple[str, int | None, str]] = [
    ("burst_429", 1, PERSON),
    ("daily_429", None, PERSON),
    ("http_500", 1, PERSON),
    ("http_503", None, PERSON),
    ("hang", None, PERSON),
    ("reset", 1, PERSON),
    ("malformed_json", 1, PERSON),
    ("html_403", None, PERSON),
    ("http_502", None, PERSON_AND_DEALS),
]


@dataclass
class FaultRow:
    """One fault of the sequence as the client saw it."""

    kind: str
    seconds: float
    attempts: int
    outcome: str
    after: str


@dataclass
class ChaosRun:
    """What the chaos load measured."""

    seconds: float
    answered: Counter[str] = field(default_factory=Counter)  # by query
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)  # (query, code)
    slowest: float = 0.0
    connection_errors: int = 0
    openings: dict[str, float] = field(default_factory=dict)
    fired: Counter[str] = field(default_factory=Counter)  # faults the emulator applied
    upstream_calls: int = 0  # calls the emulator logged (reset ones included)

    def checks(self) -> list[tuple[str, bool]]:
        """The chaos run's pass conditions."""
        healthy = [name for name in QUERIES if "healthy" in name]
        healthy_errors = sum(n for (query, _), n in self.errors.items() if query in healthy)
        scopes = ("v2 deals read", "v1 notes read")
        stray = [s for s, n in self.openings.items() if n and not s.endswith(scopes)]
        return [
            (f"no answer later than the {DEADLINE:g} s deadline", self.slowest <= DEADLINE),
            ("no error on the queries that touch only healthy endpoints", healthy_errors == 0),
            ("no breaker opened for a healthy endpoint", not stray),
        ]


def _ask(server: Child, query: str, token: str) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    answer = http_json(
        server.url + "/graphql", {"query": query}, headers={"x-pipedrive-api-token": token}
    )
    return answer, time.perf_counter() - started


def _outcome(answer: dict[str, Any]) -> str:
    errors = answer.get("errors") or []
    if not errors:
        return "data"
    codes = sorted({str(e.get("extensions", {}).get("code")) for e in errors})
    partial = answer.get("data") and any(v is not None for v in answer["data"].values())
    return ("partial data, " if partial else "") + ", ".join(codes)


def fault_sequence(server: Child, emulator: Child) -> list[FaultRow]:
    """Each fault alone, in a row, with a healthy query after it."""
    rows = []
    for number, (kind, times, query) in enumerate(FAULTS, start=1):
        reset_emulator(emulator.url)
        rule = {"path": "/api/v2/persons", "kind": kind, "method": "GET", "times": times}
        http_json(emulator.url + "/_emulator/faults", rule)
        answer, seconds = _ask(server, query, f"bench-fault-{number}")
        cost = answer.get("extensions", {}).get("cost", {})
        attempts = int(cost.get("upstreamRequests", 0))
        _delete_faults(emulator)
        after, _ = _ask(server, ORGANIZATION, f"bench-after-{number}")
        rows.append(FaultRow(kind, seconds, attempts, _outcome(answer), _outcome(after)))
    return rows


def _delete_faults(emulator: Child) -> None:
    request = urllib.request.Request(emulator.url + "/_emulator/faults", method="DELETE")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()


async def _client(server: Child, until: float, run: ChaosRun, number: int) -> None:
    """One connection with its own credential (its own rate window), cycling the queries."""
    headers = {"x-pipedrive-api-token": f"bench-chaos-{number}"}
    raws = [
        (name, encode_post(HOST, server.port, "/graphql", {"query": query}, headers))
        for name, query in QUERIES.items()
    ]
    loop = asyncio.get_running_loop()
    _, conn = await loop.create_connection(_Connection, HOST, server.port)
    turn = number
    try:
        while time.perf_counter() < until:
            name, raw = raws[turn % len(raws)]
            turn += 1
            started = time.perf_counter()
            try:
                _, body = await conn.send(raw)
            except (ConnectionError, ValueError):
                run.connection_errors += 1
                conn.close()
                _, conn = await loop.create_connection(_Connection, HOST, server.port)
                continue
            run.slowest = max(run.slowest, time.perf_counter() - started)
            run.answered[name] += 1
            for error in orjson.loads(body).get("errors") or []:
                code = str((error.get("extensions") or {}).get("code"))
                run.errors[(name, code)] += 1
    finally:
        conn.close()


def chaos(server: Child, emulator: Child, seconds: float, clients: int = 32) -> ChaosRun:
    """`clients` connections cycling through the queries while two endpoints misbehave."""
    reset_emulator(emulator.url)
    for rule in (
        {"path": "/api/v2/deals", "kind": "http_503", "method": "GET", "probability": 0.2},
        {"path": "/api/v1/notes", "kind": "reset", "method": "GET", "probability": 0.1},
    ):
        http_json(emulator.url + "/_emulator/faults", {**rule, "seed": 7})
    run = ChaosRun(seconds)
    until = time.perf_counter() + seconds

    async def everyone() -> None:
        await asyncio.gather(*(_client(server, until, run, i) for i in range(clients)))

    asyncio.run(everyone())
    fired = http_json(emulator.url + "/_emulator/faults")["data"]["fired"]
    run.fired = Counter(f"{f['kind']} on {f['method']} {f['path']}" for f in fired)
    _delete_faults(emulator)
    run.upstream_calls = len(emulator_log(emulator.url))
    run.openings = _openings(server)
    return run


def _openings(server: Child) -> dict[str, float]:
    with urllib.request.urlopen(server.url + "/metrics", timeout=10) as response:
        text = response.read().decode()
    openings: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "pipedrive_graphql_upstream_breaker_openings_total":
                openings[sample.labels["scope"]] = sample.value
    return openings


def render(rows: list[FaultRow], run: ChaosRun, command: str) -> str:
    """The Markdown section."""
    lines = [
        HEADING,
        "",
        f"Command: `{command}`. One uvicorn server at the default settings (REQUEST_DEADLINE"
        " 10 s, connect 3 s, read 5 s, 4 attempts, breakers: 50 % of at least 5 calls in 30 s,"
        " 15 s cool-down) and one emulator with the `growth` burst limits.",
        "",
        "### The fault sequence (`GET /api/v2/persons`, `person(personId:)`; a new credential"
        " per fault)",
        "",
        "| fault | answer time | calls sent | outcome | then another endpoint and credential |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row.kind} | {row.seconds:.2f} s | {row.attempts} | {row.outcome} | {row.after} |"
        )
    total = sum(run.answered.values())
    lines += [
        "",
        f"### Chaos: 32 clients for {run.seconds:g} s, 20 % of `GET /api/v2/deals` answer 503,"
        " 10 % of `GET /api/v1/notes` connections reset",
        "",
        f"Answered {total:,} requests ({total / run.seconds:,.1f} req/s); slowest answer"
        f" {run.slowest:.2f} s (deadline {DEADLINE:g} s); connection errors"
        f" {run.connection_errors}.",
        "",
        "| query (the endpoint it touches) | answered | errors by code |",
        "| --- | ---: | --- |",
    ]
    for name in QUERIES:
        codes = {code: n for (query, code), n in run.errors.items() if query == name}
        shown = ", ".join(f"{code} ×{n}" for code, n in sorted(codes.items())) or "none"
        lines.append(f"| {name} | {run.answered[name]:,} | {shown} |")
    opened = ", ".join(f"`{s}` ×{n:g}" for s, n in sorted(run.openings.items()) if n) or "none"
    faults = ", ".join(f"{kind} ×{n:,}" for kind, n in sorted(run.fired.items())) or "none"
    lines += [
        "",
        f"Breaker openings (`/metrics`): {opened}. Upstream calls: {run.upstream_calls:,};"
        f" faults applied: {faults}.",
        "",
    ]
    lines += [f"- {'pass' if ok else 'FAIL'}: {text}" for text, ok in run.checks()]
    return "\n".join(lines) + "\n"


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


def run(seconds: float = 30.0, command: str = "python -m bench.chaos") -> str:
    """Both parts; returns the section (also written to SECTION_FILE)."""
    with (
        stack.emulator("demo", rate_limit="growth") as emulator,
        stack.server(emulator) as server,
    ):
        rows = fault_sequence(server, emulator)
        result = chaos(server, emulator, seconds)
    section = render(rows, result, command)
    SECTION_FILE.parent.mkdir(parents=True, exist_ok=True)
    SECTION_FILE.write_text(section)
    return section


def write_section(seconds: float) -> None:
    """The `make bench` phase: run both parts; the report appends SECTION_FILE."""
    run(seconds, command=f"make bench (python -m bench.chaos --seconds {seconds:g})")


def main() -> None:
    """`python -m bench.chaos [--seconds 30]`: run, print and splice the section."""
    parser = argparse.ArgumentParser(prog="python -m bench.chaos")
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    section = run(args.seconds)
    splice(section, ROOT / "BENCHMARKS.md")
    print(section)


if __name__ == "__main__":
    main()
