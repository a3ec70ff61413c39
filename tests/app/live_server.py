"""The server app under real uvicorn on a free loopback port, in this test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import httpx
import uvicorn

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator
from pipedrive_graphql.server import server_config
from pipedrive_graphql.settings import Settings
from tests.conftest import UPSTREAM_URL


@contextlib.asynccontextmanager
async def live_server(settings: Settings, upstream: Emulator) -> AsyncIterator[tuple[str, int]]:
    """Yield (host, port) of the app served by uvicorn with the CLI's protocol and limits."""
    app = create_app(
        settings,
        upstream_transport=httpx.ASGITransport(app=upstream.app),
        upstream_base_url=UPSTREAM_URL,
    )
    server = uvicorn.Server(server_config(settings, "127.0.0.1", 0, app))
    serving = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(20):
            while not server.started:
                if serving.done():
                    serving.result()
                await asyncio.sleep(0.01)
        port: int = server.servers[0].sockets[0].getsockname()[1]
        yield "127.0.0.1", port
    finally:
        server.should_exit = True
        await serving
