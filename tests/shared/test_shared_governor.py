"""One rate governor for all replicas: burst window, Retry-After and the daily budget in Redis."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest
from redis import asyncio as aioredis

from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.errors import RateLimitedError
from tests.redis_server import RedisServer

from .shared_support import GuardReplica, eventually, guard_replicas


def _emulator(**config: object) -> Emulator:
    return Emulator(EmulatorConfig(dataset="demo", strict=True, **config))  # type: ignore[arg-type]


def _paused(replica: GuardReplica) -> bool:
    credentials = replica.guard.snapshot()["credentials"]
    assert isinstance(credentials, dict)
    return any(state["paused"] for state in credentials.values())


async def _drain(replica: GuardReplica) -> None:
    assert replica.guard.link is not None
    await replica.guard.link.drain()


def _statuses(emu: Emulator) -> list[int | None]:
    return [entry.status for entry in emu.log.entries]


async def _burst(replicas_calls: int, emu: Emulator, redis_url: str | None) -> list[int | None]:
    async with guard_replicas(emu, redis_url, count=2, plan="lite") as replicas:
        ids = iter(range(1, 2 * replicas_calls + 1))  # distinct: identical GETs would coalesce
        calls = [r.client().get_person(next(ids)) for r in replicas for _ in range(replicas_calls)]
        await asyncio.gather(*calls)
    return _statuses(emu)


async def test_two_replicas_share_one_burst_window(redis_url: str) -> None:
    emu = _emulator(rate_limit="lite")  # 20 requests per rolling 2 s
    statuses = await _burst(20, emu, redis_url)
    assert len(statuses) == 40
    assert statuses.count(429) == 0


async def test_without_redis_two_replicas_overrun_the_window() -> None:
    # the comparison the shared governor exists for: each replica thinks it has all 20
    emu = _emulator(rate_limit="lite")
    statuses = await _burst(20, emu, None)
    assert statuses.count(429) > 0


async def test_search_cap_is_shared(redis_url: str) -> None:
    emu = _emulator(rate_limit="premium")
    async with guard_replicas(emu, redis_url, count=2, plan="premium") as replicas:
        calls = [r.client().search_deals(f"Deal {i}", limit=5) for r in replicas for i in range(8)]
        await asyncio.gather(*calls)
    assert _statuses(emu).count(429) == 0
    assert len(emu.log.entries) == 16  # 16 searches against a cap of 10 per 2 s


async def test_a_burst_429_on_one_replica_pauses_the_other(redis_url: str) -> None:
    from pipedrive_graphql.emulator.faults import FaultRule

    emu = _emulator(rate_limit="growth")
    emu.faults.add(FaultRule("/api/v2/deals", "burst_429", method="GET", times=1))
    async with guard_replicas(emu, redis_url, count=2) as (first, second):
        hit = asyncio.ensure_future(first.client().list_deals(limit=1))
        assert await eventually(lambda: _paused(first))
        await _drain(first)  # the pause reaches Redis in the background
        started = time.monotonic()
        await second.client().get_person(12345)
        waited = time.monotonic() - started
        await hit
    assert waited >= 1.0  # Retry-After: 2, less the time already passed
    assert _statuses(emu).count(429) == 1


async def test_daily_budget_exhaustion_is_shared_and_probed(redis_url: str) -> None:
    emu = _emulator(daily_token_budget=25)
    async with guard_replicas(emu, redis_url, count=2, daily_probe_interval=0.5) as (a, b):
        await a.client().list_persons(limit=1)  # 10 tokens
        await a.client().list_persons(limit=1)  # 20
        await a.client().list_persons(limit=1)  # 30: admitted while 5 were left
        with pytest.raises(RateLimitedError):
            await a.client().get_person(12345)  # the daily 429
        await _drain(a)
        seen = len(emu.log.entries)
        with pytest.raises(RateLimitedError) as refused:
            await b.client().get_deal(54321)
        assert len(emu.log.entries) == seen  # the other replica failed fast
        assert refused.value.retry_after is not None
        emu.limiter.reset()  # the company bought more API capacity
        await asyncio.sleep(0.6)  # one probe interval later
        deal = await b.client().get_deal(54321)  # the probe: a real call, and it succeeds
        assert deal.id == 54321
        await _drain(b)
        await a.client().get_person(12345)  # resumed on every replica
        state = b.guard.snapshot()["credentials"]
        assert isinstance(state, dict)
        assert [s["dailyProbes"] for s in state.values()] == [1]
    assert len(emu.log.entries) == seen + 2


async def test_a_redis_that_forgot_the_window_does_not_let_a_replica_burst(
    redis_url: str, redis_server: RedisServer
) -> None:
    emu = _emulator(rate_limit="lite")  # 20 requests per rolling 2 s
    async with guard_replicas(emu, redis_url, count=1, plan="lite") as (replica,):
        await asyncio.gather(*(replica.client().get_person(i) for i in range(1, 21)))
        await _drain(replica)
        redis_server.flush()  # restarted without persistence: the shared window is empty
        await asyncio.gather(*(replica.client().get_person(i) for i in range(21, 31)))
    statuses = _statuses(emu)
    assert len(statuses) == 30  # the last 10 waited for the window instead of hitting a 429
    assert statuses.count(429) == 0


async def test_replicas_that_lose_redis_each_keep_to_their_share_of_the_window(
    redis_server: RedisServer,
) -> None:
    # Three replicas counted on the invalidation channel while Redis answered; with Redis gone
    # none sees the others' calls, so each paces to a third of the window (lite: 20 per 2 s).
    # Each taking the whole window gave 3 or 4 upstream 429s here (66 or 67 calls for 63), and
    # under a steady load RATE_LIMITED answers, once a call's retries met a full window again.
    emu = _emulator(rate_limit="lite")
    async with guard_replicas(emu, redis_server.url, count=3, plan="lite") as replicas:
        link = replicas[0].guard.link
        assert link is not None
        # the three replicas' invalidation listeners, as `RedisLink.start` subscribes them
        listeners = aioredis.Redis.from_url(redis_server.url)
        subscriptions = [listeners.pubsub() for _ in replicas]
        for subscription in subscriptions:
            await subscription.subscribe(link.channel)
        await asyncio.gather(*(r.client().get_person(1) for r in replicas))  # counts replicas
        for subscription in subscriptions:
            await subscription.aclose()  # type: ignore[no-untyped-call]
        await listeners.aclose()
        redis_server.stop()
        try:
            ids = itertools.count(2)
            async with asyncio.timeout(60):
                await asyncio.gather(
                    *(r.client().get_person(next(ids)) for r in replicas for _ in range(20))
                )
        finally:
            redis_server.start()
    statuses = _statuses(emu)
    assert len(statuses) == 63
    assert statuses.count(429) == 0
