"""Limits: which operation of a document runs, whether this request may run it, what it costs."""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)

from pipedrive_graphql.errors import ErrorCode
from pipedrive_graphql.http_request import GraphQLRequest, RequestError
from pipedrive_graphql.limits import Estimate, check_limits, estimate_operation
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

    `reference_sizes`: the known lengths of the reference lists (`Runtime.reference_sizes`).
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    schema = runtime.schema._schema
    estimate = estimate_operation(operation, fragments, gql.variables, schema, reference_sizes)
    check_limits(estimate, runtime.settings)
    return estimate
