"""Redis killed mid-run: no GraphQL error, the outage is visible, and Redis is used again."""

from __future__ import annotations

import asyncio
import logging

import pytest

from pipedrive_graphql.apq import sha256_hex
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from tests.redis_server import RedisServer

from .shared_support import AppReplica, app_replicas, eventually

QUERIES = (
    "{ deals(limit: 20) { results { id stage { name } owner { name } } } }",
    "{ deals(start: 30, limit: 10) { results { id } } }",
    "{ pipelines { results { id name } } }",
)


async def _ready(replica: AppReplica) -> dict[str, object]:
    response = await replica.http.get("/readyz")
    body: dict[str, object] = response.json()
    return body


async def _all_answer(replicas: list[AppReplica]) -> None:
    answers = await asyncio.gather(*(r.gql(q) for r in replicas for q in QUERIES))
    assert [a.get("errors") for a in answers] == [None] * len(answers)
    assert all(a["data"] for a in answers)


def _lines(caplog: pytest.LogCaptureFixture, text: str) -> int:
    return sum(text in record.getMessage() for record in caplog.records)


async def test_redis_killed_mid_run(
    redis_url: str, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True, rate_limit="growth"))
    query = "{ stages { results { id } } }"
    ref = {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(query)}}
    async with app_replicas(emu, redis_url, count=2) as (first, second):
        await _all_answer([first, second])
        assert (await _ready(first))["redis"] == {"connected": True, "outages": 0, "failedCalls": 0}
        caplog.set_level(logging.WARNING, logger="pipedrive_graphql")
        redis_server.stop()
        for _ in range(3):
            await _all_answer([first, second])
        registered = await first.gql(query, extensions=ref)  # APQ works on one replica
        assert registered.get("errors") is None
        assert _lines(caplog, "Redis unavailable") == 2  # once per replica, not once per call
        state = (await _ready(first))["redis"]
        assert isinstance(state, dict)
        assert (state["connected"], state["outages"]) == (False, 1)
        metrics = (await first.http.get("/metrics")).text
        assert "pipedrive_graphql_redis_connected 0.0" in metrics
        assert [entry.status for entry in emu.log.entries].count(429) == 0

        redis_server.start()  # back on the same port

        async def reconnected() -> bool:
            await _all_answer([first, second])
            states = [await _ready(r) for r in (first, second)]
            return all(s["redis"]["connected"] for s in states)  # type: ignore[index]

        assert await eventually(reconnected, seconds=15)
        for _ in range(5):
            await _all_answer([first, second])
        # connections opened before the restart fail on first use unless dropped: each such
        # failure used to count (and log) a new outage and empty the in-process caches again
        for replica in (first, second):
            state = (await _ready(replica))["redis"]
            assert (state["connected"], state["outages"]) == (True, 1), state  # type: ignore[index]
        assert _lines(caplog, "Redis unavailable") == 2
        assert _lines(caplog, "Redis is back") == 2
        assert "pipedrive_graphql_redis_connected 1.0" in (await first.http.get("/metrics")).text
        again = {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(QUERIES[2])}}
        assert (await first.gql(QUERIES[2], extensions=again)).get("errors") is None
        shared = await second.gql(None, extensions=again)  # shared again after the outage
        assert shared.get("errors") is None
        assert shared["data"]["pipelines"]["results"]


async def test_a_hanging_redis_costs_a_bounded_wait_and_no_error(
    redis_url: str, redis_server: RedisServer
) -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    async with app_replicas(emu, redis_url, count=1, redis_timeout=0.2) as (server,):
        await _all_answer([server])
        redis_server.freeze()  # accepts nothing, answers nothing: every call would hang
        try:
            loop = asyncio.get_running_loop()
            started = loop.time()
            for _ in range(4):
                await _all_answer([server])
            frozen_for = loop.time() - started
            state = (await _ready(server))["redis"]
        finally:
            redis_server.thaw()
        assert isinstance(state, dict)
        assert state["connected"] is False  # three timeouts in a row: an outage
        # 12 queries: a few calls waited 0.2 s each before the replica stopped asking Redis
        assert frozen_for < 5.0

        async def back() -> bool:
            await _all_answer([server])
            return bool((await _ready(server))["redis"]["connected"])  # type: ignore[index]

        assert await eventually(back, seconds=15)


async def test_readyz_answers_from_the_last_probe_while_a_new_one_is_slow() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    async with app_replicas(emu, None, count=1) as (server,):
        assert (await _ready(server))["detail"] == "upstream answered"
        server.runtime.probe_interval = 0  # every /readyz wants a fresh probe
        emu.config.latency_ms = 5000  # Pipedrive (or the governor's queue) is slow to answer
        loop = asyncio.get_running_loop()
        started = loop.time()
        body = await _ready(server)
        waited = loop.time() - started
        emu.config.latency_ms = 0
    assert body["detail"] == "upstream answered"  # the last known answer
    assert waited < 2.5  # generous: the probe in flight takes 5 s
