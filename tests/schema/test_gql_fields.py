"""Each field declares its price and link once; the declarations are what the server runs.

A field with a resolver and no price is refused when the schema is built; a declared link gets
the direct resolver and is prefetched; plain attributes are read straight off the records.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import strawberry
from graphql import GraphQLObjectType, GraphQLSchema, get_named_type

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.execution import (
    AttributeRead,
    LinkRead,
    PlainFieldExecutor,
    UnsupportedExtensionError,
    install,
    link_of,
)
from pipedrive_graphql.pricing import FREE, price_of, unpriced_fields
from pipedrive_graphql.schema import UnpricedFieldError, build_schema, check_prices
from pipedrive_graphql.schema.fields import resolved
from tests.conftest import UPSTREAM_URL, make_settings
from tests.schema.executing import execute_with


def _object_types(schema: GraphQLSchema) -> list[GraphQLObjectType]:
    return [
        t
        for name, t in schema.type_map.items()
        if isinstance(t, GraphQLObjectType) and not name.startswith("__")
    ]


def test_every_field_with_a_resolver_is_priced() -> None:
    schema = build_schema()._schema
    assert unpriced_fields(schema) == []
    priced = {
        f"{t.name}.{name}"
        for t in _object_types(schema)
        for name, f in t.fields.items()
        if price_of(f) is not None
    }
    assert {"Query.deals", "Deal.person", "Person.deals", "Mutation.createNote"} <= priced
    assert len(priced) > 60


def test_a_field_with_a_resolver_and_no_price_is_refused() -> None:
    def shout() -> str:
        return "!"

    @strawberry.type
    class Query:
        priced: str = resolved(shout, FREE, "Declared with its price.")

        @strawberry.field
        def unpriced(self) -> str:
            return "?"

    schema = strawberry.Schema(query=Query)
    assert unpriced_fields(schema._schema) == ["Query.unpriced"]
    with pytest.raises(UnpricedFieldError, match=r"Query\.unpriced"):
        check_prices(schema)


def test_schema_extensions_the_endpoint_would_not_run_are_refused() -> None:
    from strawberry.extensions import SchemaExtension

    class Tracing(SchemaExtension):
        def on_execute(self) -> Any:
            yield

    @strawberry.type
    class Query:
        hello: str = "world"

    with pytest.raises(UnsupportedExtensionError, match="Tracing"):
        install(strawberry.Schema(query=Query, extensions=[Tracing]))


def test_declared_links_get_the_direct_resolver_and_plain_fields_a_getattr() -> None:
    schema = build_schema()._schema
    links = {
        f"{t.name}.{name}": f
        for t in _object_types(schema)
        for name, f in t.fields.items()
        if link_of(f) is not None
    }
    # every to-one link of the seed schema (18: MailMessage.deal and .organization go through the
    # message's thread, so they have resolvers), CustomFieldValue.user/person/organization and
    # ActivityParticipant.person
    assert len(links) == 22
    for name, field in links.items():
        assert isinstance(field.resolve, LinkRead), name
        assert isinstance(get_named_type(field.type), GraphQLObjectType), name
    deal = schema.type_map["Deal"]
    assert isinstance(deal, GraphQLObjectType)
    assert isinstance(deal.fields["title"].resolve, AttributeRead)
    assert not isinstance(deal.fields["notes"].resolve, AttributeRead | LinkRead)  # arguments


class _CountingExecutor(PlainFieldExecutor):
    """Counts the fields that took graphql-core's own path, and awaited link values."""

    slow: list[str] = []  # noqa: RUF012 - reset per test
    awaited: list[str] = []  # noqa: RUF012 - reset per test

    def execute_field(self, parent_type: Any, source: Any, details: Any, *rest: Any) -> Any:
        type(self).slow.append(f"{parent_type.name}.{details[0].node.name.value}")
        return super().execute_field(parent_type, source, details, *rest)

    def complete_awaitable_value(self, return_type: Any, details: Any, *rest: Any) -> Any:
        type(self).awaited.append(details[0].node.name.value)
        return super().complete_awaitable_value(return_type, details, *rest)


