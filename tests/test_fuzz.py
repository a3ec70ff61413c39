"""Property-based fuzzing over the server's own schema (hypothesis-graphql).

Any generated query or mutation must get an answer without HTTP 5xx, every error must carry a
code from the contract, and no credential may appear in a response. `make fuzz` runs more
examples (FUZZ_EXAMPLES).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, queries
from starlette.applications import Starlette

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.errors import ErrorCode
from pipedrive_graphql.schema import build_schema
from tests.conftest import TEST_TOKEN, UPSTREAM_URL, make_settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))
CODES = {code.value for code in ErrorCode}
SDL = str(build_schema())


@dataclass
class Harness:
    """One event loop, one emulator and one running app shared by every example."""

    loop: asyncio.AbstractEventLoop
    app: Starlette
    client: httpx.AsyncClient
    emulator: Emulator

    def post(self, query: str) -> httpx.Response:
        """Send one GraphQL document and wait for the answer."""
        return self.loop.run_until_complete(self.client.post("/graphql", json={"query": query}))


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    """A strict emulator behind the app, with tight limits so examples stay cheap."""
    loop = asyncio.new_event_loop()
    emulator = Emulator(EmulatorConfig(dataset="demo", strict=True))
    app = create_app(
        make_settings(max_upstream_calls=30, max_pipedrive_tokens=300, request_deadline=10),
        upstream_transport=httpx.ASGITransport(app=emulator.app),
        upstream_base_url=UPSTREAM_URL,
    )
    lifespan = app.router.lifespan_context(app)
    loop.run_until_complete(lifespan.__aenter__())
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://fuzz")
    try:
        yield Harness(loop, app, client, emulator)
    finally:
        loop.run_until_complete(client.aclose())
        loop.run_until_complete(lifespan.__aexit__(None, None, None))
        loop.close()


documents = st.one_of(queries(SDL), mutations(SDL))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(document=documents)
def test_any_operation_is_answered_with_contract_codes(harness: Harness, document: str) -> None:
    response = harness.post(document)
    assert response.status_code < 500, response.text
    body = response.json()
    for error in body.get("errors", []):
        assert error["extensions"]["code"] in CODES, error
    assert TEST_TOKEN not in response.text
