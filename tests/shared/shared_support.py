"""Helpers for shared-state tests: replicas (apps or guards) sharing one real Redis."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from pipedrive_graphql.app import create_app
from pipedrive_graphql.datasources.pipedrive.client import PipedriveClient
from pipedrive_graphql.datasources.resilience.guard import UpstreamGuard
from pipedrive_graphql.datasources.state.redis_link import RedisLink
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.emulator import Emulator
from pipedrive_graphql.runtime import Runtime
from pipedrive_graphql.settings import Secret
from tests.conftest import UPSTREAM_URL, make_settings

TOKEN = "shared-test-token-0123456789abcdef"


@dataclass
class GuardReplica:
    """One replica's guard (with its own Redis link) and an HTTP client to the emulator."""

    guard: UpstreamGuard
    http: httpx.AsyncClient

    def client(self, token: str = TOKEN) -> PipedriveClient:
        """A client for one GraphQL request of this replica."""
        return PipedriveClient(
            self.http, Secret(token), base_url=UPSTREAM_URL, stats=CallStats(), guard=self.guard
        )


# A healthy Redis on a loaded test machine can miss the production bound of 0.5 s and count as
# an outage; tests about that bound set their own.
HEALTHY_REDIS_TIMEOUT = 3.0


@asynccontextmanager
async def guard_replicas(
    emu: Emulator, redis_url: str | None, count: int = 2, **guard_args: Any
) -> AsyncIterator[list[GuardReplica]]:
    """`count` guards, each with its own Redis connection (none when `redis_url` is None)."""
    async with AsyncExitStack() as stack:
        replicas = []
        for _ in range(count):
            link = RedisLink(redis_url, timeout=HEALTHY_REDIS_TIMEOUT) if redis_url else None
            if link is not None:
                stack.push_async_callback(link.close)
            http = await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=emu.app))
            )
            replicas.append(GuardReplica(UpstreamGuard(link=link, **guard_args), http))
        yield replicas


@dataclass
class AppReplica:
    """One server replica (its own app, runtime and Redis link) and a client to it."""

    http: httpx.AsyncClient
    runtime: Runtime

    async def gql(self, query: str | None, **body: Any) -> dict[str, Any]:
        """POST a GraphQL request (no `query` key when None: a persisted query); the body."""
        payload = {"query": query, **body} if query is not None else body
        response = await self.http.post("/graphql", json=payload)
        result: dict[str, Any] = response.json()
        if self.runtime.link is not None:
            # what this request shared is written in the background; the next request of the
            # test may go to another replica at once, sooner than any client could
            await self.runtime.link.drain()
        return result


@asynccontextmanager
async def app_replicas(
    emu: Emulator, redis_url: str | None, count: int = 2, **settings: Any
) -> AsyncIterator[list[AppReplica]]:
    """`count` server apps sharing `emu` (and Redis when `redis_url` is set)."""
    settings.setdefault("redis_timeout", HEALTHY_REDIS_TIMEOUT)
    async with AsyncExitStack() as stack:
        replicas = []
        for _ in range(count):
            app = create_app(
                make_settings(redis_url=Secret(redis_url) if redis_url else None, **settings),
                upstream_transport=httpx.ASGITransport(app=emu.app),
                upstream_base_url=UPSTREAM_URL,
            )
            await stack.enter_async_context(app.router.lifespan_context(app))
            http = await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s")
            )
            replicas.append(AppReplica(http, app.state.runtime))
        yield replicas


async def eventually(check: Callable[[], bool | Awaitable[bool]], seconds: float = 10.0) -> bool:
    """Poll `check` (plain or async) until it holds or `seconds` pass."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while loop.time() < end:
        outcome = check()
        if outcome if isinstance(outcome, bool) else await outcome:
            return True
        await asyncio.sleep(0.01)
    return False


def upstream_paths(emu: Emulator) -> list[str]:
    """Every request path the emulator logged, in order."""
    return [entry.path for entry in emu.log.entries]
