"""Limits: which operation of a document runs, whether this request may run it, what it costs."""

from __future__ import annotations

import asyncio
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.loading.batching import LoaderCall
from pipedrive_graphql.errors import BadUserInputError, ErrorCode, QueryTooComplexError
from pipedrive_graphql.execution.extras import upstream_extras
from pipedrive_graphql.execution.warm import warm_arguments, warm_of
from pipedrive_graphql.http_request import GraphQLRequest, RequestError
from pipedrive_graphql.limits import (
    COST_LIMITS,
    Estimate,
    check_limits,
    estimate_operation,
)
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
    scanned: dict[tuple[str, ...], int] | None = None,
) -> Estimate:
    """The operation's estimated upstream cost; QueryTooComplexError past a configured limit.

    `reference_sizes`: the known lengths of the reference lists
    (`Loaders.known_reference_sizes`); `scanned`: the pages read of the to-many lists whose
    collection this request has read (`estimate_operation`).
    """
    estimate = estimate_of(runtime, document, operation, gql, reference_sizes, scanned)
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

    Two bounds can refuse an operation that would run cheaply on the account at hand; an
    operation over a cost limit checks them with the reads it would make anyway, each kept for
    its resolvers (and counted in the request's stats), and is priced again:
    - a whole reference list of unknown length, counted as `ASSUMED_REFERENCE_LIST_SIZE`
      records: the list is read (one call; the process memory keeps it);
    - a to-many list under several parents, charged a call per parent and the pages of a scan:
      the collection that level's scan reads is read first (`Loaders.probe_scan`: the same
      pages, at most 8), and the list is charged those pages. A collection too large to scan
      keeps its charge, and the process memory remembers that, so the next estimate reads
      nothing.
    Nothing is read for an operation over a limit whatever those reads find (its depth or
    aliases, or its cost with every such list read in one page and every unknown reference
    list empty).
    """
    known_sizes = context.loaders.known_reference_sizes()
    estimate = estimate_of(runtime, document, operation, gql, known_sizes)
    refusal = _over_limits(estimate, runtime)
    # depth and aliases are checked first: a cost limit means they passed
    if refusal is not None and (refusal.extensions or {}).get("limit") not in COST_LIMITS:
        raise refusal
    list_calls = _list_calls(context, estimate)
    if refusal is None:
        return estimate
    least_sizes = {**known_sizes, **dict.fromkeys(estimate.assumed, 0)}
    _refuse_unless_reads_may_fit(runtime, document, operation, gql, estimate, least_sizes, refusal)
    sizes = dict(known_sizes)
    if estimate.assumed:
        for kind in sorted(estimate.assumed):
            size = await context.loaders.reference_size(kind)
            if size is not None:
                sizes[kind] = size
        estimate = estimate_of(runtime, document, operation, gql, sizes)
        refusal = _over_limits(estimate, runtime)
        if refusal is None:
            return estimate
        _refuse_unless_reads_may_fit(runtime, document, operation, gql, estimate, sizes, refusal)
    scanned = await _read_scanned_collections(runtime, context, document, estimate, list_calls)
    return estimate_within_limits(runtime, document, operation, gql, sizes, scanned)


def _refuse_unless_reads_may_fit(
    runtime: Runtime,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    gql: GraphQLRequest,
    estimate: Estimate,
    sizes: dict[str, int],
    refusal: QueryTooComplexError,
) -> None:
    """Raise unless reads could bring the operation within the limits: priced with the
    reference list lengths `sizes` and every scan site of `estimate` read in one page.

    Over a limit even so, the refusal is that least price's: it names the limit no read can
    help with, and the fields charged most under it. `refusal` (the estimate's own) is raised
    when nothing could be read.
    """
    if not estimate.assumed and not estimate.scan_sites:
        raise refusal
    scanned = dict.fromkeys((site.path for site in estimate.scan_sites), 1)
    least = estimate_of(runtime, document, operation, gql, sizes, scanned)
    least_refusal = _over_limits(least, runtime)
    if least_refusal is not None:
        raise least_refusal


async def _read_scanned_collections(
    runtime: Runtime,
    context: Context,
    document: DocumentNode,
    estimate: Estimate,
    list_calls: dict[tuple[str, ...], LoaderCall[Any, Any] | None],
) -> dict[tuple[str, ...], int]:
    """Read the collection of each scan site that a scan can serve: the pages read, by path."""
    # the rows read are the rows the lists are served from: with the fields the selection needs
    context.loaders.extras = upstream_extras(runtime.schema._schema, document)
    sites = sorted(estimate.scan_sites.items(), key=lambda item: item[0].path)
    calls = [(site, parents, list_calls.get(site.path)) for site, parents in sites]
    reads = await asyncio.gather(
        *(
            context.loaders.probe_scan(call.loader, call.key, parents)
            for _, parents, call in calls
            if call is not None
        )
    )
    read_sites = [site for site, _, call in calls if call is not None]
    return {
        site.path: pages for site, pages in zip(read_sites, reads, strict=True) if pages is not None
    }


def _list_calls(
    context: Context, estimate: Estimate
) -> dict[tuple[str, ...], LoaderCall[Any, Any] | None]:
    """The loader call of one parent's list at each of the operation's to-many lists, by path
    (None: its arguments are not keyed); BAD_USER_INPUT, naming the list, for the first one
    whose arguments are invalid.

    Checked here, before any call, an invalid list argument is one error: checked by the
    resolvers, it would be one per parent, after the parents were read.
    """
    calls: dict[tuple[str, ...], LoaderCall[Any, Any] | None] = {}
    for site in estimate.lists:
        linked = warm_of(site.definition)
        arguments = warm_arguments(site.definition, site.node, estimate.variables)
        if linked is None or arguments is None:
            calls[site.path] = None
            continue
        try:
            # any parent's key names the collection and its filters: the level's keys differ
            # only in the parent's id
            calls[site.path] = linked.call(context, 1, **arguments)
        except BadUserInputError as error:
            field = ".".join(site.path)
            raise BadUserInputError(
                f"{field}: {error.message}", extensions=error.extensions
            ) from None
    return calls


def _over_limits(estimate: Estimate, runtime: Runtime) -> QueryTooComplexError | None:
    try:
        check_limits(estimate, runtime.settings)
    except QueryTooComplexError as refusal:
        return refusal
    return None


def estimate_of(
    runtime: Runtime,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    gql: GraphQLRequest,
    reference_sizes: dict[str, int] | None = None,
    scanned: dict[tuple[str, ...], int] | None = None,
) -> Estimate:
    """The operation's estimated upstream cost, not checked against the limits."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    schema = runtime.schema._schema
    return estimate_operation(operation, fragments, gql.variables, schema, reference_sizes, scanned)
