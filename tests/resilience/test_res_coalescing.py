"""Identical GETs of one credential in flight at the same time share one upstream call."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest

from pipedrive_graphql.datasources.pipedrive.inputs import PersonInput
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.emulator import FaultRule
from pipedrive_graphql.errors import UpstreamUnavailableError

from .res_support import rig


async def test_concurrent_identical_reads_make_one_upstream_call() -> None:
    async with rig(latency_ms=20) as r:
        stats = [CallStats() for _ in range(5)]
        pages = await asyncio.gather(*(r.client(s).list_deals(limit=10) for s in stats))
        assert r.sent("GET", "/api/v2/deals") == 1
        assert all(page == pages[0] for page in pages)
        assert sorted(s.requests for s in stats) == [0, 0, 0, 0, 1]
        assert sum(s.coalesced for s in stats) == 4
        assert sum(s.tokens for s in stats) == 10  # charged once


async def test_other_credentials_queries_and_later_calls_are_not_shared() -> None:
    async with rig(latency_ms=20) as r:
        await asyncio.gather(
            r.client(token="token-a-0123456789").list_deals(limit=10),
            r.client(token="token-b-0123456789").list_deals(limit=10),
            r.client().list_deals(limit=11),
        )
        assert r.sent("GET", "/api/v2/deals") == 3
        await r.client().list_deals(limit=10)
        await r.client().list_deals(limit=10)
        assert r.sent("GET", "/api/v2/deals") == 5  # nothing cached once the call is done


async def test_writes_are_never_shared() -> None:
    async with rig(latency_ms=20) as r:
        body = PersonInput(name="Twin")
        await asyncio.gather(r.client().add_person(body), r.client().add_person(body))
        assert r.applied("person", "create") == 2


async def test_a_failure_reaches_every_waiting_request() -> None:
    async with rig(latency_ms=20) as r:
        r.emu.faults.add(FaultRule(path="/api/v2/deals", kind="http_500"))
        results = await asyncio.gather(
            *(r.client().list_deals(limit=10) for _ in range(3)), return_exceptions=True
        )
        assert all(isinstance(x, UpstreamUnavailableError) for x in results)
        attempts = r.sent("GET", "/api/v2/deals")
        assert 1 <= attempts <= r.guard.retry.max_attempts  # one request's retries, not three


async def test_a_cancelled_leader_hands_over_to_a_waiting_request() -> None:
    async with rig(latency_ms=50) as r:
        leader = asyncio.ensure_future(r.client().list_deals(limit=10))
        await asyncio.sleep(0.01)
        follower = asyncio.ensure_future(r.client().list_deals(limit=10))
        await asyncio.sleep(0.01)
        leader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await leader
        page = await follower
        assert len(page.items) == 10


async def test_sharing_is_off_with_batching_off() -> None:
    async with rig(latency_ms=20) as r:
        r.guard.coalesce = False  # what BATCHING=false sets for the naive baseline
        await asyncio.gather(*(r.client().list_deals(limit=10) for _ in range(3)))
        assert r.sent("GET", "/api/v2/deals") == 3


async def test_a_read_started_after_a_write_does_not_join_an_older_read() -> None:
    async with rig(latency_ms=60) as r:
        before = asyncio.ensure_future(r.client().get_person(12345))
        await asyncio.sleep(0.01)  # the first read is in flight
        r.emu.state.config = dataclasses.replace(r.emu.state.config, latency_ms=0)
        await r.client().update_person(12345, PersonInput(name="After Write"))
        after = await r.client().get_person(12345)
        assert after.name == "After Write"
        assert (await before).name in {"John Doe", "After Write"}
        assert r.sent("GET", "/api/v2/persons/12345") == 2


async def test_a_follower_answers_at_its_own_deadline_while_the_leader_still_waits() -> None:
    async with rig(attempt_timeout=None) as r:
        r.emu.faults.add(FaultRule("/api/v2/deals", "hang", method="GET"))
        leader = asyncio.create_task(r.client().list_deals(limit=10))  # no deadline
        await asyncio.sleep(0.05)
        stats = CallStats()
        r.guard.start_deadline(stats, 0.3)
        with pytest.raises(UpstreamUnavailableError) as info:
            await asyncio.wait_for(r.client(stats).list_deals(limit=10), 3.0)
        assert info.value.message == "the request deadline passed before Pipedrive answered"
        assert not leader.done()
        leader.cancel()
        assert (stats.requests, stats.coalesced) == (0, 0)
        assert r.emu.faults.fired[0].path == "/api/v2/deals"
        assert len(r.emu.faults.fired) == 1  # one call reached Pipedrive: the leader's
