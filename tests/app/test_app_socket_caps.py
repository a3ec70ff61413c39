"""Connection caps: subscribers have their own, and probes answer when either is reached."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Subprotocol

from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from tests.app.live_server import live_server
from tests.conftest import make_settings

PROTOCOL = Subprotocol("graphql-transport-ws")
PROBES = ("/healthz", "/readyz", "/metrics")


@asynccontextmanager
async def subscribers(host: str, port: int, count: int) -> AsyncIterator[list[ClientConnection]]:
    """`count` acknowledged graphql-transport-ws connections, each running one subscription."""
    async with AsyncExitStack() as stack:
        sockets = []
        for number in range(count):
            socket = await stack.enter_async_context(
                connect(f"ws://{host}:{port}/graphql", subprotocols=[PROTOCOL])
            )
            await socket.send(json.dumps({"type": "connection_init", "payload": {}}))
            assert json.loads(await asyncio.wait_for(socket.recv(), 5))["type"] == "connection_ack"
            subscribe = {"query": "subscription { dealChanged { id } }"}
            await socket.send(
                json.dumps({"id": str(number), "type": "subscribe", "payload": subscribe})
            )
            sockets.append(socket)
        yield sockets


async def statuses(host: str, port: int) -> dict[str, int]:
    """The status of each probe and of a GraphQL query, each on a connection of its own."""
    found = {}
    for path in PROBES:
        async with httpx.AsyncClient() as client:
            found[path] = (await client.get(f"http://{host}:{port}{path}")).status_code
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            f"http://{host}:{port}/graphql", json={"query": "{ __typename }"}
        )
    found["/graphql"] = answer.status_code
    return found


async def test_idle_subscribers_leave_requests_and_probes_answerable() -> None:
    # more subscribers than MAX_CONNECTIONS: they count against their own cap only
    settings = make_settings(max_connections=3, max_subscription_connections=5)
    upstream = Emulator(EmulatorConfig(dataset="demo"))
    async with (
        live_server(settings, upstream) as (host, port),
        subscribers(host, port, 4),
    ):
        answered = await statuses(host, port)
    assert answered == {"/healthz": 200, "/readyz": 200, "/metrics": 200, "/graphql": 200}


async def test_subscription_connections_past_their_cap_are_refused_with_a_code() -> None:
    settings = make_settings(max_subscription_connections=2)
    upstream = Emulator(EmulatorConfig(dataset="demo"))
    async with (
        live_server(settings, upstream) as (host, port),
        subscribers(host, port, 2),
    ):
        with pytest.raises(InvalidStatus) as refused:
            async with connect(f"ws://{host}:{port}/graphql", subprotocols=[PROTOCOL]):
                pass
        answered = await statuses(host, port)
    response = refused.value.response
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert orjson.loads(response.body) == {
        "errors": [
            {
                "message": "the server is at its limit of 2 subscription connections",
                "extensions": {"code": "SERVER_BUSY", "retryAfter": 1},
            }
        ]
    }
    assert answered == {"/healthz": 200, "/readyz": 200, "/metrics": 200, "/graphql": 200}


async def test_probes_answer_when_the_http_cap_is_reached() -> None:
    settings = make_settings(max_connections=3)
    upstream = Emulator(EmulatorConfig(dataset="demo"))
    async with live_server(settings, upstream) as (host, port):
        held = [await asyncio.open_connection(host, port) for _ in range(3)]
        await asyncio.sleep(0.1)
        answered = await statuses(host, port)
        async with httpx.AsyncClient() as client:
            busy = await client.post(
                f"http://{host}:{port}/graphql", json={"query": "{ __typename }"}
            )
        for _, writer in held:
            writer.close()
    assert answered == {"/healthz": 200, "/readyz": 200, "/metrics": 200, "/graphql": 503}
    assert busy.json()["errors"][0]["extensions"]["code"] == "SERVER_BUSY"


async def test_a_socket_message_is_bounded_like_a_request_body() -> None:
    settings = make_settings(max_body_bytes=2_000)
    upstream = Emulator(EmulatorConfig(dataset="demo"))
    async with (
        live_server(settings, upstream) as (host, port),
        subscribers(host, port, 1) as (socket,),
    ):
        padded = {"query": "subscription { dealChanged { id } }" + " " * 5_000}
        await socket.send(json.dumps({"id": "big", "type": "subscribe", "payload": padded}))
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 5)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009  # message too big, before it was buffered whole
