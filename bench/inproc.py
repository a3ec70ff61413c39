"""The server in this process, without sockets, its upstream answered from recorded responses.

The first request of each kind goes to an in-process emulator and its answers are recorded; later
requests are answered from the recording, so timings hold only the server's own work (HTTP
handling, GraphQL, resolvers, loaders, the httpx client, parsing upstream JSON, encoding).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
from starlette.applications import Starlette
from starlette.types import Message

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.settings import Secret, Settings

_Recorded = tuple[int, list[tuple[str, str]], bytes]
UNLIMITED_HEADERS = [
    ("x-ratelimit-limit", "100000"),
    ("x-ratelimit-remaining", "100000"),
    ("x-ratelimit-reset", "2"),
]


class ReplayTransport(httpx.AsyncBaseTransport):
    """Answers each (method, URL, body) seen before from memory; records the others."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        """Record from `inner` (an ASGI transport over the emulator)."""
        self.inner = inner
        self.recorded: dict[tuple[str, str, bytes], _Recorded] = {}
        self.hits = 0
        self.misses = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Replay or record one upstream call."""
        key = (request.method, str(request.url), request.content)
        found = self.recorded.get(key)
        if found is None:
            self.misses += 1
            response = await self.inner.handle_async_request(request)
            content = await response.aread()
            headers = [(k, v) for k, v in response.headers.multi_items() if k != "content-length"]
            if "x-ratelimit-limit" not in response.headers:
                headers += UNLIMITED_HEADERS  # as bench/emulator_proc.py: no burst limit here
            found = (response.status_code, headers, content)
            self.recorded[key] = found
        else:
            self.hits += 1
        status, headers, content = found
        return httpx.Response(status, headers=headers, content=content)


@dataclass
class InProcessServer:
    """The app plus its replaying upstream."""

    app: Starlette
    replay: ReplayTransport

    async def post(self, body: bytes) -> tuple[int, bytes]:
        """One POST /graphql through the ASGI interface."""
        return await asgi_post(self.app, body)


@contextlib.asynccontextmanager
async def in_process_server(dataset: str, batching: bool = True) -> AsyncIterator[InProcessServer]:
    """Run the app's lifespan around an in-process emulator seeded with `dataset`."""
    emulator = Emulator(EmulatorConfig(dataset=dataset))
    replay = ReplayTransport(httpx.ASGITransport(app=emulator.app))
    settings = Settings(
        api_token=Secret("bench-token"), base_url="http://emulator", batching=batching
    )
    app = create_app(settings, upstream_transport=replay, upstream_base_url="http://emulator")
    async with app.router.lifespan_context(app):
        yield InProcessServer(app, replay)


async def asgi_post(app: Starlette, body: bytes, path: str = "/graphql") -> tuple[int, bytes]:
    """Call an ASGI app directly with one POST; return (status, body)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"bench"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    delivered = False
    chunks: list[bytes] = []
    status = 0

    async def receive() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # no disconnect while the response is produced
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)
