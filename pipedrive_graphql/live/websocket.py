"""GraphQL subscriptions over WebSocket at `/graphql`, spoken by Strawberry's own view.

Only the `graphql-transport-ws` protocol (GraphiQL, Apollo Client, urql) is offered, and only
on WebSocket: HTTP `/graphql` stays the project's own handler. The credential is checked once,
at `connection_init`: its payload may carry `X-Pipedrive-Api-Token` or `Authorization: Bearer`
(browsers cannot set WebSocket headers), else the handshake's headers are read as over HTTP,
else the server's token applies. Pipedrive's `/users/me` then says which company and user the
credential is; a credential it refuses closes the connection with 4403.
"""

from __future__ import annotations

import logging
from typing import cast

import strawberry
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UNSET, UnsetType

from pipedrive_graphql.credentials import credential_from
from pipedrive_graphql.errors import ErrorCode, GatewayError
from pipedrive_graphql.live.connection import ConnectionContext
from pipedrive_graphql.live.hub import LiveHub
from pipedrive_graphql.live.protocol import MAX_SUBSCRIPTIONS, SubscriptionHandler
from pipedrive_graphql.runtime import Runtime
from pipedrive_graphql.settings import Settings

logger = logging.getLogger("pipedrive_graphql")


class SubscriptionView(GraphQL[ConnectionContext, None]):
    """Strawberry's ASGI view restricted to WebSocket subscriptions."""

    graphql_transport_ws_handler_class = SubscriptionHandler

    def __init__(self, schema: strawberry.Schema, settings: Settings) -> None:
        super().__init__(
            schema,
            graphql_ide=None,
            allow_queries_via_get=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            # a browser page elsewhere must not subscribe with the server's own token
            allowed_origins=settings.cors_origins,
            max_subscriptions_per_connection=MAX_SUBSCRIPTIONS,
        )

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> ConnectionContext:
        """The connection's context; the credential is set by `on_ws_connect`."""
        runtime: Runtime = request.app.state.runtime
        state = request.app.state
        hub: LiveHub = state.live
        return ConnectionContext(hub, runtime, dict(request.headers), state.apq, state.metrics)

    async def on_ws_connect(
        self, context: ConnectionContext
    ) -> UnsetType | dict[str, object] | None:
        """Accept the connection once its credential is known to Pipedrive."""
        runtime = context.runtime
        try:
            credential = credential_from(
                context.credential_headers(), runtime.settings, runtime.server_credential
            )
            client = runtime.context_for(credential, None).client
            identity = await context.hub.companies.identify(client)
        except GatewayError as error:
            payload: dict[str, object] = {"message": error.message, "code": error.code.value}
            raise ConnectionRejectionError(payload) from None
        if identity is None:
            message = "Pipedrive did not name the company"
            code = ErrorCode.UPSTREAM_UNAVAILABLE.value
            raise ConnectionRejectionError({"message": message, "code": code})
        context.credential, context.identity = credential, identity
        return cast("UnsetType", UNSET)
