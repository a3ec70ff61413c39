"""The cost estimate bounds what any generated operation really costs upstream.

Queries and mutations are generated from the schema (hypothesis-graphql), their ids replaced by
ids the dataset holds, their search terms by terms that hit and their pages kept small, so links
and the hydration of search hits really resolve; each runs against the emulator with the
server's cross-request memory emptied, and the requests and tokens the emulator logged must not
exceed `extensions.cost.estimate`.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from graphql import ArgumentNode, IntValueNode, StringValueNode, parse, print_ast, visit
from graphql.language import Visitor
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, queries
from starlette.applications import Starlette

from pipedrive_graphql.app import create_app
from pipedrive_graphql.datasources.state.memory import UpstreamMemory
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.schema import build_schema
from tests.conftest import UPSTREAM_URL, make_settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
SDL = str(build_schema())
ID_TABLES = {
    "personId": "persons",
    "dealId": "deals",
    "orgId": "organizations",
    "organizationId": "organizations",
    "noteId": "notes",
    "pipelineId": "pipelines",
    "stageId": "stages",
    "userId": "users",
    "ownerId": "users",
    "mailMessageId": "mail_messages",
    "activityId": "activities",
}

REFERENCE_LIST_READS = [
    ("GET", "/api/v1/users"),
    ("GET", "/api/v2/stages"),
    ("GET", "/api/v2/pipelines"),
]

# Search terms that hit in the demo dataset (a generated term would hit nothing, and the hits'
# hydration would never be priced): many organizations, a few deals, persons by name and email.
HITTING_TERMS = ["Inc", "#15", "Corp", "Acme", "Smith", "example", "Deal", "an"]


@dataclass
class Harness:
    """One loop, one emulator and one app shared by every example."""

    loop: asyncio.AbstractEventLoop
    app: Starlette
    client: httpx.AsyncClient
    emulator: Emulator

    def post(self, query: str) -> httpx.Response:
        """Run one document from a cold server memory and the seeded dataset, log emptied."""
        self.app.state.runtime.memory = UpstreamMemory()
        self.emulator.log.clear()
        try:
            return self.loop.run_until_complete(self.client.post("/graphql", json={"query": query}))
        finally:
            self.emulator.store.reset()

    def ids(self, table: str) -> list[int]:
        """Ids of the seeded dataset (writes are undone after each example)."""
        return sorted(record["id"] for record in self.emulator.store.all(table))


@pytest.fixture(scope="module")
def harness() -> Iterator[Harness]:
    """The app at its default limits in front of a strict emulator."""
    loop = asyncio.new_event_loop()
    emulator = Emulator(EmulatorConfig(dataset="demo", strict=True))
    app = create_app(
        make_settings(request_deadline=10),
        upstream_transport=httpx.ASGITransport(app=emulator.app),
        upstream_base_url=UPSTREAM_URL,
    )
    lifespan = app.router.lifespan_context(app)
    loop.run_until_complete(lifespan.__aenter__())
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://cost")
    try:
        yield Harness(loop, app, client, emulator)
    finally:
        loop.run_until_complete(client.aclose())
        loop.run_until_complete(lifespan.__aexit__(None, None, None))
        loop.close()


class _RealArguments(Visitor):
    """Ids the dataset holds, small pages: generated integers would mostly hit nothing."""

    def __init__(self, data: st.DataObject, harness: Harness) -> None:
        super().__init__()
        self.data = data
        self.harness = harness

    def enter_argument(self, node: ArgumentNode, *_: object) -> ArgumentNode | None:
        name = node.name.value
        if name == "term" and isinstance(node.value, StringValueNode):
            term = self.data.draw(st.sampled_from(HITTING_TERMS), label=name)
            return ArgumentNode(name=node.name, value=StringValueNode(value=term))
        if not isinstance(node.value, IntValueNode):
            return None
        table = ID_TABLES.get(name)
        if table is not None:
            ids = self.harness.ids(table)
            value = self.data.draw(st.sampled_from(ids), label=name) if ids else 1
        elif name == "limit":
            value = self.data.draw(st.integers(1, 60), label=name)
        elif name == "start":
            value = self.data.draw(st.integers(0, 30), label=name)
        else:
            return None
        return ArgumentNode(name=node.name, value=IntValueNode(value=str(value)))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
@given(data=st.data())
def test_estimate_is_an_upper_bound_of_the_upstream_cost(
    harness: Harness, data: st.DataObject
) -> None:
    generated = data.draw(st.one_of(queries(SDL), mutations(SDL)), label="document")
    assert isinstance(generated, str)
    document = print_ast(visit(parse(generated), _RealArguments(data, harness)))
    response = harness.post(document)
    body = response.json()
    estimate = body.get("extensions", {}).get("cost", {}).get("estimate")
    if estimate is None:
        # refused before any upstream call, but for what it read to price the operation
        # (`admission.estimate_for_context`): reference lists of unknown length, once each,
        # and collections a level's scan would read, in scan pages (none here: each of the
        # demo's collections fits one page, which makes the operation fit the limits)
        entries = harness.emulator.log.entries
        reads = [(e.method, e.path) for e in entries]
        assert set(reads) <= set(REFERENCE_LIST_READS), reads
        assert len(reads) == len(set(reads)), reads
        return
    entries = harness.emulator.log.entries
    assert len(entries) <= estimate["upstreamCalls"], (document, [e.path for e in entries])
    assert harness.emulator.log.total_tokens() <= estimate["pipedriveTokens"], document


# Under-estimates the generated queries found, kept as fixed cases (real calls / estimate before)
FOUND = [
    # a to-one link over a few parents: single GETs instead of one ids= call (3 / 2)
    "{ notes(limit: 5) { results { deal { id } } } }",
    # a mail message's deal and organization: the thread, then each record (4 / 3)
    "{ mailMessage(mailMessageId: 1) { deal { id } organization { id } } }",
    # a pipeline by single GET, then the whole list for weightedValue (5 / 4)
    "{ note(noteId: 1) { deal { weightedValue pipeline { name } } } }",
    # the person is read before their activities are listed (2 / 1)
    "{ personActivities(personId: 1, limit: 1) { nextStart } }",
    # with email, the person is read before the update (2 / 1)
    'mutation { updatePerson(personId: 1, email: "a@example.com") { id } }',
    # search hits read by single GETs, which the estimate left out (9 / 2, 6 / 2)
    '{ searchOrganizations(term: "Inc", limit: 50) { results { id } } }',
    '{ searchDeals(term: "#15") { results { id } } }',
]


@pytest.mark.parametrize("document", FOUND)
def test_estimate_bounds_the_cases_found(harness: Harness, document: str) -> None:
    body = harness.post(document).json()
    assert "errors" not in body, body
    estimate = body["extensions"]["cost"]["estimate"]
    assert 1 < len(harness.emulator.log.entries) <= estimate["upstreamCalls"]
    assert harness.emulator.log.total_tokens() <= estimate["pipedriveTokens"]
