"""Prometheus /metrics: counters move by exactly what the requests did upstream."""

from __future__ import annotations

from collections import Counter

import httpx
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from pipedrive_graphql.emulator import Emulator, FaultRule
from pipedrive_graphql.metrics import path_template
from tests.conftest import TEST_TOKEN

GET_PERSON = (
    "query GetPerson($id: Int!) { person(personId: $id) { id name organization { name } } }"
)
PIPELINES = "query Pipelines { pipelines { results { id name } } }"

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def scrape(http: httpx.AsyncClient) -> Samples:
    """Every sample of /metrics by (name, sorted labels)."""
    response = await http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert TEST_TOKEN not in response.text
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    """One sample's value (0 when absent)."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_metrics_count_operations_outcomes_and_upstream_work(
    http: httpx.AsyncClient, upstream: Emulator
) -> None:
    upstream.log.clear()
    costs: list[dict[str, int]] = []

    async def run(query: str, variables: dict[str, int] | None = None) -> None:
        response = await http.post("/graphql", json={"query": query, "variables": variables})
        costs.append(response.json().get("extensions", {}).get("cost", {}))

    upstream.faults.add(FaultRule(path="/api/v2/persons", kind="http_500", times=1))
    for _ in range(3):
        await run(GET_PERSON, {"id": 12345})
    await run(GET_PERSON, {"id": 999999})  # NOT_FOUND
    await run("{ nosuchfield }")  # invalid: no upstream call
    await run(PIPELINES)
    await run(PIPELINES)  # from the reference cache

    samples = await scrape(http)
    ops = "pipedrive_graphql_operations_total"
    assert value(samples, ops, operation="GetPerson", outcome="ok") == 3
    assert value(samples, ops, operation="GetPerson", outcome="NOT_FOUND") == 1
    assert value(samples, ops, operation="anonymous", outcome="BAD_USER_INPUT") == 1
    assert value(samples, ops, operation="Pipelines", outcome="ok") == 2
    assert value(samples, "pipedrive_graphql_operation_seconds_count", operation_type="query") == 6

    logged = Counter((e.method, path_template(e.path), str(e.status)) for e in upstream.log.entries)
    assert ("GET", "/api/v2/persons/{id}", "500") in logged  # the injected failure, retried
    for (method, endpoint, status), count in logged.items():
        got = value(
            samples,
            "pipedrive_graphql_upstream_requests_total",
            method=method,
            endpoint=endpoint,
            status=status,
        )
        assert got == count, (method, endpoint, status)
    upstream_total = sum(
        v for (name, _), v in samples.items() if name == "pipedrive_graphql_upstream_requests_total"
    )
    assert upstream_total == len(upstream.log.entries)
    assert not any(
        "12345" in v for (_, labels) in samples for _, v in labels
    )  # ids never become labels

    tokens = sum(e.token_cost for e in upstream.log.entries if e.status < 500)
    assert value(samples, "pipedrive_graphql_pipedrive_tokens_total") == tokens > 0
    assert value(samples, "pipedrive_graphql_cache_hits_total") == sum(
        c.get("cacheHits", 0) for c in costs
    )
    assert value(samples, "pipedrive_graphql_upstream_retries_total") == 1
    assert sum(c.get("retries", 0) for c in costs) == 1


async def test_guard_snapshot_becomes_breaker_and_rate_gauges(
    app: Starlette, http: httpx.AsyncClient
) -> None:
    await http.post("/graphql", json={"query": PIPELINES})
    guard = app.state.runtime.guard  # the process's upstream guard
    governor = guard.governor("abcdef0123456789", oauth=False)
    governor.observe(False, 80, 57, 2.0)  # as after a response with x-ratelimit-remaining: 57
    samples = await scrape(http)
    breaker = "pipedrive_graphql_upstream_breaker_state"
    scope = "http://pipedrive.test v2 pipelines read"
    assert value(samples, breaker, scope=scope, state="closed") == 1
    assert value(samples, breaker, scope=scope, state="open") == 0
    assert not [name for name, _ in samples if name.endswith("breaker_openings_total")]
    rate = "pipedrive_graphql_rate_limit_remaining"
    assert value(samples, rate, credential_key="abcdef0123456789") == 57
    assert all(
        len(dict(labels)["credential_key"]) == 16 for (name, labels) in samples if name == rate
    )


async def test_operation_name_labels_are_bounded(http: httpx.AsyncClient, app: Starlette) -> None:
    metrics = app.state.metrics
    assert metrics.operation_label(None) == "anonymous"
    assert metrics.operation_label("x" * 65) == "other"
    for i in range(300):
        metrics.operation_label(f"Op{i}")
    assert metrics.operation_label("Op299") == "other"
    assert metrics.operation_label("Op0") == "Op0"
