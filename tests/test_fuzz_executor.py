"""Differential fuzzing: generated queries answer the same under both executors.

Every query hypothesis-graphql generates over the server's schema (within the server's limits)
runs under graphql-core's default executor and under `PlainFieldExecutor`, each with a fresh
request context over the same emulator; the data and the set of errors must be equal. The clock
is fixed so computed fields (`daysInStage`, `computedAt`) cannot differ between the two runs.
`make fuzz` runs more examples (FUZZ_EXAMPLES).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson
import pytest
from graphql import (
    ExecutionResult,
    FragmentDefinitionNode,
    execute,
    get_operation_ast,
    parse,
    validate,
)
from graphql.pyutils import is_awaitable
from hypothesis import HealthCheck, given, settings
from hypothesis_graphql import queries
from starlette.applications import Starlette

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.error_format import format_error
from pipedrive_graphql.errors import BadUserInputError, QueryTooComplexError
from pipedrive_graphql.execution import execute_request
from pipedrive_graphql.execution.extras import upstream_extras
from pipedrive_graphql.limits import check_limits, estimate_operation
from pipedrive_graphql.runtime import Runtime
from pipedrive_graphql.schema import build_schema
from tests.conftest import UPSTREAM_URL, make_settings

EXAMPLES = max(50, int(os.environ.get("FUZZ_EXAMPLES", "1000")) // 5)
SDL = str(build_schema())
NOW = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)


@dataclass
class Harness:
    """One event loop, one emulator and one running app shared by every example."""

    loop: asyncio.AbstractEventLoop
    app: Starlette
    runtime: Runtime
    compared: list[int]  # [examples that ran under both executors]

    def run(self, query: str, short: bool) -> ExecutionResult:
        """Execute `query` with a fresh request context: as the endpoint does, or plain."""
        runtime = self.runtime
        assert runtime.server_credential is not None
        context = runtime.context_for(runtime.server_credential, None)
        schema, document = runtime.schema._schema, parse(query)
        if short:
            result = execute_request(schema, document, context)
        else:
            # the upstream extras (`include_fields`) as `execute_request` sets them: the
            # executors are compared, not what the upstream was asked for
            context.loaders.extras = upstream_extras(schema, document)
            result = execute(schema, document, context_value=context)
        if is_awaitable(result):
            result = self.loop.run_until_complete(_awaited(result))
        assert isinstance(result, ExecutionResult)
        return result


async def _awaited(result: Any) -> Any:
    return await result


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    """A strict emulator behind the app, with the fuzz test's limits and a fixed clock."""
    loop = asyncio.new_event_loop()
    emulator = Emulator(EmulatorConfig(dataset="demo", strict=True))
    app = create_app(
        make_settings(max_upstream_calls=30, max_pipedrive_tokens=300, request_deadline=10),
        upstream_transport=httpx.ASGITransport(app=emulator.app),
        upstream_base_url=UPSTREAM_URL,
    )
    lifespan = app.router.lifespan_context(app)
    loop.run_until_complete(lifespan.__aenter__())
    runtime: Runtime = app.state.runtime
    runtime.clock = lambda: NOW
    harness = Harness(loop, app, runtime, [0])
    try:
        yield harness
    finally:
        loop.run_until_complete(lifespan.__aexit__(None, None, None))
        loop.close()
    assert harness.compared[0] >= EXAMPLES // 2  # most examples were within the limits


def _within_limits(runtime: Runtime, query: str) -> bool:
    document = parse(query)
    if validate(runtime.schema._schema, document):
        return False
    operation = get_operation_ast(document)
    assert operation is not None
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    try:
        check_limits(
            estimate_operation(operation, fragments, None, runtime.schema._schema), runtime.settings
        )
    except QueryTooComplexError:
        return False
    except BadUserInputError:
        return True  # a bad page argument: both executors must refuse it the same way
    return True


def _errors(result: ExecutionResult) -> list[bytes]:
    return sorted(
        orjson.dumps(format_error(e), option=orjson.OPT_SORT_KEYS) for e in result.errors or []
    )


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(query=queries(SDL))
def test_both_executors_give_the_same_answer(harness: Harness, query: str) -> None:
    if not _within_limits(harness.runtime, query):
        return
    baseline = harness.run(query, short=False)
    short = harness.run(query, short=True)
    assert short.data == baseline.data
    assert _errors(short) == _errors(baseline)
    harness.compared[0] += 1
