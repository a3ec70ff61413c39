"""Counting upstream calls: run one GraphQL request and read the emulator's request log."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import orjson

from bench.scenarios import Scenario


def http_json(
    url: str, payload: object | None = None, headers: dict[str, str] | None = None
) -> Any:
    """POST `payload` as JSON (GET when None) and decode the JSON answer, any status."""
    data = None if payload is None else orjson.dumps(payload)
    request = urllib.request.Request(
        url,
        data=data,
        method="GET" if payload is None else "POST",
        headers={"content-type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return orjson.loads(response.read())
    except urllib.error.HTTPError as exc:
        body = exc.read()
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError:
            text = body[:200].decode("utf-8", "replace")
            return {"data": None, "errors": [{"message": f"HTTP {exc.code}: {text}"}]}


def reset_emulator(emulator_url: str) -> None:
    """Clear the emulator's log, faults and rate windows (and restore its dataset)."""
    http_json(emulator_url + "/_emulator/reset", {})


def emulator_log(emulator_url: str) -> list[dict[str, Any]]:
    """Every request the emulator logged since its last reset."""
    entries: list[dict[str, Any]] = http_json(emulator_url + "/_emulator/log")["data"]
    return entries


def rounds(arrivals: list[float], gap: float = 0.025) -> int:
    """Sequential rounds of upstream calls: arrival clusters split by more than `gap` seconds.

    Meaningful with injected upstream latency (50 ms): calls of one round arrive together.
    """
    ordered = sorted(arrivals)
    return sum(1 for i, t in enumerate(ordered) if i == 0 or t - ordered[i - 1] > gap)


@dataclass
class UpstreamCount:
    """Upstream requests and tokens of one GraphQL request, from the emulator's log."""

    requests: int = 0
    tokens: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    paths: Counter[str] = field(default_factory=Counter)
    rounds: int = 0

    @classmethod
    def from_log(cls, entries: list[dict[str, Any]]) -> UpstreamCount:
        """Sum a log slice."""
        count = cls()
        for entry in entries:
            count.requests += 1
            count.tokens += int(entry["token_cost"])
            count.statuses[int(entry["status"])] += 1
            count.paths[f"{entry['method']} {entry['path']}"] += 1
        count.rounds = rounds([float(entry["time"]) for entry in entries])
        return count

    def summary(self) -> str:
        """Calls per method and path, most frequent first, for the report."""
        return ", ".join(f"{path} ×{n}" for path, n in self.paths.most_common())


@dataclass
class Measured:
    """A scenario's response and its upstream traffic, cold and with the reference cache warm."""

    response: dict[str, Any]
    cold: UpstreamCount
    warm: UpstreamCount


def measure_upstream(
    server_url: str, emulator_url: str, scenario: Scenario, credential: str
) -> Measured:
    """Run the scenario twice with a credential the server has not seen yet: cold, then warm."""
    headers = {"x-pipedrive-api-token": credential}
    counts: list[UpstreamCount] = []
    response: dict[str, Any] = {}
    for _ in range(2):
        reset_emulator(emulator_url)
        response = http_json(server_url + "/graphql", scenario.payload, headers)
        counts.append(UpstreamCount.from_log(emulator_log(emulator_url)))
    return Measured(response=response, cold=counts[0], warm=counts[1])
