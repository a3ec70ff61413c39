"""Shared fixtures: the server app wired to an in-process, strict emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.settings import Secret, Settings
from tests.redis_server import RedisServer, redis_binary

TEST_TOKEN = "test-server-token-0123456789"
UPSTREAM_URL = "http://pipedrive.test"


@dataclass(frozen=True)
class GraphQLResult:
    """What the server answered: HTTP status and the decoded GraphQL response."""

    status: int
    data: Any
    errors: list[dict[str, Any]]
    extensions: dict[str, Any]

    def codes(self) -> list[str]:
        """The `extensions.code` of each error, in order."""
        return [str(error.get("extensions", {}).get("code")) for error in self.errors]


GraphQLCall = Callable[..., Awaitable[GraphQLResult]]


def make_settings(**overrides: Any) -> Settings:
    """Settings for tests: a server token, the emulator as upstream."""
    base: dict[str, Any] = {"api_token": Secret(TEST_TOKEN), "base_url": UPSTREAM_URL}
    base.update(overrides)
    return Settings(**base)


@pytest.fixture
def upstream() -> Emulator:
    """A strict emulator on the demo dataset: any request the spec forbids answers 400."""
    return Emulator(EmulatorConfig(dataset="demo", strict=True))


@pytest.fixture
def settings() -> Settings:
    """The default test settings; override the fixture in a module to change them."""
    return make_settings()


@pytest.fixture
async def app(upstream: Emulator, settings: Settings) -> AsyncIterator[Starlette]:
    """The server app with its lifespan running, talking to `upstream` in process."""
    application = create_app(
        settings,
        upstream_transport=httpx.ASGITransport(app=upstream.app),
        upstream_base_url=UPSTREAM_URL,
    )
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client for the server app."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://server.test") as client:
        yield client


@pytest.fixture
def gql(http: httpx.AsyncClient, upstream: Emulator) -> GraphQLCall:
    """Run a GraphQL operation over HTTP; the emulator's log starts empty for each call."""

    async def call(
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        headers: dict[str, str] | None = None,
        keep_log: bool = False,
    ) -> GraphQLResult:
        if not keep_log:
            upstream.log.clear()
        # The spec's own response type: a request that cannot execute answers 400, not 200.
        accept = {"accept": "application/graphql-response+json"}
        response = await http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={**accept, **(headers or {})},
        )
        body: dict[str, Any] = response.json()
        return GraphQLResult(
            status=response.status_code,
            data=body.get("data"),
            errors=body.get("errors", []),
            extensions=body.get("extensions", {}),
        )

    return call


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One real redis-server for the whole session (see tests/redis_server.py)."""
    server = RedisServer(redis_binary())
    server.start()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of a running, empty Redis (restarted if a test killed it)."""
    if not redis_server.running:
        redis_server.start()
    redis_server.flush()
    return redis_server.url
