"""Execution: one operation under the request deadline, abandoned when the client goes away.

A client that disconnects (or gives up on its own timeout) will never read the answer, and
Pipedrive charges every call: its pending reads are cancelled and no further call starts. A
write already on the wire is not cut off: the cancel carries `CLIENT_GONE`, and the upstream
session lets a write in flight finish on such a cancel (see `UpstreamSession._send`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

from graphql import DocumentNode, ExecutionResult, GraphQLSchema
from graphql.pyutils import is_awaitable
from starlette.types import Receive

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.pipedrive.upstream import CLIENT_GONE
from pipedrive_graphql.errors import GatewayError
from pipedrive_graphql.execution import execute_request
from pipedrive_graphql.http_request import GraphQLRequest
from pipedrive_graphql.resolvers.custom_fields import name_keys_in

T = TypeVar("T")


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
    async with asyncio.timeout(deadline):
        result = execute_request(schema, document, context, gql.variables, gql.operation_name)
        if is_awaitable(result):  # only then is there upstream work to abandon
            result = await _unless_disconnected(result, receive)
    assert isinstance(result, ExecutionResult)
    for error in result.errors or ():
        original = error.original_error
        if isinstance(original, GatewayError) and "custom_fields." in original.message:
            original.message = name_keys_in(context, original.message)
    if context.field_errors:
        errors = [*(result.errors or ()), *context.field_errors]
        return ExecutionResult(result.data, errors, result.extensions)
    return result


async def _unless_disconnected(pending: Awaitable[T], receive: Receive) -> T:
    """Await `pending` in this task; cancel it (and raise ClientGoneError) on disconnect."""
    task = asyncio.current_task()
    assert task is not None
    left = False

    def on_disconnect(watcher: asyncio.Future[None]) -> None:
        nonlocal left
        if not watcher.cancelled() and watcher.exception() is None:
            left = True
            task.cancel(CLIENT_GONE)

    watcher = asyncio.ensure_future(_until_disconnected(receive))
    watcher.add_done_callback(on_disconnect)
    try:
        return await pending
    except asyncio.CancelledError:
        if left:
            task.uncancel()
            raise ClientGoneError from None
        raise
    finally:
        watcher.remove_done_callback(on_disconnect)
        watcher.cancel()


async def _until_disconnected(receive: Receive) -> None:
    """Return once the server reports the connection closed (the body is already read)."""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
