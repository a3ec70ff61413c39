"""A `subscribe` message admitted as an HTTP request is: the same policies, limits and codes.

The socket is a second door to the same executor, so everything `POST /graphql` checks before
execution is checked here too, in the same order and with the same error codes: the payload's
shape, persisted queries (APQ lookups, `PERSISTED_QUERIES_ONLY`), the document's size, tokens,
validation work and validity, the operation's depth, aliases, introspection bounds and
upstream cost estimate. The estimate prices one event (the root field subscribes for free; the
event's record and links are read when it arrives), so `MAX_UPSTREAM_CALLS` and
`MAX_PIPEDRIVE_TOKENS` bound what each event may cost.

Only subscriptions are admitted: queries and mutations go to `POST /graphql`, where the
cross-site protections, deadlines and response codes of HTTP apply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)

from pipedrive_graphql.admission import estimate_within_limits
from pipedrive_graphql.apq import PersistedQueryError, PersistedQueryStore, persisted_ref
from pipedrive_graphql.error_format import format_error, request_error
from pipedrive_graphql.errors import ErrorCode, GatewayError
from pipedrive_graphql.http_request import GraphQLRequest, RequestError, request_from
from pipedrive_graphql.limits import Estimate
from pipedrive_graphql.runtime import Runtime

ONLY_SUBSCRIPTIONS = "queries and mutations go to POST /graphql; this socket carries subscriptions"


class SubscribeRefusedError(Exception):
    """A subscribe message refused before anything was subscribed; `errors` are formatted."""

    def __init__(self, errors: list[dict[str, object]]) -> None:
        super().__init__(errors[0]["message"] if errors else "refused")
        self.errors = errors

    @classmethod
    def of(cls, code: ErrorCode, message: str) -> SubscribeRefusedError:
        """One error with `code`."""
        return cls([request_error(code, message)])


@dataclass(frozen=True, slots=True)
class AdmittedSubscription:
    """What a subscription runs with: its document, operation, parameters and estimate."""

    request: GraphQLRequest
    document: DocumentNode
    operation: OperationDefinitionNode
    estimate: Estimate

    @property
    def name(self) -> str | None:
        """The operation's name, for metrics and logs."""
        return self.operation.name.value if self.operation.name else None


async def admit_subscription(
    runtime: Runtime, apq: PersistedQueryStore, payload: object
) -> AdmittedSubscription:
    """The subscription `payload` asks for; SubscribeRefusedError says why not."""
    if not isinstance(payload, Mapping):
        raise SubscribeRefusedError.of(ErrorCode.BAD_USER_INPUT, "payload must be a JSON object")
    try:
        request = request_from(payload)
        query = await apq.resolve_shared(persisted_ref(request.extensions), request.query)
    except (RequestError, PersistedQueryError) as error:
        raise SubscribeRefusedError.of(error.code, error.message) from None
    assert query is not None  # request_from only lets a missing query through with a hash
    limit = runtime.settings.max_body_bytes
    if len(query) > limit or len(query.encode("utf-8", "surrogatepass")) > limit:
        message = f"the query exceeds the limit of {limit} bytes (MAX_BODY_BYTES)"
        raise SubscribeRefusedError.of(ErrorCode.BAD_USER_INPUT, message)
    prepared = runtime.documents.prepare(query)
    if prepared.document is None:
        raise SubscribeRefusedError([format_error(e) for e in prepared.errors])
    operation = _operation(prepared.document, request.operation_name)
    try:
        estimate = estimate_within_limits(runtime, prepared.document, operation, request)
    except GatewayError as error:
        raise SubscribeRefusedError(
            [format_error(GraphQLError(error.message, original_error=error))]
        ) from None
    return AdmittedSubscription(request, prepared.document, operation, estimate)


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode:
    operation = get_operation_ast(document, name)
    if operation is None:
        message = "unknown or ambiguous operationName"
        raise SubscribeRefusedError.of(ErrorCode.BAD_USER_INPUT, message)
    if operation.operation is not OperationType.SUBSCRIPTION:
        raise SubscribeRefusedError.of(ErrorCode.BAD_USER_INPUT, ONLY_SUBSCRIPTIONS)
    return operation
