"""A bad afternoon at Pipedrive, one fault after another, against one server and one emulator.

Each fault is applied for one credential and one endpoint, answered, cleared, and followed by a
query of another endpoint with another credential that must succeed: no fault may leave the
server refusing what still works (no waiting for cool-downs between them). Writes follow: each
applied exactly once or not at all, and the answer says which.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
import pytest

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator, EmulatorConfig, FaultRule
from pipedrive_graphql.emulator.faults import FaultKind
from tests.conftest import UPSTREAM_URL, make_settings

PERSON = "{ person(personId: 12345) { id name } }"
PERSON_AND_DEALS = "{ person(personId: 12345) { id name } deals(limit: 2) { results { id } } }"
ORGANIZATION = "{ organization(orgId: 67890) { id name } }"
CREATE_DEAL = 'mutation { createDeal(title: "Sequence deal") { id title } }'
UPDATE_DEAL = 'mutation { updateDeal(dealId: 54321, title: "Sequence title") { id title } }'
CREATE_NOTE = 'mutation { createNote(content: "Sequence note", dealId: 54321) { id content } }'
PERSONS = "/api/v2/persons"


@dataclass(frozen=True)
class Fault:
    """One fault: the rule, the query it breaks, and what the answer must be."""

    kind: FaultKind
    times: int | None  # None: every call while it is armed
    code: str | None  # the error code of the faulted field; None: the data came through
    attempts: int  # calls that reached the faulted path
    query: str = PERSON
    path: str = PERSONS


READ_FAULTS = [
    Fault("burst_429", 1, None, 2),
    Fault("daily_429", None, "RATE_LIMITED", 1),
    Fault("http_500", 1, None, 2),
    Fault("http_503", None, "UPSTREAM_UNAVAILABLE", 4),
    Fault("hang", None, "UPSTREAM_UNAVAILABLE", 2),
    Fault("reset", 1, None, 2),
    Fault("malformed_json", 1, None, 2),
    Fault("html_403", None, "FORBIDDEN", 1),
    Fault("http_502", None, "UPSTREAM_UNAVAILABLE", 4, PERSON_AND_DEALS),  # partial failure
]


@dataclass
class Afternoon:
    """The server, its emulator and a fresh credential per step."""

    http: httpx.AsyncClient
    emu: Emulator
    tokens: itertools.count[int]

    def token(self) -> str:
        return f"sequence-tenant-{next(self.tokens)}"

    async def ask(self, query: str, token: str) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql", json={"query": query}, headers={"x-pipedrive-api-token": token}
        )
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = orjson.loads(response.content)
        return answer

    def sent(self, method: str, prefix: str) -> int:
        return sum(
            1 for e in self.emu.log.entries if e.method == method and e.path.startswith(prefix)
        )

    async def still_fine(self) -> None:
        """Another endpoint, another credential: answered from Pipedrive, no error."""
        before = self.sent("GET", "/api/v2/organizations")
        answer = await self.ask(ORGANIZATION, self.token())
        assert answer.get("errors") is None, answer
        assert answer["data"]["organization"]["id"] == 67890
        assert self.sent("GET", "/api/v2/organizations") == before + 1


@pytest.fixture
async def afternoon() -> AsyncIterator[Afternoon]:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    # attempts end after 1 s, requests after 3 s: a hang costs two attempts, not a minute
    settings = make_settings(request_deadline=3.0, connect_timeout=0.2, read_timeout=0.8)
    app = create_app(
        settings,
        upstream_transport=httpx.ASGITransport(app=emu.app),
        upstream_base_url=UPSTREAM_URL,
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://server.test") as http:
            yield Afternoon(http, emu, itertools.count(1))


async def test_faults_one_after_another_leave_everything_else_working(afternoon: Afternoon) -> None:
    a = afternoon
    for fault in READ_FAULTS:
        a.emu.faults.add(FaultRule(fault.path, fault.kind, method="GET", times=fault.times))
        before = a.sent("GET", fault.path)
        token = a.token()
        answer = await a.ask(fault.query, token)
        a.emu.faults.clear()
        assert a.sent("GET", fault.path) - before == fault.attempts, fault.kind
        if fault.code is None:
            assert answer.get("errors") is None, (fault.kind, answer)
            assert answer["data"]["person"] == {"id": 12345, "name": "John Doe"}
        else:
            [error] = answer["errors"]
            assert (error["path"], error["extensions"]["code"]) == (["person"], fault.code)
            assert answer["data"]["person"] is None
        if fault.query == PERSON_AND_DEALS:  # the part that did not fail is in the answer
            assert len(answer["data"]["deals"]["results"]) == 2
        await a.still_fine()
    # a persistent 5xx for long enough opens the breaker: for that tenant's persons reads only
    token = a.token()
    a.emu.faults.add(FaultRule(PERSONS, "http_503", method="GET"))
    for _ in range(5):
        await a.ask(PERSON, token)
    refused = await a.ask(PERSON, token)
    a.emu.faults.clear()
    assert "circuit open" in refused["errors"][0]["message"]
    assert a.sent("GET", PERSONS) == sum(f.attempts for f in READ_FAULTS) + 5 * 4
    same_tenant_elsewhere = await a.ask(ORGANIZATION, token)
    assert same_tenant_elsewhere["data"]["organization"]["id"] == 67890
    other_tenant = await a.ask(PERSON, a.token())
    assert other_tenant["data"]["person"]["id"] == 12345
    await a.still_fine()


async def test_writes_in_the_sequence_are_applied_once_or_not_at_all(afternoon: Afternoon) -> None:
    a = afternoon
    writes: list[tuple[str, str]] = []
    a.emu.store.subscribe(lambda action, entity, *_: writes.append((entity, action)))

    a.emu.faults.add(FaultRule("/api/v2/deals", "http_500", method="POST", times=1))
    answer = await a.ask(CREATE_DEAL, a.token())
    a.emu.faults.clear()
    assert answer["errors"][0]["extensions"] == {
        "code": "UPSTREAM_UNAVAILABLE",
        "writeOutcome": "unknown",
    }
    assert a.sent("POST", "/api/v2/deals") == 1  # a 5xx write is never retried
    assert writes == []
    await a.still_fine()

    a.emu.faults.add(
        FaultRule("/api/v2/deals/54321", "reset", method="PATCH", times=1, after_apply=True)
    )
    answer = await a.ask(UPDATE_DEAL, a.token())
    a.emu.faults.clear()
    assert answer["errors"][0]["extensions"]["writeOutcome"] == "unknown"
    assert a.sent("PATCH", "/api/v2/deals/54321") == 1
    assert writes == [("deal", "change")]  # applied once; the lost answer was not retried
    deal = a.emu.store.get("deals", 54321)
    assert deal is not None
    assert deal["title"] == "Sequence title"
    await a.still_fine()

    a.emu.faults.add(FaultRule("/api/v1/notes", "burst_429", method="POST", times=1))
    answer = await a.ask(CREATE_NOTE, a.token())
    a.emu.faults.clear()
    assert answer.get("errors") is None, answer
    assert answer["data"]["createNote"]["content"] == "Sequence note"
    assert a.sent("POST", "/api/v1/notes") == 2  # refused before applying, then retried
    assert writes == [("deal", "change"), ("note", "create")]
    await a.still_fine()