async def _execute(
    query: str, upstream: Emulator, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    _CountingExecutor.slow = []
    _CountingExecutor.awaited = []
    app = create_app(
        make_settings(),
        upstream_transport=httpx.ASGITransport(app=upstream.app),
        upstream_base_url=UPSTREAM_URL,
    )
    async with app.router.lifespan_context(app):
        data, _ = await execute_with(app, query, _CountingExecutor, variables)
    return data


async def test_plain_and_prefetched_fields_take_the_short_path() -> None:
    upstream = Emulator(EmulatorConfig(dataset="demo", strict=True))
    query = """{ deals(limit: 40) { results { id title value
        person { id name organization { id name } } stage { name } owner { name } } } }"""
    data = await _execute(query, upstream)
    deals = data["deals"]["results"]
    assert len(deals) == 40
    assert any(d["person"] and d["person"]["organization"] for d in deals)
    # only the root field went through graphql-core's per-field path: the page's list, 40
    # deals x (3 scalars + 3 links) and every linked object's scalars took the short one
    assert _CountingExecutor.slow == ["Query.deals"]
    assert _CountingExecutor.awaited == ["deals"]  # every link was prefetched: none awaited
    persons = upstream.log.count(path_prefix="/api/v2/persons")
    organizations = upstream.log.count(path_prefix="/api/v2/organizations")
    assert (persons, organizations) == (1, 1)  # one `ids=` batch per level


async def test_a_warmed_to_many_field_takes_the_short_path() -> None:
    upstream = Emulator(EmulatorConfig(dataset="demo", strict=True))
    data = await _execute(
        """{ persons(limit: 10) { results { name organization { name }
        deals(limit: 3) { results { id stage { name } person { id } } hasMore } } } }""",
        upstream,
    )
    persons = data["persons"]["results"]
    with_deals = [p for p in persons if p["deals"]["results"]]
    assert with_deals
    assert all(d["stage"] and d["person"] for p in with_deals for d in p["deals"]["results"])
    # the persons' deal lists were started by the persons' prefetch and the links under them
    # loaded for all ten lists at once: no person's `deals` went through its resolver, and
    # nothing under it was awaited
    assert _CountingExecutor.awaited == ["persons"]
    assert _CountingExecutor.slow == ["Query.persons"]
    # one call per collection: the deals of the ten persons in one scan, their stages and
    # persons each in one batch (persons: the page itself primes them)
    assert upstream.log.count(path_prefix="/api/v2/deals") == 1
    assert upstream.log.count(path_prefix="/api/v2/persons") == 1
    assert upstream.log.count(path_prefix="/api/v2/stages") == 1


async def test_a_to_many_field_with_enum_and_variable_arguments_takes_the_short_path() -> None:
    upstream = Emulator(EmulatorConfig(dataset="demo", strict=True))
    data = await _execute(
        """query ($limit: Int) { persons(limit: 10) { results { id
        deals(limit: $limit, sortBy: id, sortDirection: desc) { results { id personId } } } } }""",
        upstream,
        {"limit": 2},
    )
    persons = data["persons"]["results"]
    assert any(p["deals"]["results"] for p in persons)
    for person in persons:
        ids = [d["id"] for d in person["deals"]["results"]]
        assert ids == sorted(ids, reverse=True)
        assert len(ids) <= 2
        assert all(d["personId"] == person["id"] for d in person["deals"]["results"])
    # the warm-up was keyed with the enum members and the variable's value the resolver gets
    assert _CountingExecutor.slow == ["Query.persons"]
    assert _CountingExecutor.awaited == ["persons"]


async def test_a_to_many_field_not_warmed_goes_through_its_resolver() -> None:
    # `stages` is a plain list, not prefetched: the deals of each stage are not warmed, so
    # each stage's `deals` takes its resolver (and graphql-core's path), with the same answer
    upstream = Emulator(EmulatorConfig(dataset="demo", strict=True))
    data = await _execute(
        "{ pipelines { results { stages { id deals(limit: 2) { results { id stageId } } } } } }",
        upstream,
    )
    stages = [s for p in data["pipelines"]["results"] for s in p["stages"]]
    assert any(s["deals"]["results"] for s in stages)
    for stage in stages:
        assert all(d["stageId"] == stage["id"] for d in stage["deals"]["results"])
    assert _CountingExecutor.slow.count("Stage.deals") == len(stages)
    assert _CountingExecutor.awaited.count("deals") == len(stages)


class _HoldOrganizations(httpx.AsyncBaseTransport):
    """Holds the organizations call until the level's deal and activity calls have been sent."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.seen: list[str] = []
        self.lists_sent = asyncio.Event()
        self.released_by_lists: bool | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.seen.append(path)
        if {"/api/v2/deals", "/api/v2/activities"} <= set(self.seen):
            self.lists_sent.set()
        if path == "/api/v2/organizations":
            try:  # generous: only a failing run waits this long
                await asyncio.wait_for(self.lists_sent.wait(), timeout=5)
                self.released_by_lists = True
            except TimeoutError:
                self.released_by_lists = False
        return await self.inner.handle_async_request(request)


async def test_a_levels_lists_start_with_its_to_one_links() -> None:
    upstream = Emulator(EmulatorConfig(dataset="target", strict=True))
    transport = _HoldOrganizations(httpx.ASGITransport(app=upstream.app))
    app = create_app(make_settings(), upstream_transport=transport, upstream_base_url=UPSTREAM_URL)
    query = """{ persons(limit: 50) { results { id organization { name }
        deals(limit: 10) { results { id } } activities(limit: 10) { results { id } } } } }"""
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
    # the deal and activity lists of the 50 persons went out while the organizations were
    # still loading: one round after the persons, not two
    assert transport.released_by_lists is True
    assert sorted(transport.seen) == [
        "/api/v2/activities",
        "/api/v2/deals",
        "/api/v2/organizations",
        "/api/v2/persons",
    ]
