"""The /graphql endpoint: GraphQL over HTTP on graphql-core, with cached documents and orjson."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from graphql import (
    ExecutionResult,
    FragmentDefinitionNode,
    OperationType,
    get_operation_ast,
)
from graphql.pyutils import is_awaitable
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from pipedrive_graphql.apq import PersistedQueryError, PersistedQueryStore, persisted_ref
from pipedrive_graphql.credentials import credential_for
from pipedrive_graphql.datasources.stats import CallStats
from pipedrive_graphql.error_format import error_code_of, format_error, request_error
from pipedrive_graphql.errors import ErrorCode, GatewayError
from pipedrive_graphql.execution import execute_request
from pipedrive_graphql.graphiql import GRAPHIQL_HTML
from pipedrive_graphql.limits import check_limits, estimate_operation
from pipedrive_graphql.metrics import Metrics
from pipedrive_graphql.runtime import Runtime

logger = logging.getLogger("pipedrive_graphql.requests")


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    """The parts of a GraphQL-over-HTTP request body."""

    query: str | None
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: Mapping[str, Any] | None = None


class Exchange:
    """What one request turned out to be, for metrics and logs (filled as it is learnt)."""

    __slots__ = ("operation", "operation_type", "outcome", "stats")

    def __init__(self) -> None:
        self.operation: str | None = None
        self.operation_type = "unknown"
        self.outcome = "ok"
        self.stats: CallStats | None = None


class RequestError(Exception):
    """A request that cannot be executed; answered with one error and an HTTP status."""

    def __init__(self, code: ErrorCode, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def json_response(body: Mapping[str, object], status: int = 200) -> Response:
    """Encode with orjson: several times faster than the standard library on large results."""
    return Response(orjson.dumps(body), status_code=status, media_type="application/json")


def _parse_body(raw: bytes) -> GraphQLRequest:
    try:
        payload = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise RequestError(ErrorCode.BAD_USER_INPUT, "request body is not valid JSON") from error
    if not isinstance(payload, dict):
        raise RequestError(ErrorCode.BAD_USER_INPUT, "request body must be a JSON object")
    return _request_from(payload)


def _parse_query_string(request: Request) -> GraphQLRequest:
    params: dict[str, Any] = dict(request.query_params)
    for name in ("variables", "extensions"):
        if name in params:
            try:
                params[name] = orjson.loads(params[name])
            except orjson.JSONDecodeError as error:
                message = f"{name} is not valid JSON"
                raise RequestError(ErrorCode.BAD_USER_INPUT, message) from error
    return _request_from(params)


def _request_from(payload: Mapping[str, Any]) -> GraphQLRequest:
    query = payload.get("query")
    extensions = payload.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise RequestError(ErrorCode.BAD_USER_INPUT, "'extensions' must be a JSON object")
    has_hash = extensions is not None and "persistedQuery" in extensions
    if query is None and has_hash:
        pass  # the query comes from the persisted query store
    elif not isinstance(query, str) or not query.strip():
        raise RequestError(ErrorCode.BAD_USER_INPUT, "a GraphQL request needs a 'query' string")
    variables = payload.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise RequestError(ErrorCode.BAD_USER_INPUT, "'variables' must be a JSON object")
    operation_name = payload.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        raise RequestError(ErrorCode.BAD_USER_INPUT, "'operationName' must be a string")
    return GraphQLRequest(query, variables, operation_name, extensions)


def _wants_graphiql(request: Request) -> bool:
    """A browser navigation (HTML wanted, JSON not asked for); `?query=` prefills the editor."""
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "json" not in accept


def _error_response(
    exchange: Exchange, code: ErrorCode, message: str, status: int, extra: Mapping[str, object]
) -> Response:
    exchange.outcome = code.value
    body = {"message": message, "extensions": {"code": code.value, **extra}}
    return json_response({"errors": [body]}, status)


async def graphql_endpoint(request: Request) -> Response:
    """Serve GraphiQL to browsers and execute GraphQL requests over GET and POST."""
    if request.method == "GET" and _wants_graphiql(request):
        return HTMLResponse(GRAPHIQL_HTML)
    state = request.app.state
    runtime: Runtime = state.runtime
    metrics: Metrics = state.metrics
    started = time.perf_counter()
    exchange = Exchange()
    try:
        response = await _handle(runtime, state.apq, request, exchange)
    except RequestError as error:
        response = _error_response(exchange, error.code, error.message, error.status, {})
    except PersistedQueryError as error:
        response = _error_response(exchange, error.code, error.message, error.status, {})
    except GatewayError as error:
        status = 401 if error.code is ErrorCode.UNAUTHENTICATED else 403
        if error.code not in (ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN):
            status = 400
        response = _error_response(exchange, error.code, error.message, status, error.extensions)
    elapsed = time.perf_counter() - started
    metrics.observe(
        exchange.operation, exchange.operation_type, exchange.outcome, elapsed, exchange.stats
    )
    if exchange.outcome != "ok" or logger.isEnabledFor(logging.DEBUG):
        _log_exchange(exchange, elapsed)
    return response


def _log_exchange(exchange: Exchange, elapsed: float) -> None:
    stats = exchange.stats
    logger.log(
        logging.DEBUG if exchange.outcome == "ok" else logging.INFO,
        "graphql %s %s: %s",
        exchange.operation_type,
        exchange.operation or "anonymous",
        exchange.outcome,
        extra={
            "operation": exchange.operation,
            "outcome": exchange.outcome,
            "duration_ms": round(elapsed * 1000, 2),
            "upstream_requests": stats.requests if stats else 0,
            "pipedrive_tokens": stats.tokens if stats else 0,
        },
    )


async def _handle(
    runtime: Runtime, apq: PersistedQueryStore, request: Request, exchange: Exchange
) -> Response:
    gql = (
        _parse_query_string(request)
        if request.method == "GET"
        else _parse_body(await request.body())
    )
    query = await apq.resolve_shared(persisted_ref(gql.extensions), gql.query)
    assert query is not None  # _request_from only lets a missing query through with a hash
    tracer = request.app.state.tracer
    if tracer is None:
        return await _execute(runtime, request, gql, query, exchange)
    with tracer.start_as_current_span("graphql.request") as span:
        response = await _execute(runtime, request, gql, query, exchange)
        span.update_name(f"graphql {exchange.operation_type} {exchange.operation or ''}".strip())
        span.set_attribute("graphql.operation.type", exchange.operation_type)
        span.set_attribute("graphql.operation.name", exchange.operation or "")
        span.set_attribute("graphql.outcome", exchange.outcome)
        if exchange.stats is not None:
            span.set_attribute("pipedrive.upstream_requests", exchange.stats.requests)
            span.set_attribute("pipedrive.tokens", exchange.stats.tokens)
        return response


async def _execute(
    runtime: Runtime, request: Request, gql: GraphQLRequest, query: str, exchange: Exchange
) -> Response:
    prepared = runtime.documents.prepare(query)
    if prepared.document is None:
        exchange.outcome = error_code_of(prepared.errors[0]).value
        return json_response({"errors": [format_error(e) for e in prepared.errors]}, 400)
    operation = get_operation_ast(prepared.document, gql.operation_name)
    if operation is None:
        raise RequestError(ErrorCode.BAD_USER_INPUT, "unknown or ambiguous operationName")
    exchange.operation = operation.name.value if operation.name else None
    exchange.operation_type = operation.operation.value
    if request.method == "GET" and operation.operation is not OperationType.QUERY:
        raise RequestError(ErrorCode.BAD_USER_INPUT, "only queries may be sent with GET", 405)
    fragments = {
        d.name.value: d
        for d in prepared.document.definitions
        if isinstance(d, FragmentDefinitionNode)
    }
    estimate = estimate_operation(operation, fragments, gql.variables, runtime.field_types)
    check_limits(estimate, runtime.settings)
    credential = credential_for(request, runtime.settings, runtime.server_credential)
    context = runtime.context_for(credential, request)
    exchange.stats = context.stats
    try:
        async with asyncio.timeout(runtime.settings.request_deadline):
            result = execute_request(
                runtime.schema._schema,
                prepared.document,
                context,
                gql.variables,
                gql.operation_name,
            )
            if is_awaitable(result):
                result = await result
    except TimeoutError:
        message = f"request deadline of {runtime.settings.request_deadline:g}s exceeded"
        timeout_error = request_error(ErrorCode.UPSTREAM_UNAVAILABLE, message)
        exchange.outcome = ErrorCode.UPSTREAM_UNAVAILABLE.value
        return json_response({"data": None, "errors": [timeout_error]})
    assert isinstance(result, ExecutionResult)
    body: dict[str, object] = {"data": result.data}
    if result.errors:
        body["errors"] = [format_error(e) for e in result.errors]
        exchange.outcome = error_code_of(result.errors[0]).value
    if runtime.settings.cost_extension:
        body["extensions"] = {"cost": {**context.stats.as_dict(), "estimate": estimate.as_dict()}}
    response = json_response(body)
    if request.method == "GET":
        # The answer depends on the credential: browsers may keep it, shared caches may not.
        response.headers["cache-control"] = "private"
        response.headers["vary"] = "Authorization, X-Pipedrive-Api-Token"
    return response
