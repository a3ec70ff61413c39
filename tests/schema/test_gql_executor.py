"""The short-path executor answers exactly as graphql-core's: same data, errors and upstream calls.

Each case runs twice on a fresh app over the same emulator state — once with graphql-core's
default executor, once with `PlainFieldExecutor` — and the two runs must agree on the data, on
every error (message, path, code, in order) and on the upstream requests made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    execute,
    parse,
)
from graphql.execution import Executor
from graphql.pyutils import is_awaitable

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator, EmulatorConfig, FaultRule
from pipedrive_graphql.error_format import format_error
from pipedrive_graphql.execution import (
    AttributeRead,
    PlainFieldExecutor,
    execute_request,
    is_awaitable_cached,
)
from tests.conftest import UPSTREAM_URL, GraphQLCall, make_settings

LARGE = """{ deals(limit: 150) { results { id title value currency status
  person { id name organization { id name } } organization { id name }
  stage { id name pipeline { id name } } owner { id name } } } }"""
SHAPES = """{ deals(limit: 5) { results { ...F a: title title __typename
  person @include(if: true) { id name } org: organization { id } skipped: owner @skip(if: true) {
  id } } } } fragment F on Deal { id value }"""
AWAITED = "{ person(personId: 12345) { name organization { name owner { name } } } }"
NESTED = """{ persons(limit: 20) { results { id name organization { name }
  deals { results { id stage { name } person { id } } } } } }"""


def _graphql_core(schema: GraphQLSchema, document: DocumentNode, context: object) -> Any:
    """graphql-core's own executor, the reference the short path must match."""
    return execute(schema, document, context_value=context)


@dataclass(frozen=True)
class Run:
    """One execution: what it answered and which upstream requests it made."""

    data: Any
    errors: list[dict[str, Any]]
    upstream: list[tuple[str, str]]


async def _run(upstream: Emulator, query: str, short: bool) -> Run:
    upstream.log.clear()
    app = create_app(
        make_settings(),
        upstream_transport=httpx.ASGITransport(app=upstream.app),
        upstream_base_url=UPSTREAM_URL,
    )
    async with app.router.lifespan_context(app):
        runtime = app.state.runtime
        context = runtime.context_for(runtime.server_credential, None)
        run = execute_request if short else _graphql_core
        result = run(runtime.schema._schema, parse(query), context)
        if is_awaitable(result):
            result = await result
    assert isinstance(result, ExecutionResult)
    calls = sorted((e.method, e.path) for e in upstream.log.entries)
    return Run(result.data, [format_error(e) for e in result.errors or []], calls)


async def _both(upstream: Emulator, query: str) -> tuple[Run, Run]:
    baseline = await _run(upstream, query, short=False)
    faults = list(upstream.faults.rules)
    upstream.faults.clear()
    for rule in faults:  # a `times` rule was used up by the first run
        upstream.faults.add(rule)
    return baseline, await _run(upstream, query, short=True)


@pytest.fixture
def upstream() -> Emulator:
    """A strict emulator on the demo dataset."""
    return Emulator(EmulatorConfig(dataset="demo", strict=True))


@pytest.mark.parametrize("query", [LARGE, SHAPES, AWAITED, NESTED])
async def test_same_answer_and_same_upstream_calls(upstream: Emulator, query: str) -> None:
    baseline, short = await _both(upstream, query)
    assert baseline.errors == []
    assert short == baseline
    assert short.upstream  # the case did reach Pipedrive


async def test_dangling_link_is_null_on_both(upstream: Emulator) -> None:
    gone = {deal["person_id"] for deal in upstream.store.all("deals") if deal["person_id"]}
    for person_id in sorted(gone)[::2]:
        upstream.store.delete("persons", person_id)
    query = "{ deals(limit: 50) { results { id person { id name } organization { id } } } }"
    baseline, short = await _both(upstream, query)
    assert short == baseline
    assert None in [deal["person"] for deal in short.data["deals"]["results"]]


