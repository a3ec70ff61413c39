"""Pacing faults: a spent daily budget is probed, and hung calls do not hold rate slots."""

from __future__ import annotations

import asyncio
import re

import pytest

from pipedrive_graphql.datasources.resilience.governor import IN_FLIGHT_HOLD, WINDOW_SECONDS
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.emulator.faults import FaultRule
from pipedrive_graphql.errors import RateLimitedError
from tests.resilience.res_support import rig
from tests.shared.shared_support import app_replicas, eventually


async def test_spent_daily_budget_is_probed_once_a_minute_and_resumes() -> None:
    async with rig(daily_token_budget=25) as r:
        client = r.client()
        for _ in range(3):
            await client.list_persons(limit=1)  # 30 tokens: the third was admitted with 5 left
        with pytest.raises(RateLimitedError):
            await client.get_person(12345)
        sent = len(r.emu.log.entries)
        r.clock.now += 30
        with pytest.raises(RateLimitedError) as early:
            await r.client().get_deal(54321)
        assert len(r.emu.log.entries) == sent  # within the minute: failed fast
        assert early.value.retry_after is not None
        assert early.value.retry_after <= 30
        r.clock.now += 30  # a minute after the 429: one real call goes
        with pytest.raises(RateLimitedError):
            await r.client().get_deal(54321)  # the budget is still spent
        assert len(r.emu.log.entries) == sent + 1
        with pytest.raises(RateLimitedError):
            await r.client().get_deal(54321)  # and the next probe is a minute away again
        assert len(r.emu.log.entries) == sent + 1
        r.emu.limiter.reset()  # more API capacity bought (or the Retry-After was wrong)
        r.clock.now += 60
        assert (await r.client().get_deal(54321)).id == 54321  # the probe succeeds
        assert (await r.client().get_person(12345)).id == 12345  # and everything resumes
        assert len(r.emu.log.entries) == sent + 3
        state = r.guard.snapshot()["credentials"]
        assert isinstance(state, dict)
        assert [(s["dailyExhausted"], s["dailyProbes"]) for s in state.values()] == [(False, 2)]


async def test_hung_calls_do_not_hold_the_credentials_rate_slots() -> None:
    async with rig(rate_limit="growth", attempt_timeout=None) as r:  # 40 per rolling 2 s
        r.emu.faults.add(FaultRule("/api/v1/notes", "hang", method="GET", times=40))
        client = r.client()
        hung = [asyncio.ensure_future(client.get_note(note_id)) for note_id in range(1, 41)]
        # every one of them reached Pipedrive (and was counted there) and hangs
        assert await eventually(lambda: len(r.emu.faults.fired) == 40)
        start = r.clock.now
        others = [r.client().get_person(pid) for pid in range(1, 41)]
        people = await asyncio.wait_for(asyncio.gather(*others), timeout=10)
        assert len(people) == 40
        # the 40 hung calls were counted when they arrived and aged out of the window since;
        # before, they held every slot until their sockets gave up
        assert r.clock.now - start <= IN_FLIGHT_HOLD + WINDOW_SECONDS + 0.5
        assert not any(h.done() for h in hung)  # still hanging all along
        assert [e.status for e in r.emu.log.entries] == [200] * 40
        for task in hung:
            task.cancel()
        await asyncio.gather(*hung, return_exceptions=True)


async def test_spent_daily_budget_shows_in_readyz_and_metrics() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True, daily_token_budget=25))
    query = "{ deals(limit: 1) { results { id } } }"
    tenant = {"X-Pipedrive-Api-Token": "a-tenants-own-token-0123"}
    async with app_replicas(emu, None, count=1) as (server,):
        server.runtime.probe_interval = 0  # each /readyz probes again
        for _ in range(4):  # another tenant spends its own budget: nothing the operator can do
            await server.http.post("/graphql", json={"query": query}, headers=tenant)
        tenant_spent = await server.http.get("/readyz")
        for _ in range(3):
            assert "errors" not in await server.gql(query)
        refused = await server.gql(query)
        assert [e["extensions"]["code"] for e in refused["errors"]] == ["RATE_LIMITED"]
        server_spent = await server.http.get("/readyz")
        metrics = (await server.http.get("/metrics")).text
    assert tenant_spent.status_code == 200
    assert tenant_spent.json()["dailyBudgetExhausted"] is False
    # every replica shares the server token: a spent budget must not take them all out of
    # the load balancer, so the replica stays ready and says why calls fail
    assert server_spent.status_code == 200
    ready = server_spent.json()
    assert ready["status"] == "ready"
    assert (ready["code"], ready["reason"]) == ("RATE_LIMITED", "rate_limited")
    assert ready["dailyBudgetExhausted"] is True
    assert ready["redis"] == {"configured": False}
    exhausted = r'pipedrive_graphql_daily_budget_exhausted\{credential_key="\w+"\} 1\.0'
    assert len(re.findall(exhausted, metrics)) == 2  # both credentials, by key
    assert "pipedrive_graphql_redis_connected 0.0" in metrics
