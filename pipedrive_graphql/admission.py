"""Limits: which operation of a document runs, whether this request may run it, what it costs."""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)

from pipedrive_graphql.context import Context
from pipedrive_graphql.errors import ErrorCode, QueryTooComplexError
from pipedrive_graphql.http_request import GraphQLRequest, RequestError
from pipedrive_graphql.limits import COST_LIMITS, Estimate, check_limits, estimate_operation
from pipedrive_graphql.runtime import Runtime


def admit(document: DocumentNode, gql: GraphQLRequest, method: str) -> OperationDefinitionNode:
    """The operation `gql` names; only queries over GET (a GET must never write)."""
    operation = get_operation_ast(document, gql.operation_name)
    if operation is None:
        raise RequestError(ErrorCode.BAD_USER_INPUT, "unknown or ambiguous operationName")
    if method == "GET" and operation.operation is not OperationType.QUERY:
        raise RequestError(
            ErrorCode.BAD_USER_INPUT, "only queries may be sent with GET", 405, {"allow": "POST"}
        )
    if operation.operation is OperationType.SUBSCRIPTION:
        message = "subscriptions are served over WebSocket (graphql-transport-ws) at /graphql"
        raise RequestError(ErrorCode.BAD_USER_INPUT, message)
    return operation


def estimate_within_limits(
    runtime: Runtime,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    gql: GraphQLRequest,
    reference_sizes: dict[str, int] | None = None,
) -> Estimate:
    """The operation's estimated upstream cost; QueryTooComplexError past a configured limit.

    `reference_sizes`: the known lengths of the reference lists
    (`Loaders.known_reference_sizes`).
    """
    estimate = estimate_of(runtime, document, operation, gql, reference_sizes)
    check_limits(estimate, runtime.settings)
    return estimate


async def estimate_for_context(
    runtime: Runtime,
    context: Context,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    gql: GraphQLRequest,
) -> Estimate:
    """`estimate_within_limits` for a request about to run in `context`.

    An operation refused only because a whole reference list of unknown length was counted as
    `ASSUMED_REFERENCE_LIST_SIZE` records reads that list first (as its resolver would, and
    for it: one call, in the request's stats and the process memory) and is priced again with
    the real length. Without that read, the same query would be refused while the list is not
    in memory and run once another query had read it.
    """
    known_sizes = context.loaders.known_reference_sizes()
    estimate = estimate_of(runtime, document, operation, gql, known_sizes)
    try:
        check_limits(estimate, runtime.settings)
    except QueryTooComplexError as error:
        # depth and aliases are checked first: a cost limit means they passed
        if not estimate.assumed or (error.extensions or {}).get("limit") not in COST_LIMITS:
            raise
    else:
        return estimate
    sizes = dict(known_sizes)
    for kind in sorted(estimate.assumed):
        size = await context.loaders.reference_size(kind)
        if size is not None:
            sizes[kind] = size
    return estimate_within_limits(runtime, document, operation, gql, sizes)


def estimate_of(
    runtime: Runtime,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    gql: GraphQLRequest,
    reference_sizes: dict[str, int] | None = None,
) -> Estimate:
    """The operation's estimated upstream cost, not checked against the limits."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    schema = runtime.schema._schema
    return estimate_operation(operation, fragments, gql.variables, schema, reference_sizes)
