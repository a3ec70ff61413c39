"""Request deadlines through the server: partial answers, no retry that cannot finish, writes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import orjson

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator, EmulatorConfig, FaultRule
from pipedrive_graphql.settings import Settings
from tests.conftest import make_settings

from .test_res_deadline import served

PERSON_AND_DEALS = """{ person(personId: 12345) { id name }
  deals(limit: 2) { results { id title } } }"""
TWO_DEALS = """mutation { a: createDeal(title: "Deadline A") { title }
  b: createDeal(title: "Deadline B") { title } }"""


@asynccontextmanager
async def server(
    settings: Settings, transport: httpx.AsyncBaseTransport | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """The server app (lifespan running) and an HTTP client for it."""
    app = create_app(settings, upstream_transport=transport, upstream_base_url=settings.base_url)
    async with app.router.lifespan_context(app):
        to_app = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=to_app, base_url="http://server.test") as http:
            yield http


async def post(http: httpx.AsyncClient, query: str) -> tuple[dict[str, Any], float]:
    """The decoded answer and how long it took."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    response = await http.post("/graphql", json={"query": query})
    return orjson.loads(response.content), loop.time() - started


def test_the_defaults_fit_a_user_facing_gateway() -> None:
    settings = Settings.from_env({})
    assert settings.request_deadline == 10.0
    assert settings.connect_timeout + settings.read_timeout == 8.0  # one attempt at most
    assert settings.retry_min_time == 1.0
    tuned = Settings.from_env({"BREAKER_MIN_CALLS": "20", "RETRY_MIN_TIME": "0.5"})
    assert (tuned.breaker_min_calls, tuned.retry_min_time) == (20, 0.5)


async def test_the_deadline_answers_with_what_resolved_so_far() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    emu.faults.add(FaultRule("/api/v2/persons", "hang", method="GET"))
    settings = make_settings(request_deadline=1.0, read_timeout=5.0)
    async with server(settings, httpx.ASGITransport(app=emu.app)) as http:
        body, elapsed = await post(http, PERSON_AND_DEALS)
    assert body["data"]["person"] is None
    deals = body["data"]["deals"]["results"]
    assert [d["id"] for d in deals] == [d["id"] for d in list(emu.store.all("deals"))[:2]]
    [error] = body["errors"]
    assert error["path"] == ["person"]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["message"] == "the request deadline passed before Pipedrive answered"
    # the hang never ends: any answer before the 5 s read timeout was cut by the deadline
    # (a margin a loaded 2-core machine cannot eat)
    assert elapsed < 4.0
    assert sum(1 for e in emu.log.entries if e.path.startswith("/api/v2/persons")) == 1


async def test_a_retry_that_cannot_finish_before_the_deadline_is_not_started() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    emu.faults.add(FaultRule("/api/v2/persons", "hang", method="GET"))
    # attempts end after 0.7 s; the deadline leaves 1.9 s: one retry fits, a second does not
    settings = make_settings(request_deadline=2.0, connect_timeout=0.1, read_timeout=0.6)
    async with server(settings, httpx.ASGITransport(app=emu.app)) as http:
        body, elapsed = await post(http, PERSON_AND_DEALS)
    assert body["data"]["person"] is None
    assert len(body["data"]["deals"]["results"]) == 2
    assert body["errors"][0]["message"] == "Pipedrive did not answer in time"
    assert sum(1 for e in emu.log.entries if e.path.startswith("/api/v2/persons")) == 2
    assert elapsed < 4.0  # generous: the call count above shows no second retry started


async def test_a_write_cut_by_the_deadline_after_it_was_sent_says_its_outcome_is_unknown() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True, latency_ms=1500))
    before = emu.store.count("deals")
    async with served(emu) as url:
        settings = make_settings(base_url=url, request_deadline=2.0)
        async with server(settings) as http:
            body, _ = await post(http, TWO_DEALS)
            await asyncio.sleep(1.5)  # Pipedrive finishes what it was sent
    assert body["data"] == {"a": {"title": "Deadline A"}, "b": None}  # a's write stays visible
    [error] = body["errors"]
    assert error["path"] == ["b"]
    assert error["extensions"] == {"code": "UPSTREAM_UNAVAILABLE", "writeOutcome": "unknown"}
    posts = [e for e in emu.log.entries if e.method == "POST" and e.path == "/api/v2/deals"]
    assert len(posts) == 2  # sent once each: the cut write is not retried
    assert emu.store.count("deals") == before + 2
