"""The /graphql endpoint: a request's life from HTTP in to the response, one step per module.

HTTP in (`http_request`) -> document (`documents`) -> limits (`admission`) -> execution
(`operation_run`) -> response (`http_response`). This module only sequences them and records
what the request turned out to be, for metrics, logs and the trace.
"""

from __future__ import annotations

import logging
import time

from graphql import ExecutionResult, OperationType
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from pipedrive_graphql.admission import admit, estimate_for_context
from pipedrive_graphql.apq import PersistedQueryError, PersistedQueryStore, persisted_ref
from pipedrive_graphql.credentials import credential_for
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.error_format import error_code_of, format_error, request_error
from pipedrive_graphql.errors import ErrorCode, GatewayError
from pipedrive_graphql.graphiql import GRAPHIQL_HTML
from pipedrive_graphql.http_request import BodyLimits, GraphQLRequest, RequestError
from pipedrive_graphql.http_request import read_graphql_request as read_request
from pipedrive_graphql.http_response import (
    JSON,
    graphql_response,
    request_error_status,
    response_media_type,
)
from pipedrive_graphql.metrics import Metrics
from pipedrive_graphql.operation_run import ClientGoneError, run_operation
from pipedrive_graphql.resolvers.custom_field_selection import (
    refuse_unknown_names,
    select_custom_fields,
)
from pipedrive_graphql.runtime import Runtime
from pipedrive_graphql.tracing import request_span

logger = logging.getLogger("pipedrive_graphql.requests")

CLIENT_GONE_STATUS = 499  # never sent (the client left); recorded in metrics and logs


class Exchange:
    """What one request turned out to be, for metrics and logs (filled as it is learnt)."""

    __slots__ = ("media_type", "operation", "operation_type", "outcome", "stats")

    def __init__(self, media_type: str) -> None:
        self.media_type = media_type
        self.operation: str | None = None
        self.operation_type = "unknown"
        self.outcome = "ok"
        self.stats: CallStats | None = None


def _wants_graphiql(request: Request) -> bool:
    """A browser navigation (HTML wanted, JSON not asked for); `?query=` prefills the editor."""
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "json" not in accept


async def graphql_endpoint(request: Request) -> Response:
    """Serve GraphiQL to browsers and execute GraphQL requests over GET and POST."""
    if request.method == "GET" and _wants_graphiql(request):
        return HTMLResponse(GRAPHIQL_HTML)
    media_type = response_media_type(request.headers.get("accept"))
    exchange = Exchange(media_type or JSON)
    if media_type is None:
        message = "Accept must allow application/graphql-response+json or application/json"
        return _error_response(exchange, RequestError(ErrorCode.BAD_USER_INPUT, message, 406))
    state = request.app.state
    metrics: Metrics = state.metrics
    started = time.perf_counter()
    try:
        response = await _handle(state.runtime, state.apq, request, exchange)
    except RequestError as error:
        response = _error_response(exchange, error)
    except PersistedQueryError as error:
        response = _error_response(exchange, RequestError(error.code, error.message, error.status))
    except GatewayError as error:  # credentials and limits, refused before execution
        cost = state.runtime.settings.cost_extension
        response = _gateway_error_response(exchange, error, cost)
    except ClientGoneError:
        exchange.outcome = "CLIENT_GONE"
        response = Response(status_code=CLIENT_GONE_STATUS)
    elapsed = time.perf_counter() - started
    metrics.observe(
        exchange.operation, exchange.operation_type, exchange.outcome, elapsed, exchange.stats
    )
    if exchange.outcome != "ok" or logger.isEnabledFor(logging.DEBUG):
        _log_exchange(exchange, elapsed)
    return response


def _error_response(exchange: Exchange, error: RequestError) -> Response:
    exchange.outcome = error.code.value
    body = {"errors": [request_error(error.code, error.message)]}
    return graphql_response(body, exchange.media_type, error.status, error.headers)


