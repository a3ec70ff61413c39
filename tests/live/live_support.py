"""Replicas under uvicorn on loopback ports, companies routed by token, a WebSocket client."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.settings import Secret
from tests.conftest import UPSTREAM_URL, make_settings

HOOK_USER = "pipedrive-hooks"
HOOK_PASSWORD = "hook-password-0123456789"
TOKEN_A = "company-a-token-0123456789abcdef"
TOKEN_B = "company-b-token-0123456789abcdef"
COMPANY_B = 7770002
PROTOCOL = Subprotocol("graphql-transport-ws")


def basic(user: str, password: str) -> str:
    """An HTTP Basic `Authorization` value."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


class Companies:
    """One Pipedrive host serving two companies, each its own emulator, chosen by token."""

    def __init__(self) -> None:
        self.a = Emulator(EmulatorConfig(dataset="demo", strict=True, token=TOKEN_A))
        self.b = Emulator(EmulatorConfig(dataset="demo", strict=True, token=TOKEN_B))
        self.b.store.company["company_id"] = COMPANY_B

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or [])
        token = headers.get(b"x-api-token", b"").decode()
        emulator = self.b if token == TOKEN_B else self.a
        await emulator.app(scope, receive, send)


@dataclass
class Replica:
    """One server app served by uvicorn on 127.0.0.1."""

    port: int
    app: Starlette

    @property
    def url(self) -> str:
        """`http://127.0.0.1:{port}`."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        """The subscriptions endpoint."""
        return f"ws://127.0.0.1:{self.port}/graphql"

    @property
    def hook_url(self) -> str:
        """The webhook endpoint."""
        return self.url + "/webhooks/pipedrive"


@asynccontextmanager
async def serve(app: Any) -> AsyncIterator[int]:
    """Serve `app` (lifespan on) on a free loopback port; yields the port."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", lifespan="on", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        for _ in range(1000):
            if server.started:
                break
            if task.done():
                await task
            await asyncio.sleep(0.01)
        yield int(server.servers[0].sockets[0].getsockname()[1])
    finally:
        server.should_exit = True
        await task


@asynccontextmanager
async def replicas(
    upstream: Any, redis_url: str | None, count: int = 2, **overrides: Any
) -> AsyncIterator[list[Replica]]:
    """`count` server replicas on one upstream ASGI app, sharing `redis_url` when given."""
    async with AsyncExitStack() as stack:
        found = []
        for _ in range(count):
            fields: dict[str, Any] = {
                "api_token": Secret(TOKEN_A),
                "redis_url": Secret(redis_url) if redis_url else None,
                "webhook_username": Secret(HOOK_USER),
                "webhook_password": Secret(HOOK_PASSWORD),
            }
            settings = make_settings(**{**fields, **overrides})
            app = create_app(
                settings,
                upstream_transport=httpx.ASGITransport(app=upstream),
                upstream_base_url=UPSTREAM_URL,
            )
            found.append(Replica(await stack.enter_async_context(serve(app)), app))
        yield found


class Subscriber:
    """A graphql-transport-ws client: connection_init, subscribe, then `next` messages."""

    _ids = itertools.count(1)

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket

    async def subscribe(self, query: str, variables: dict[str, Any] | None = None) -> str:
        """Start one subscription; returns its id."""
        operation_id = str(next(self._ids))
        payload = {"query": query, "variables": variables or {}}
        await self.socket.send(
            json.dumps({"id": operation_id, "type": "subscribe", "payload": payload})
        )
        return operation_id

    async def receive(self, wait: float = 5.0) -> dict[str, Any]:
        """The next protocol message (pings answered on the way)."""
        while True:
            message: dict[str, Any] = json.loads(await asyncio.wait_for(self.socket.recv(), wait))
            if message["type"] == "ping":
                await self.socket.send(json.dumps({"type": "pong"}))
                continue
            return message

    async def nothing_within(self, seconds: float) -> bool:
        """True when no message arrives within `seconds`."""
        try:
            await self.receive(wait=seconds)
        except TimeoutError:
            return True
        return False


@asynccontextmanager
async def subscriber(
    replica: Replica, init: dict[str, Any] | None = None
) -> AsyncIterator[Subscriber]:
    """A connected, acknowledged graphql-transport-ws client."""
    async with connect(replica.ws_url, subprotocols=[PROTOCOL]) as socket:
        await socket.send(json.dumps({"type": "connection_init", "payload": init or {}}))
        client = Subscriber(socket)
        ack = await client.receive()
        assert ack["type"] == "connection_ack", ack
        yield client


async def graphql(
    replica: Replica, query: str, variables: dict[str, Any] | None = None, token: str = TOKEN_A
) -> dict[str, Any]:
    """One GraphQL request over HTTP to `replica`."""
    async with httpx.AsyncClient(base_url=replica.url) as http:
        response = await http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"x-pipedrive-api-token": token},
        )
    body: dict[str, Any] = response.json()
    return body
