"""One subscriber's WebSocket connection, and a fresh request context for every event.

Strawberry hands resolvers one context object per connection. Loaders cache records for the
life of their context, so a connection-long context would answer the second change of a deal
with the record loaded for the first. `ConnectionContext` therefore forwards attribute reads to
the `Context` of the event being resolved, which `changes()` creates for each event it yields:
each subscription runs in its own task, and a context variable set in that task is seen by the
resolvers of the event it just yielded, and by no other subscription.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from pipedrive_graphql.context import Context
from pipedrive_graphql.credentials import Credential
from pipedrive_graphql.errors import GatewayError
from pipedrive_graphql.live.companies import Identity
from pipedrive_graphql.live.events import ChangeEvent
from pipedrive_graphql.live.hub import LiveHub

if TYPE_CHECKING:
    from pipedrive_graphql.apq import PersistedQueryStore
    from pipedrive_graphql.metrics import Metrics
    from pipedrive_graphql.runtime import Runtime

EVENT_CONTEXT: ContextVar[Context | None] = ContextVar("live_event_context", default=None)


class ConnectionContext:
    """What Strawberry keeps per connection; other attributes read the current event's Context."""

    def __init__(
        self,
        hub: LiveHub,
        runtime: Runtime,
        headers: Mapping[str, str],
        apq: PersistedQueryStore,
        metrics: Metrics | None = None,
    ) -> None:
        self.connection_params: dict[str, object] = {}  # the `connection_init` payload
        self.hub = hub
        self.runtime = runtime
        self.apq = apq  # the app's persisted queries: the socket follows the same policy
        self.metrics = metrics
        self.headers = headers  # the WebSocket handshake's, lower-case names
        self.credential: Credential | None = None
        self.identity: Identity | None = None

    def __getattr__(self, name: str) -> Any:
        current = EVENT_CONTEXT.get()
        if current is None:
            raise AttributeError(name)
        return getattr(current, name)

    def credential_headers(self) -> dict[str, str]:
        """The handshake headers with `connection_init`'s string entries over them."""
        merged = {name.lower(): value for name, value in self.headers.items()}
        for name, value in self.connection_params.items():
            if isinstance(value, str):
                merged[name.lower()] = value
        return merged


async def changes(
    context: object, entity: str, wanted: Callable[[ChangeEvent], bool]
) -> AsyncGenerator[ChangeEvent, None]:
    """The `entity` events `wanted` lets through, for the connection's company and user."""
    if not isinstance(context, ConnectionContext):
        raise GatewayError("subscriptions are served over WebSocket (graphql-transport-ws)")
    identity, credential = context.identity, context.credential
    if identity is None or credential is None:
        raise GatewayError("the connection has no identified credential")
    with context.hub.listen(identity, entity) as listener:
        while True:
            event = await listener.queue.get()
            if wanted(event):
                EVENT_CONTEXT.set(context.runtime.context_for(credential, None))
                context.hub.stats.delivered += 1
                yield event
