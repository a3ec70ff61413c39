"""OpenTelemetry: a span per GraphQL operation, upstream calls as its children; none when off."""

from __future__ import annotations

import pytest

from pipedrive_graphql.emulator import Emulator
from tests.conftest import TEST_TOKEN, make_settings
from tests.production.prod_support import serve

sdk = pytest.importorskip("opentelemetry.sdk.trace", reason="opentelemetry-sdk is not installed")

from opentelemetry import trace  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (  # noqa: E402
    InMemorySpanExporter,
)

QUERY = "query Nested { person(personId: 12345) { name organization { name } } }"


@pytest.fixture(scope="module")
def exporter() -> InMemorySpanExporter:
    """One in-memory exporter on the process's tracer provider (it can be set only once)."""
    memory = InMemorySpanExporter()
    provider = sdk.TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(memory))
    trace.set_tracer_provider(provider)
    return memory


async def test_spans_for_the_operation_and_each_upstream_call(
    exporter: InMemorySpanExporter, upstream: Emulator
) -> None:
    exporter.clear()
    async with serve(make_settings(otel_enabled=True), upstream) as http:
        response = await http.post("/graphql", json={"query": QUERY})
    assert response.json()["data"]["person"]["organization"]["name"] == "Acme Corp"
    spans = exporter.get_finished_spans()
    root = [s for s in spans if s.name == "graphql query Nested"]
    assert len(root) == 1
    attributes = dict(root[0].attributes or {})
    assert attributes["graphql.operation.name"] == "Nested"
    assert attributes["graphql.outcome"] == "ok"
    upstream_spans = [s for s in spans if s.name.startswith("GET /api/")]
    assert sorted(s.name for s in upstream_spans) == [
        "GET /api/v2/organizations/{id}",
        "GET /api/v2/persons/{id}",
    ]
    assert len(upstream_spans) == len(upstream.log.entries)
    for span in upstream_spans:
        assert span.parent is not None
        assert span.parent.span_id == root[0].context.span_id
        assert (span.attributes or {})["http.response.status_code"] == 200
    for span in spans:
        assert TEST_TOKEN not in repr(dict(span.attributes or {}))


async def test_no_spans_when_tracing_is_off(
    exporter: InMemorySpanExporter, upstream: Emulator
) -> None:
    exporter.clear()
    async with serve(make_settings(), upstream) as http:
        response = await http.post("/graphql", json={"query": QUERY})
        assert response.json()["data"]["person"]["name"] == "John Doe"
    assert exporter.get_finished_spans() == ()


async def test_the_request_span_joins_an_incoming_traceparent(
    exporter: InMemorySpanExporter, upstream: Emulator
) -> None:
    exporter.clear()
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    parent_id = "00f067aa0ba902b7"
    headers = {"traceparent": f"00-{trace_id}-{parent_id}-01"}
    async with serve(make_settings(otel_enabled=True), upstream) as http:
        response = await http.post("/graphql", json={"query": QUERY}, headers=headers)
    assert response.json()["data"]["person"]["name"] == "John Doe"
    spans = exporter.get_finished_spans()
    root = next(s for s in spans if s.name == "graphql query Nested")
    assert f"{root.context.trace_id:032x}" == trace_id
    assert root.parent is not None
    assert f"{root.parent.span_id:016x}" == parent_id
    children = [s for s in spans if s.name.startswith("GET /api/")]
    assert len(children) == len(upstream.log.entries) == 2
    assert {s.context.trace_id for s in children} == {root.context.trace_id}
