"""Circuit breaker: opens after repeated 5xx, fails fast while open, one probe, then closes."""

from __future__ import annotations

import asyncio

import orjson
import pytest

from pipedrive_graphql.datasources.retry import RetryPolicy
from pipedrive_graphql.emulator import FaultRule
from pipedrive_graphql.errors import NotFoundError, UpstreamUnavailableError

from .res_support import TOKEN, rig

CIRCUIT_OPEN = "Pipedrive is unavailable (circuit open)"


async def test_breaker_opens_fails_fast_and_closes_after_cool_down() -> None:
    async with rig(retry=RetryPolicy(max_attempts=4)) as r:
        r.emu.faults.add(FaultRule("/api/v2/persons", "http_500"))
        client = r.client()
        with pytest.raises(UpstreamUnavailableError) as first:
            await client.list_persons(limit=1)
        assert first.value.message == "Pipedrive answered HTTP 500"
        assert not r.guard.breaker_open()  # four failures: below the threshold of five
        with pytest.raises(UpstreamUnavailableError) as second:
            await r.client().list_persons(limit=1)
        assert second.value.message == CIRCUIT_OPEN  # the fifth failure opened it
        assert r.guard.breaker_open()
        sent = len(r.emu.log.entries)
        assert sent == 5
        for call in (r.client().get_deal(54321), r.client().list_users()):
            with pytest.raises(UpstreamUnavailableError, match=r"circuit open"):
                await call
        assert len(r.emu.log.entries) == sent  # failing fast: the log stops growing
        snapshot = r.guard.snapshot()
        assert snapshot["breakers"] == {"http://emulator": "open"}
        assert TOKEN not in orjson.dumps(snapshot).decode()

        r.clock.now += 15.0  # the cool-down
        assert not r.guard.breaker_open()
        r.emu.faults.clear()
        deal = await r.client().get_deal(54321)
        assert deal.id == 54321
        assert r.guard.snapshot()["breakers"] == {"http://emulator": "closed"}
        assert len(r.emu.log.entries) == sent + 1


async def test_failed_probe_opens_the_circuit_again() -> None:
    async with rig(retry=RetryPolicy(max_attempts=1)) as r:
        r.emu.faults.add(FaultRule("/api/v2/deals", "http_503"))
        for _ in range(5):
            with pytest.raises(UpstreamUnavailableError):
                await r.client().get_deal(54321)
        assert r.guard.breaker_open()
        r.clock.now += 15.0
        with pytest.raises(UpstreamUnavailableError, match="HTTP 503"):
            await r.client().get_deal(54321)  # the probe reached Pipedrive and failed
        assert r.guard.breaker_open()
        assert len(r.emu.log.entries) == 6


async def test_half_open_lets_one_probe_through_at_a_time() -> None:
    async with rig(retry=RetryPolicy(max_attempts=1), breaker_threshold=2, latency_ms=20) as r:
        r.emu.faults.add(FaultRule("/api/v2/deals", "http_500", times=2))
        for _ in range(2):
            with pytest.raises(UpstreamUnavailableError):
                await r.client().get_deal(54321)
        r.clock.now += 15.0
        # five different deals: identical GETs would share one call and prove nothing here
        results = await asyncio.gather(
            *(r.client().get_deal(deal_id) for deal_id in (54321, 1, 2, 3, 4)),
            return_exceptions=True,
        )
        refused = [x for x in results if isinstance(x, UpstreamUnavailableError)]
        assert len(refused) == 4
        assert all(e.message == CIRCUIT_OPEN for e in refused)
        assert len(r.emu.log.entries) == 3
        assert (await r.client().get_deal(54321)).id == 54321  # closed again


async def test_client_errors_do_not_open_the_breaker() -> None:
    async with rig() as r:
        for _ in range(8):
            with pytest.raises(NotFoundError):
                await r.client().get_deal(424242)
        assert not r.guard.breaker_open()


async def test_a_success_resets_the_failure_streak() -> None:
    async with rig(retry=RetryPolicy(max_attempts=1)) as r:
        for _ in range(3):
            r.emu.faults.add(FaultRule("/api/v2/deals", "http_502", times=4))
            for _ in range(4):
                with pytest.raises(UpstreamUnavailableError):
                    await r.client().get_deal(54321)
            await r.client().get_deal(54321)
        assert not r.guard.breaker_open()


async def test_failures_spread_beyond_the_window_do_not_open_it() -> None:
    async with rig(retry=RetryPolicy(max_attempts=1)) as r:
        r.emu.faults.add(FaultRule("/api/v2/deals", "http_500"))
        for round_ in range(3):
            for _ in range(4):
                with pytest.raises(UpstreamUnavailableError, match="HTTP 500"):
                    await r.client().get_deal(54321)
            assert not r.guard.breaker_open(), round_
            r.clock.now += 31.0  # past the 30 s window: the streak starts over
        with pytest.raises(UpstreamUnavailableError, match="HTTP 500"):
            await r.client().get_deal(54321)
        assert not r.guard.breaker_open()
        assert len(r.emu.log.entries) == 13