@pytest.mark.parametrize("query", [AWAITED, NESTED, LARGE])
async def test_failing_links_fail_the_same_way(upstream: Emulator, query: str) -> None:
    upstream.faults.add(FaultRule(path="/api/v2/organizations*", kind="http_500"))
    baseline, short = await _both(upstream, query)
    assert [e["extensions"]["code"] for e in baseline.errors][:1] == ["UPSTREAM_UNAVAILABLE"]
    assert short == baseline


class Row:
    """A source object for the synthetic schema below."""

    def __init__(self, **values: Any) -> None:
        """Set the given attributes; any other attribute is missing."""
        self.__dict__.update(values)


STATUS = GraphQLEnumType("Status", {"OPEN": "open", "WON": "won"})
ROW = GraphQLObjectType(
    "Row",
    {
        "count": GraphQLField(GraphQLNonNull(GraphQLInt), resolve=AttributeRead("count")),
        "maybe": GraphQLField(GraphQLInt, resolve=AttributeRead("maybe")),
        "name": GraphQLField(GraphQLNonNull(GraphQLString), resolve=AttributeRead("name")),
        "status": GraphQLField(STATUS, resolve=AttributeRead("status")),
    },
)
SYNTHETIC = GraphQLSchema(
    GraphQLObjectType(
        "Query",
        {"rows": GraphQLField(GraphQLList(ROW), resolve=lambda root, _info: root)},
    )
)
ROWS = [
    Row(count=1, maybe=None, name="plain", status="won"),
    Row(count=None, maybe=2, name="null in a non-null field", status="open"),
    Row(count=3, maybe="three", name="a value Int refuses", status="open"),
    Row(count=4, maybe=2**40, name="an Int out of range", status="lost"),
    Row(count=5, maybe=5, status="open"),  # no `name` attribute at all
    Row(count=6, maybe=6, name=7, status=None),
]


def _synthetic(query: str, executor: type[Executor[Any]] | None) -> ExecutionResult:
    result = execute(SYNTHETIC, parse(query), root_value=ROWS, executor_class=executor)
    assert isinstance(result, ExecutionResult)
    return result


@pytest.mark.parametrize(
    "query",
    [
        "{ rows { count maybe name status } }",
        "{ rows { status name a: maybe b: maybe __typename count } }",
        "{ rows { maybe } }",
    ],
)
def test_scalar_reads_coerce_and_fail_as_graphql_core_does(query: str) -> None:
    baseline = _synthetic(query, None)
    short = _synthetic(query, PlainFieldExecutor)
    assert baseline.errors  # the rows above break several rules
    assert short.data == baseline.data
    assert [format_error(e) for e in short.errors or []] == [
        format_error(e) for e in baseline.errors or []
    ]


def test_awaitable_check_is_cached_per_type_but_not_for_generators() -> None:
    async def coroutine() -> None:
        return None

    pending = coroutine()
    close = pending.close
    assert is_awaitable_cached(pending)
    assert is_awaitable_cached(coroutine) is False  # the function is not; its result is
    close()
    assert not is_awaitable_cached({"a": 1})
    assert not is_awaitable_cached(iter(range(3)).__next__)
    assert not is_awaitable_cached(n for n in range(3))


@pytest.mark.parametrize(
    "query",
    [
        "{ deals(limit: 2) { results { id ... @defer { title } } } }",
        "{ pipelines { results @stream { id } } }",
    ],
)
async def test_incremental_delivery_is_refused_before_execution(
    gql: GraphQLCall, upstream: Emulator, query: str
) -> None:
    """The executor is graphql-core's non-incremental one: @defer/@stream must never run."""
    result = await gql(query)
    assert result.status == 400
    assert result.codes() == ["BAD_USER_INPUT"]  # the contract's code for invalid documents
    assert "Unknown directive" in result.errors[0]["message"]
    assert upstream.log.entries == []