def _gateway_error_response(exchange: Exchange, error: GatewayError, cost: bool) -> Response:
    """The refusal; with `extensions.cost` (`cost`) when pricing the operation made calls."""
    exchange.outcome = error.code.value
    status = {ErrorCode.UNAUTHENTICATED: 401, ErrorCode.FORBIDDEN: 403}.get(
        error.code, request_error_status(exchange.media_type)
    )
    body = {"message": error.message, "extensions": {"code": error.code.value, **error.extensions}}
    refusal: dict[str, object] = {"errors": [body]}
    stats = exchange.stats
    if cost and stats is not None and stats.requests:
        refusal["extensions"] = {"cost": stats.as_dict()}
    return graphql_response(refusal, exchange.media_type, status)


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
    settings = runtime.settings
    limits = BodyLimits(settings.max_body_bytes, settings.body_read_timeout)
    gql = await read_request(request, limits, settings.cors_origins)
    query = await apq.resolve_shared(persisted_ref(gql.extensions), gql.query)
    assert query is not None  # read_request only lets a missing query through with a hash
    with request_span(request.app.state.tracer, request.headers) as span:
        response = await _execute(runtime, request, gql, query, exchange)
        if span is not None:
            span.update_name(
                f"graphql {exchange.operation_type} {exchange.operation or ''}".strip()
            )
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
    media_type = exchange.media_type
    prepared = runtime.documents.prepare(query)
    if prepared.document is None:
        exchange.outcome = error_code_of(prepared.errors[0]).value
        failed = {"errors": [format_error(e) for e in prepared.errors]}
        return graphql_response(failed, media_type, request_error_status(media_type))
    operation = admit(prepared.document, gql, request.method)
    exchange.operation = operation.name.value if operation.name else None
    exchange.operation_type = operation.operation.value
    credential = credential_for(request, runtime.settings, runtime.server_credential)
    context = runtime.context_for(credential, request)
    # from here on, what reaches the upstream is this request's, refused or not: the
    # estimate may read lists to price the operation
    exchange.stats = context.stats
    # before the estimate, which may read lists for the operation (`estimate_for_context`):
    # those reads ask for the custom fields the operation names, as its own reads would
    selected = select_custom_fields(
        context, runtime.schema._schema, prepared.document, gql.variables
    )
    try:
        estimate = await estimate_for_context(runtime, context, prepared.document, operation, gql)
    except BaseException:
        context.release()
        raise
    deadline = runtime.settings.request_deadline
    try:
        refused = None
        if operation.operation is OperationType.MUTATION:
            # checked before anything is written (reads the cached definitions)
            refused = await refuse_unknown_names(context, selected)
        result = refused or await run_operation(
            runtime.schema._schema, context, prepared.document, gql, deadline, request.receive
        )
    except TimeoutError:
        message = f"request deadline of {deadline:g}s exceeded"
        timeout_error = request_error(ErrorCode.UPSTREAM_UNAVAILABLE, message)
        exchange.outcome = ErrorCode.UPSTREAM_UNAVAILABLE.value
        return graphql_response({"data": None, "errors": [timeout_error]}, media_type)
    finally:
        context.release()
    body, status = _result_body(result, media_type, exchange)
    if runtime.settings.cost_extension:
        body["extensions"] = {"cost": {**context.stats.as_dict(), "estimate": estimate.as_dict()}}
    response = graphql_response(body, media_type, status)
    if request.method == "GET":
        # The answer depends on the credential: browsers may keep it, shared caches may not.
        response.headers["cache-control"] = "private"
        response.headers["vary"] = "Authorization, X-Pipedrive-Api-Token"
    return response


def _result_body(
    result: ExecutionResult, media_type: str, exchange: Exchange
) -> tuple[dict[str, object], int]:
    """The response body and status; variables that failed to coerce are a request error."""
    if not result.errors:
        return {"data": result.data}, 200
    exchange.outcome = error_code_of(result.errors[0]).value
    errors = [format_error(e) for e in result.errors]
    if result.data is None and all(e.path is None for e in result.errors):
        request_errors: dict[str, object] = {"errors": errors}
        return request_errors, request_error_status(media_type)
    return {"data": result.data, "errors": errors}, 200
