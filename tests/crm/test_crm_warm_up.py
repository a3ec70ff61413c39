"""Filtered linked lists still start with their level's to-one links (one round, not two)."""

from __future__ import annotations

import asyncio

import httpx

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from tests.conftest import UPSTREAM_URL, make_settings

from .crm_support import carries


class _HoldOrganizations(httpx.AsyncBaseTransport):
    """Holds the organizations call until the level's deal and activity lists have been sent."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.seen: list[httpx.Request] = []
        self.lists_sent = asyncio.Event()
        self.released_by_lists: bool | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        if {"/api/v2/deals", "/api/v2/activities"} <= {r.url.path for r in self.seen}:
            self.lists_sent.set()
        if request.url.path == "/api/v2/organizations":
            try:  # generous: only a failing run waits this long
                await asyncio.wait_for(self.lists_sent.wait(), timeout=5)
                self.released_by_lists = True
            except TimeoutError:
                self.released_by_lists = False
        return await self.inner.handle_async_request(request)


async def test_filtered_lists_of_a_level_start_with_its_to_one_links() -> None:
    upstream = Emulator(EmulatorConfig(dataset="target", strict=True))
    transport = _HoldOrganizations(httpx.ASGITransport(app=upstream.app))
    app = create_app(make_settings(), upstream_transport=transport, upstream_base_url=UPSTREAM_URL)
    query = """{ persons(limit: 50) { results { id organization { name }
        deals(status: "open", ownerId: 2, sortBy: update_time, sortDirection: desc)
          { results { id } }
        activities(done: false, updatedSince: "2020-01-01T00:00:00Z", sortBy: due_date)
          { results { id } } } } }"""
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client,
    ):
        response = await client.post("/graphql", json={"query": query})
    body = response.json()
    assert "errors" not in body
    persons = body["data"]["persons"]["results"]
    assert any(p["deals"]["results"] for p in persons)
    assert any(p["activities"]["results"] for p in persons)
    assert transport.released_by_lists is True
    # one call per list (the warm-up's answer is the resolver's), each with its filters
    paths = sorted(r.url.path for r in transport.seen)
    assert paths == ["/api/v2/activities", "/api/v2/deals", "/api/v2/organizations",
                     "/api/v2/persons"]  # fmt: skip
    by_path = {r.url.path: dict(r.url.params) for r in transport.seen}
    assert carries(
        by_path["/api/v2/deals"],
        {"status": "open", "owner_id": "2", "sort_by": "update_time", "sort_direction": "desc"},
    )
    assert carries(
        by_path["/api/v2/activities"],
        {"done": "false", "updated_since": "2020-01-01T00:00:00Z", "sort_by": "due_date"},
    )
