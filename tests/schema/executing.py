"""Running a query with graphql-core's `execute` and a chosen executor, on the app's schema."""

from __future__ import annotations

from typing import Any

from graphql import ExecutionResult, execute, parse
from graphql.execution import Executor
from graphql.pyutils import is_awaitable
from starlette.applications import Starlette

from pipedrive_graphql.context import Context
from pipedrive_graphql.execution import is_awaitable_cached


async def execute_with(
    app: Starlette,
    query: str,
    executor: type[Executor[None]],
    variables: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], Context]:
    """The data of a query that must answer without errors, and the request context it used."""
    runtime = app.state.runtime
    context = runtime.context_for(runtime.server_credential, None)
    result = execute(
        runtime.schema._schema,
        parse(query),
        context_value=context,
        variable_values=variables,
        executor_class=executor,
        is_awaitable=is_awaitable_cached,
    )
    if is_awaitable(result):
        result = await result
    assert isinstance(result, ExecutionResult)
    assert result.errors is None
    assert isinstance(result.data, dict)
    return result.data, context
