"""Rate governor: queue instead of 429, search ≤ 10 per 2 s, Retry-After, the daily budget."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Coroutine
from typing import Any

import httpx
import orjson
import pytest
from starlette.types import Receive, Scope, Send

from pipedrive_graphql.datasources.pipedrive.inputs import PersonInput
from pipedrive_graphql.datasources.pipedrive.upstream import credential_key
from pipedrive_graphql.datasources.resilience.governor import RateGovernor
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.emulator import FaultRule
from pipedrive_graphql.errors import RateLimitedError
from pipedrive_graphql.settings import Secret

from .res_support import TOKEN, Rig, rig


def _429s(r: Rig) -> int:
    return sum(1 for e in r.emu.log.entries if e.status == 429)


async def test_sixty_concurrent_reads_on_lite_are_queued_not_refused() -> None:
    async with rig(rate_limit="lite", plan="lite") as r:
        stats = CallStats()
        client = r.client(stats)
        start = r.clock.now
        # sixty different persons: identical GETs in flight would share one call
        results = await asyncio.gather(
            *(client.get_person(person_id) for person_id in range(1, 61)), return_exceptions=True
        )
        assert [x for x in results if isinstance(x, BaseException)] == []
        assert _429s(r) == 0
        assert len(r.emu.log.entries) == 60
        assert stats.retries == 0
        # 20 per rolling 2 s: the last 20 cannot start before 4 s have passed
        assert r.clock.now - start >= 4.0


async def test_search_is_capped_at_ten_per_two_seconds() -> None:
    clock_marks: list[tuple[float, str]] = []
    async with rig(rate_limit="ultimate", plan="ultimate") as r:
        app = r.emu.app

        async def recording(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] == "http":
                clock_marks.append((r.clock.now, scope["path"]))
            await app(scope, receive, send)

        r.http._transport = httpx.ASGITransport(app=recording)
        client = r.client()
        calls: list[Coroutine[Any, Any, object]]
        calls = [client.search_persons(f"Jane {i}", limit=5) for i in range(15)]
        calls += [client.search_deals(f"Enterprise {i}", limit=5) for i in range(10)]
        calls += [client.get_person(person_id) for person_id in range(1, 21)]
        results = await asyncio.gather(*calls, return_exceptions=True)
        assert [x for x in results if isinstance(x, BaseException)] == []
        assert _429s(r) == 0
        searches = sorted(t for t, path in clock_marks if path.endswith("/search"))
        assert len(searches) == 25
        for i, t in enumerate(searches):
            assert sum(1 for u in searches[i:] if u < t + 2.0) <= 10
        plain = [t for t, path in clock_marks if not path.endswith("/search")]
        assert max(plain) - min(plain) < 2.0  # other reads were not held behind the searches


async def test_retry_after_pauses_the_credential() -> None:
    async with rig() as r:
        r.emu.faults.add(FaultRule("/api/v2/deals", "burst_429", method="GET", times=1))
        client = r.client()
        start = r.clock.now
        await asyncio.gather(client.list_deals(limit=1), client.get_person(12345))
        assert r.clock.now - start >= 2.0  # the fault's Retry-After: 2
        assert _429s(r) == 1
        assert r.guard.snapshot()["credentials"] == {
            credential_key(Secret(TOKEN)): {
                "limit": 20,  # learned from the 429's x-ratelimit-limit (the plan said 40)
                "remaining": 0,
                "dailyRemaining": None,
                "paused": False,
                "dailyExhausted": False,
                "dailyProbes": 0,
            }
        }


async def test_limit_is_learned_from_headers() -> None:
    async with rig(rate_limit="lite", plan="ultimate") as r:
        client = r.client()
        await client.get_person(12345)
        governor = r.guard.governor(credential_key(Secret(TOKEN)), oauth=False)
        assert governor.limit == 20
        assert governor.remaining == 19
        results = await asyncio.gather(*(client.get_person(pid) for pid in range(1, 51)))
        assert len(results) == 50
        assert _429s(r) == 0


async def test_traffic_of_another_process_on_the_credential_is_respected() -> None:
    async with rig(rate_limit="lite", plan="lite") as r:
        for _ in range(15):  # another process spends 15 of the 20 in this window
            await r.http.get("/api/v2/persons/12345", headers={"x-api-token": TOKEN})
        client = r.client()
        await client.get_person(12345)  # answers x-ratelimit-remaining: 4
        await asyncio.gather(*(client.get_person(pid) for pid in range(1, 21)))
        assert _429s(r) == 0


async def test_oauth_credentials_start_with_four_times_the_plan_limit() -> None:
    async with rig(plan="lite") as r:
        key = credential_key(Secret("oauth-token-value-1234"))
        assert r.guard.governor(key, oauth=True).limit == 80
        assert r.guard.governor(credential_key(Secret(TOKEN)), oauth=False).limit == 20


async def test_exhausted_daily_budget_fails_fast_without_calling_pipedrive() -> None:
    async with rig(daily_token_budget=25) as r:
        client = r.client()
        await client.list_persons(limit=1)  # 10 tokens
        await client.list_deals(limit=1)  # 20
        await client.list_persons(limit=1)  # 30: admitted while 5 were left
        with pytest.raises(RateLimitedError) as first:
            await client.get_person(12345)
        assert r.emu.log.entries[-1].status == 429
        seen = len(r.emu.log.entries)
        later = r.client()  # a later GraphQL request, same credential, same process
        with pytest.raises(RateLimitedError) as second:
            await later.get_deal(54321)
        with pytest.raises(RateLimitedError):
            await later.add_person(PersonInput(name="never sent"))
        assert len(r.emu.log.entries) == seen  # failed fast: nothing reached Pipedrive
        assert r.applied("person", "create") == 0
        first_wait, second_wait = first.value.retry_after, second.value.retry_after
        assert first_wait is not None
        assert first_wait > 60
        assert second_wait is not None
        assert 0 < second_wait <= first_wait
        assert isinstance(second.value.extensions["retryAfter"], int)
        snapshot = orjson.dumps(r.guard.snapshot()).decode()
        assert '"dailyExhausted":true' in snapshot
        assert TOKEN not in snapshot
        other = r.client(token="another-credential-0987654321")
        assert (await other.list_persons(limit=1)).items  # other credentials are unaffected


async def test_an_upstream_without_rate_headers_is_not_paced() -> None:
    # the emulator with its limiter off sends no x-ratelimit-*: after a few answers the governor
    # stops holding calls back to the plan preset (real Pipedrive always sends the headers)
    async with rig(rate_limit=None, plan="lite") as r:
        client = r.client()
        start = r.clock.now
        await asyncio.gather(*(client.get_person(12345) for _ in range(3)))
        await asyncio.gather(*(client.get_person(12345) for _ in range(60)))
        assert r.clock.now - start < 2.0  # 63 calls, lite preset 20 / 2 s: not paced
        assert r.sent("GET", "/api/v2/persons/12345") == 63


async def test_pacing_resumes_when_the_headers_come_back() -> None:
    async with rig(rate_limit=None, plan="lite") as r:
        client = r.client()
        await asyncio.gather(*(client.get_person(12345) for _ in range(3)))
        r.emu.state.config = dataclasses.replace(r.emu.state.config, rate_limit="lite")
        await client.get_person(12345)  # an answer with x-ratelimit-limit: pacing is back
        start = r.clock.now
        results = await asyncio.gather(
            *(client.get_person(12345) for _ in range(40)), return_exceptions=True
        )
        assert [x for x in results if isinstance(x, BaseException)] == []
        assert _429s(r) == 0
        assert r.clock.now - start >= 2.0


async def test_a_high_limit_keeps_few_slots_and_still_paces_at_it() -> None:
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    governor = RateGovernor(1000, clock=lambda: now[0], sleep=sleep)
    for _ in range(20_000):  # 100 calls a second for 200 s, each answered at once
        governor.release(await governor.acquire(search=False, deadline=None))
        now[0] += 0.01
    assert slept == []
    # 2 s of answered calls are live (200); what expired is dropped as the list grows
    assert len(governor._slots) <= 2 * 200 + 64
    now[0] += 2.0  # those have aged out: the whole window is free
    held = [await governor.acquire(search=False, deadline=None) for _ in range(1000)]
    assert slept == []
    assert len(held) == 1000
    await governor.acquire(search=False, deadline=None)  # the window is full: waits
    assert len(slept) == 1
    assert slept[0] > 0
