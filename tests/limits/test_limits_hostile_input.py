"""Hostile documents: every pre-execution walk stays linear and refuses before spending.

A blocked event loop stalls every client of the process, so each document here must be
answered (refused) quickly while another client's small query is still served.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
import tracemalloc

import httpx
from graphql import OperationDefinitionNode, Token
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import queries

from pipedrive_graphql.documents import DocumentCache
from pipedrive_graphql.emulator import Emulator
from pipedrive_graphql.errors import BadUserInputError, QueryTooComplexError
from pipedrive_graphql.limits import estimate_operation
from pipedrive_graphql.schema import build_schema
from tests.conftest import GraphQLCall

SCHEMA = build_schema()
SDL = str(SCHEMA)


def _doubling_fragments(levels: int) -> str:
    fragments = ["fragment F0 on Query { __typename }"]
    for i in range(1, levels + 1):
        fragments.append(f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}")
    return f"{{ ...F{levels} }}\n" + "\n".join(fragments)


async def test_doubling_fragments_are_refused_while_another_client_is_served(
    http: httpx.AsyncClient, upstream: Emulator
) -> None:
    hostile = _doubling_fragments(24)
    assert len(hostile) < 1_100
    started, cpu_started = time.perf_counter(), time.process_time()
    refused, other = await asyncio.gather(
        http.post("/graphql", json={"query": hostile}),
        http.post("/graphql", json={"query": "{ __typename }"}),
    )
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    error = refused.json()["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["value"] == 3 * 2**24 - 1  # every spread written out
    assert other.json()["data"] == {"__typename": "Query"}
    # generous: both answers take about 5 ms of CPU alone (41 s before the walk was linear),
    # and 0.3 s was seen with the whole suite loading the machine; CPU time is the bound, the
    # wall clock only catches a stall a busy machine cannot explain
    assert cpu < 1.0
    assert elapsed < 5.0
    assert upstream.log.entries == []


async def test_repeated_fields_do_not_make_validation_quadratic(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    # 600 copies took graphql-core's OverlappingFieldsCanBeMerged 1.2 s
    repeated = "{ " + " ".join("deals { results { id } }" for _ in range(600)) + " }"
    started = time.process_time()
    result = await gql(repeated)
    assert time.process_time() - started < 0.5  # generous: about 5 ms of CPU
    assert result.codes() == ["QUERY_TOO_COMPLEX"]
    assert "validation work" in result.errors[0]["message"]
    assert upstream.log.entries == []


async def test_fields_repeated_a_few_times_still_validate(gql: GraphQLCall) -> None:
    spread = " ".join(f"...P{i}" for i in range(40))
    fragments = "\n".join(f"fragment P{i} on Person {{ id name }}" for i in range(40))
    result = await gql("{ persons(limit: 2) { results { id " + spread + " } } }\n" + fragments)
    assert result.errors == []
    assert len(result.data["persons"]["results"]) == 2


async def test_variable_defaults_are_priced_as_execution_sees_them(
    gql: GraphQLCall, upstream: Emulator
) -> None:
    by_default = "query Q($s: Int = 2147483000) { deals(start: $s, limit: 500) { results { id } } }"
    result = await gql(by_default)
    assert result.codes() == ["QUERY_TOO_COMPLEX"]
    assert result.errors[0]["extensions"]["limit"] == "upstream calls"
    by_value = "query Q($s: Int) { deals(start: $s, limit: 500) { results { id } } }"
    assert (await gql(by_value, {"s": 2147483000})).codes() == ["QUERY_TOO_COMPLEX"]
    assert upstream.log.entries == []
    small = await gql("query Q($n: Int = 3) { persons(limit: $n) { results { id } } }")
    assert small.errors == []
    assert len(small.data["persons"]["results"]) == 3


def _pre_execution(document: str) -> float:
    """CPU seconds of the server's pre-execution path: parse, bounds, validation, estimate.

    The collector is paused while it runs: a full pass over what earlier tests left on the
    heap (0.7 to 1 s in a whole-suite run) is not work the document made.
    """
    gc.disable()
    try:
        started = time.process_time()  # CPU: what blocks the event loop, whatever else runs
        prepared = DocumentCache(SCHEMA._schema, max_tokens=5_000).prepare(document)
        if prepared.document is not None:
            operation = prepared.document.definitions[0]
            assert isinstance(operation, OperationDefinitionNode)
            with contextlib.suppress(QueryTooComplexError, BadUserInputError):
                estimate_operation(operation, {}, None, SCHEMA._schema)
        return time.process_time() - started
    finally:
        gc.enable()


SLOWEST: list[float] = []


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(document=queries(SDL), copies=st.integers(1, 40))
def test_generated_documents_walk_quickly(document: str, copies: int) -> None:
    # the same selection repeated: the shape that made validation and the walk blow up
    body = document.strip()
    if body.startswith("{"):
        body = "{ " + " ".join([body[1:-1]] * copies) + " }"
    elapsed = _pre_execution(body)
    SLOWEST.append(elapsed)
    slowest = max(SLOWEST)
    message = f"slowest so far {slowest * 1000:.1f} ms; {elapsed * 1000:.1f} ms for {body[:400]!r}"
    assert elapsed < 0.5, message


def test_evicted_documents_are_freed_without_a_full_collection() -> None:
    # GC_TUNING makes full collections rare: a document that lived in the cache long enough to
    # reach the oldest generation must be freed on eviction, without waiting for one
    cache = DocumentCache(SCHEMA._schema, max_tokens=5_000, max_size=10)
    gc.collect()
    gc.disable()
    try:
        before = sum(isinstance(o, Token) for o in gc.get_objects())
        for i in range(300):
            assert cache.prepare(f"{{ unique{i}: __typename pipelines {{ results {{ id }} }} }}")
            gc.collect(1)  # young generations only: validation's garbage goes, cached docs age
        after = sum(isinstance(o, Token) for o in gc.get_objects())
    finally:
        gc.enable()
    # the ten cached documents (14 tokens each) stay; the 290 evicted ones are gone already
    assert after - before <= 10 * 14


def _token_bomb(unique: int, pairs: int = 262_000) -> str:
    """About 1 MB of `a:b` pairs: a hundred times the token limit, each text unique."""
    return f"{{ x{unique} " + "a:b " * pairs + "}"


async def test_token_bomb_is_refused_without_lexing_the_whole_body(
    http: httpx.AsyncClient, upstream: Emulator
) -> None:
    bomb = _token_bomb(0)
    assert 1_000_000 < len(bomb) < 1_048_576 - 100  # under the body limit: the parser sees it
    started = time.process_time()
    response = await http.post("/graphql", json={"query": bomb})
    cpu = time.process_time() - started
    error = response.json()["errors"][0]
    assert error["message"] == "query exceeds the tokens limit of 5000"
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    # generous: about 20 ms of CPU when lexing stops at the limit (2.5 s when the whole
    # megabyte was lexed again to tell the limit from a syntax error)
    assert cpu < 0.3
    assert upstream.log.entries == []


def test_refused_documents_are_freed_without_a_collection() -> None:
    # GC_TUNING makes full collections rare, so what a refused document allocated must be
    # freed by reference counting alone: with the collector off, nothing may stay behind
    cache = DocumentCache(SCHEMA._schema, max_tokens=5_000)
    refused = [
        _token_bomb(1_000, pairs=20_000),  # the token limit
        "{ unterminated " + "a:b " * 2_000 + '"',  # a lexer error
        "{ broken " + "a:b " * 2_000 + ": }",  # a parser error
    ]
    for query in refused:  # warm up graphql-core's own lazily built objects
        assert cache.prepare(query).errors
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        tokens_before = sum(isinstance(o, Token) for o in gc.get_objects())
        before = tracemalloc.get_traced_memory()[0]
        for i in range(20):
            for query in refused:
                assert cache.prepare(f"# {i}\n{query}").errors
        retained = tracemalloc.get_traced_memory()[0] - before
        tokens = sum(isinstance(o, Token) for o in gc.get_objects()) - tokens_before
    finally:
        tracemalloc.stop()
        gc.enable()
    # the cache keeps each failure's message and locations (about 1 KB); the 60 documents lexed
    # 300,000 tokens, which stayed behind in reference cycles before
    assert retained < 60 * 3_000
    assert tokens == 0
