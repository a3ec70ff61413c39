"""Execution: one operation under the request deadline, abandoned when the client goes away.

A client that disconnects (or gives up on its own timeout) will never read the answer, and
Pipedrive charges every call: its pending reads are cancelled and no further call starts. A
write already on the wire is not cut off (the upstream session lets it finish, see `_send`).
"""

from __future__ import annotations

import asyncio
import contextlib

from graphql import DocumentNode, ExecutionResult, GraphQLSchema
from graphql.pyutils import is_awaitable
from starlette.types import Receive

from pipedrive_graphql.context import Context
from pipedrive_graphql.execution import execute_request
from pipedrive_graphql.http_request import GraphQLRequest


class ClientGoneError(Exception):
    """The client disconnected before the answer was ready; nothing is sent back."""


async def run_operation(
    schema: GraphQLSchema,
    context: Context,
    document: DocumentNode,
    gql: GraphQLRequest,
    deadline: float,
    receive: Receive,
) -> ExecutionResult:
    """The execution result; TimeoutError past `deadline` seconds, ClientGoneError on disconnect."""
    execution = asyncio.ensure_future(_execute(schema, context, document, gql, deadline))
    watcher = asyncio.ensure_future(_until_disconnected(receive))
    try:
        await asyncio.wait({execution, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
        if not execution.done():
            execution.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await execution
    if execution.cancelled():
        raise ClientGoneError
    return execution.result()


async def _execute(
    schema: GraphQLSchema,
    context: Context,
    document: DocumentNode,
    gql: GraphQLRequest,
    deadline: float,
) -> ExecutionResult:
    async with asyncio.timeout(deadline):
        result = execute_request(schema, document, context, gql.variables, gql.operation_name)
        if is_awaitable(result):
            result = await result
    assert isinstance(result, ExecutionResult)
    return result


async def _until_disconnected(receive: Receive) -> None:
    """Return once the server reports the connection closed (the body is already read)."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
