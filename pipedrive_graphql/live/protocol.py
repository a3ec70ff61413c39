"""Strawberry's `graphql-transport-ws` handler, with this server's admission and execution.

Strawberry keeps the protocol (connection_init, ping/pong, complete, close codes); what runs
a subscribe message is ours, so the socket gets exactly what `POST /graphql` gets:

- admission (`live.admission`): persisted-query policy, document and cost limits, codes;
- execution: each event runs through `execute_request` (the endpoint's executor and its
  upstream extras and custom field selection) on a fresh request context, under
  `REQUEST_DEADLINE`, and is counted in `/metrics` and priced in `extensions.cost` like a query;
- errors: formatted by `error_format` (a code on every error, unexpected ones masked).

A refused credential closes the socket with 4403 and the refusal's code and message as the
close reason, so a client can say why instead of retrying in silence.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterable
from typing import TYPE_CHECKING, Any, cast

from graphql import ExecutionResult, GraphQLError, create_source_event_stream
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    Message,
    SubscribeMessage,
)
from strawberry.types.unset import UnsetType
from strawberry.utils.aio import aclosing

from pipedrive_graphql.error_format import error_code_of, format_error, request_error
from pipedrive_graphql.errors import ErrorCode, UpstreamUnavailableError
from pipedrive_graphql.execution import PlainFieldExecutor, execute_request, is_awaitable_cached
from pipedrive_graphql.live.admission import (
    AdmittedSubscription,
    SubscribeRefusedError,
    admit_subscription,
)
from pipedrive_graphql.live.connection import EVENT_CONTEXT, ConnectionContext
from pipedrive_graphql.resolvers.custom_field_selection import select_custom_fields

if TYPE_CHECKING:
    from pipedrive_graphql.context import Context

logger = logging.getLogger("pipedrive_graphql.requests")

MAX_SUBSCRIPTIONS = 100  # per connection (Strawberry's default, kept)
MAX_CLOSE_REASON = 123  # bytes: a WebSocket close frame's reason (RFC 6455, 5.5)


def close_reason(code: str, message: str) -> str:
    """`CODE: message`, cut to what a close frame carries (whole UTF-8 characters)."""
    reason = f"{code}: {message}".encode()[:MAX_CLOSE_REASON]
    return reason.decode("utf-8", "ignore")


class SubscriptionHandler(BaseGraphQLTransportWSHandler[ConnectionContext, None]):
    """One connection: subscribe messages admitted and events executed as the endpoint does."""

    context: ConnectionContext

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        """As Strawberry's, with the refusal's code and message as the 4403 close reason."""
        if self.connection_timed_out:
            return
        if self.connection_init_timeout_task:
            self.connection_init_timeout_task.cancel()
        payload = message.get("payload", {})
        if not isinstance(payload, dict):
            await self.websocket.close(code=4400, reason="Invalid connection init payload")
            return
        if self.connection_init_received:
            await self.websocket.close(code=4429, reason="Too many initialisation requests")
            return
        self.connection_init_received = True
        self.context.connection_params = payload
        try:
            ack = await self.view.on_ws_connect(self.context)
        except ConnectionRejectionError as refusal:
            details = refusal.payload if isinstance(refusal.payload, dict) else {}
            code = str(details.get("code", ErrorCode.FORBIDDEN.value))
            reason = close_reason(code, str(details.get("message", "credential refused")))
            await self.websocket.close(code=4403, reason=reason)
            return
        acknowledgement: dict[str, Any] = {"type": "connection_ack"}
        if not isinstance(ack, UnsetType):
            acknowledgement["payload"] = ack
        await self.send_message(cast("Message", acknowledgement))
        self.connection_acknowledged = True

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        """Admit the document before anything is subscribed; refusals are `error` messages."""
        operation_id = message["id"]
        if not self.connection_acknowledged or operation_id in self.operations:
            await super().handle_subscribe(message)  # the protocol's 4401 / 4409 closes
            return
        if len(self.operations) >= MAX_SUBSCRIPTIONS:
            text = f"this connection already runs {MAX_SUBSCRIPTIONS} subscriptions, the most "
            text += "one connection may: complete one or open another connection"
            await self._refuse(operation_id, [request_error(ErrorCode.BAD_USER_INPUT, text)])
            return
        runtime = self.context.runtime
        try:
            admitted = await admit_subscription(runtime, self.context.apq, message.get("payload"))
        except SubscribeRefusedError as refused:
            await self._refuse(operation_id, refused.errors)
            return
        request = admitted.request
        query = request.query or ""
        operation = Operation(self, operation_id, query, request.variables, request.operation_name)
        operation.task = asyncio.create_task(self._run(operation, admitted))
        operation.task.add_done_callback(self._task_done)
        self.operations[operation_id] = operation

    async def _refuse(self, operation_id: str, errors: list[dict[str, object]]) -> None:
        refusal = {"id": operation_id, "type": "error", "payload": errors}
        await self.send_message(cast("Message", refusal))

    async def _run(
        self, operation: Operation[ConnectionContext, None], admitted: AdmittedSubscription
    ) -> None:
        """Send each event's result until the stream ends or the client completes."""
        try:
            source = await self._source(admitted)
            if isinstance(source, ExecutionResult):
                errors = [format_error(e) for e in source.errors or ()]
                error = {"id": operation.id, "type": "error", "payload": errors}
                await operation.send_operation_message(cast("Message", error))
                return
            async with aclosing(source):
                async for event in source:
                    payload = await self._execute_event(admitted, event)
                    next_message = {"id": operation.id, "type": "next", "payload": payload}
                    await operation.send_operation_message(cast("Message", next_message))
            await operation.send_operation_message({"id": operation.id, "type": "complete"})
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("subscription %s failed", admitted.name or "anonymous")
            masked = request_error(ErrorCode.INTERNAL_SERVER_ERROR, "Internal server error")
            error = {"id": operation.id, "type": "error", "payload": [masked]}
            await operation.send_operation_message(cast("Message", error))

    async def _source(self, admitted: AdmittedSubscription) -> AsyncIterable[Any] | ExecutionResult:
        """The root field's event stream (graphql-core's CreateSourceEventStream)."""
        schema = self.context.runtime.schema._schema
        request = admitted.request
        executor = PlainFieldExecutor.build(
            schema,
            admitted.document,
            None,
            self.context,
            request.variables,
            request.operation_name,
        )
        if isinstance(executor, list):  # variables that do not coerce
            return ExecutionResult(None, executor)
        source = create_source_event_stream(executor)
        if is_awaitable_cached(source):
            source = await source
        return cast("AsyncIterable[Any] | ExecutionResult", source)

    async def _execute_event(
        self, admitted: AdmittedSubscription, event: object
    ) -> dict[str, object]:
        """One event's `next` payload, executed on its own request context."""
        runtime = self.context.runtime
        context = EVENT_CONTEXT.get() or self._fresh_context()
        request = admitted.request
        schema = runtime.schema._schema
        started = time.perf_counter()
        select_custom_fields(context, schema, admitted.document, request.variables)
        deadline = runtime.settings.request_deadline
        try:
            async with asyncio.timeout(deadline):
                result = execute_request(
                    schema,
                    admitted.document,
                    context,
                    request.variables,
                    request.operation_name,
                    root_value=event,
                )
                if is_awaitable_cached(result):
                    result = await result
        except TimeoutError:
            late = UpstreamUnavailableError(f"request deadline of {deadline:g}s exceeded")
            result = ExecutionResult(None, [GraphQLError(late.message, original_error=late)])
        assert isinstance(result, ExecutionResult)
        errors = [*(result.errors or ()), *context.field_errors]
        payload: dict[str, object] = {"data": result.data}
        if errors:
            payload["errors"] = [format_error(e) for e in errors]
        if runtime.settings.cost_extension:
            cost = {**context.stats.as_dict(), "estimate": admitted.estimate.as_dict()}
            payload["extensions"] = {"cost": cost}
        outcome = error_code_of(errors[0]).value if errors else "ok"
        elapsed = time.perf_counter() - started
        if self.context.metrics is not None:
            self.context.metrics.observe(
                admitted.name, "subscription", outcome, elapsed, context.stats
            )
        return payload

    def _fresh_context(self) -> Context:
        credential = self.context.credential
        assert credential is not None  # set before the connection was acknowledged
        return self.context.runtime.context_for(credential, None)
