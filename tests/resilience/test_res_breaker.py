"""Circuit breaker: a failure rate per logical call, scoped by API, family, access and tenant."""

from __future__ import annotations

import asyncio

import httpx
import orjson
import pytest

from pipedrive_graphql.datasources.pipedrive.inputs import PersonInput
from pipedrive_graphql.datasources.resilience.retry import RetryPolicy
from pipedrive_graphql.emulator import Emulator, EmulatorConfig, FaultRule
from pipedrive_graphql.errors import NotFoundError, UnauthenticatedError, UpstreamUnavailableError

from .res_support import TOKEN, Rig, rig

CIRCUIT_OPEN = "Pipedrive is unavailable (circuit open)"
PERSONS = "/api/v2/persons"
DEALS = "/api/v2/deals"
OTHER_TOKEN = "res-test-token-other-tenant-000"
PERSONS_READ = "http://emulator v2 persons read"


def breakers(r: Rig) -> dict[str, str]:
    """Breaker state per scope, as /metrics shows it."""
    states = r.guard.snapshot()["breakers"]
    assert isinstance(states, dict)
    return states


async def test_failures_count_once_per_logical_call_not_per_attempt() -> None:
    async with rig(retry=RetryPolicy(max_attempts=4)) as r:
        r.emu.faults.add(FaultRule(PERSONS, "http_500"))
        for _ in range(4):  # 16 failed attempts, four failed calls: under the minimum of five
            with pytest.raises(UpstreamUnavailableError, match="HTTP 500"):
                await r.client().list_persons(limit=1)
        assert r.guard.snapshot()["breakers"] == {PERSONS_READ: "closed"}
        with pytest.raises(UpstreamUnavailableError, match="HTTP 500"):
            await r.client().list_persons(limit=1)  # the fifth failed call opens it
        assert r.sent("GET", PERSONS) == 20
        with pytest.raises(UpstreamUnavailableError) as refused:
            await r.client().list_persons(limit=1)
        assert refused.value.message == CIRCUIT_OPEN
        assert refused.value.extensions == {"retryAfter": 15}
        assert r.sent("GET", PERSONS) == 20  # failing fast: nothing reached Pipedrive
        snapshot = r.guard.snapshot()
        assert snapshot["breakers"] == {PERSONS_READ: "open"}
        assert snapshot["breakerOpenings"] == {PERSONS_READ: 1}
        assert TOKEN not in orjson.dumps(snapshot).decode()


async def test_an_open_family_stops_neither_other_families_writes_v1_nor_other_tenants() -> None:
    async with rig(retry=RetryPolicy(max_attempts=1)) as r:
        r.emu.faults.add(FaultRule(PERSONS, "http_500", method="GET"))
        for _ in range(5):
            with pytest.raises(UpstreamUnavailableError, match="HTTP 500"):
                await r.client().list_persons(limit=1)
        with pytest.raises(UpstreamUnavailableError, match="circuit open"):
            await r.client().list_persons(limit=1)
        assert (await r.client().get_deal(54321)).id == 54321  # v2 deals
        created = await r.client().add_person(PersonInput(name="Writes Go On"))  # v2 writes
        assert created.name == "Writes Go On"
        assert (await r.client().list_notes(limit=1)).items  # the v1 API
        assert [u.id for u in await r.client().list_users()]  # v1 users
        r.emu.faults.clear()
        other = await r.client(token=OTHER_TOKEN).list_persons(limit=2)  # another tenant
        assert len(other.items) == 2
        assert r.applied("person", "create") == 1
        assert r.sent("GET", PERSONS) == 6
        assert r.sent("POST", PERSONS) == 1
        assert not r.guard.breaker_open()  # one scope open: /readyz stays ready


async def test_a_real_outage_opens_every_scope_in_use() -> None:
    async with rig(retry=RetryPolicy(max_attempts=2)) as r:
        r.emu.faults.add(FaultRule("/api/*", "http_503"))
        for call in (lambda: r.client().list_persons(limit=1), lambda: r.client().get_deal(1)):
            for _ in range(5):
                with pytest.raises(UpstreamUnavailableError, match="HTTP 503"):
                    await call()
        assert r.guard.breaker_open()
        sent = len(r.emu.log.entries)
        assert sent == 20
        for refused in (r.client().list_persons(limit=1), r.client().get_deal(2)):
            with pytest.raises(UpstreamUnavailableError, match="circuit open"):
                await refused
        assert len(r.emu.log.entries) == sent


async def test_opens_on_a_failure_rate_not_on_a_streak() -> None:
    async with rig(retry=RetryPolicy(max_attempts=1)) as r:
        deals = r.guard.snapshot
        for _ in range(6):
            await r.client().get_deal(54321)
        r.emu.faults.add(FaultRule(DEALS, "http_502", times=5))
        for _ in range(5):  # five failures in a row, but 5 of 11 calls: under 50 %
            with pytest.raises(UpstreamUnavailableError, match="HTTP 502"):
                await r.client().get_deal(54321)
        assert (await r.client().get_deal(54321)).id == 54321
        r.emu.faults.add(FaultRule(DEALS, "http_502", times=2))
        with pytest.raises(UpstreamUnavailableError, match="HTTP 502"):
            await r.client().get_deal(54321)  # 6 of 13
        assert deals()["breakers"] == {"http://emulator v2 deals read": "closed"}
        with pytest.raises(UpstreamUnavailableError, match="HTTP 502"):
            await r.client().get_deal(54321)  # 7 of 14: the rate reaches 50 %
        with pytest.raises(UpstreamUnavailableError, match="circuit open"):
            await r.client().get_deal(54321)
        assert r.sent("GET", f"{DEALS}/54321") == 14


async def test_failures_spread_beyond_the_window_do_not_open_it() -> None:
    async with rig(retry=RetryPolicy(max_attempts=1)) as r:
        r.emu.faults.add(FaultRule(DEALS, "http_500"))
        for round_ in range(3):
            for _ in range(4):
                with pytest.raises(UpstreamUnavailableError, match="HTTP 500"):
                    await r.client().get_deal(54321)
            assert not r.guard.breaker_open(), round_
            r.clock.now += 31.0  # past the 30 s window: earlier outcomes are forgotten
        assert r.sent("GET", f"{DEALS}/54321") == 12


async def test_client_errors_and_a_tenants_401_never_count() -> None:
    async with rig(retry=RetryPolicy(max_attempts=1)) as r:
        r.emu.state.config.token = TOKEN  # any other credential is refused with a 401
        for _ in range(8):
            with pytest.raises(NotFoundError):
                await r.client().get_deal(424242)
        for _ in range(8):
            with pytest.raises(UnauthenticatedError):
                await r.client(token="revoked-token").get_deal(54321)
        assert set(breakers(r).values()) == {"closed"}
        assert (await r.client().get_deal(54321)).id == 54321


async def test_an_undecodable_body_is_not_an_outage_and_is_tried_twice_at_most() -> None:
    async with rig(retry=RetryPolicy(max_attempts=4)) as r:
        r.emu.faults.add(FaultRule(PERSONS, "malformed_json", method="GET"))
        for _ in range(10):
            with pytest.raises(UpstreamUnavailableError, match="not JSON"):
                await r.client().list_persons(limit=1)
        assert r.sent("GET", PERSONS) == 20
        assert r.guard.snapshot()["breakers"] == {PERSONS_READ: "closed"}


async def test_the_next_real_call_probes_when_the_cool_down_ends() -> None:
    async with rig(retry=RetryPolicy(max_attempts=1)) as r:
        r.emu.faults.add(FaultRule(DEALS, "http_503", times=6))
        for _ in range(5):
            with pytest.raises(UpstreamUnavailableError, match="HTTP 503"):
                await r.client().get_deal(54321)
        r.clock.now += 14.9
        with pytest.raises(UpstreamUnavailableError, match="circuit open"):
            await r.client().get_deal(54321)
        r.clock.now += 0.1  # the cool-down is over: the next call goes, and fails
        with pytest.raises(UpstreamUnavailableError, match="HTTP 503"):
            await r.client().get_deal(54321)
        assert breakers(r)["http://emulator v2 deals read"] == "open"
        r.clock.now += 15.0
        assert (await r.client().get_deal(54321)).id == 54321  # the probe closes it
        assert (await r.client().get_deal(54321)).id == 54321
        assert r.sent("GET", f"{DEALS}/54321") == 8
        assert r.guard.snapshot()["breakerOpenings"] == {"http://emulator v2 deals read": 2}


async def test_half_open_lets_one_probe_through_at_a_time() -> None:
    async with rig(retry=RetryPolicy(max_attempts=1), breaker_min_calls=2, latency_ms=20) as r:
        r.emu.faults.add(FaultRule(DEALS, "http_500", times=2))
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


class TenantOutage(httpx.AsyncBaseTransport):
    """One company's account answers 503 on every endpoint; the others reach the emulator."""

    def __init__(self, inner: httpx.AsyncBaseTransport, failing_token: str) -> None:
        self.inner = inner
        self.failing_token = failing_token
        self.refused = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.headers.get("x-api-token") == self.failing_token:
            self.refused += 1
            body = b'{"success":false,"error":"Service temporarily unavailable","errorCode":503}'
            return httpx.Response(503, content=body)
        return await self.inner.handle_async_request(request)


async def test_one_companys_outage_opens_its_breakers_only() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    outage = TenantOutage(httpx.ASGITransport(app=emu.app), OTHER_TOKEN)
    async with rig(retry=RetryPolicy(max_attempts=2), transport=outage) as r:
        r.emu = emu
        for _ in range(5):
            with pytest.raises(UpstreamUnavailableError, match="HTTP 503"):
                await r.client(token=OTHER_TOKEN).get_deal(54321)
        with pytest.raises(UpstreamUnavailableError, match="circuit open"):
            await r.client(token=OTHER_TOKEN).get_deal(54321)
        assert outage.refused == 10
        for _ in range(3):  # the healthy company still reaches Pipedrive
            assert (await r.client().get_deal(54321)).id == 54321
        assert r.sent("GET", f"{DEALS}/54321") == 3
        assert breakers(r) == {"http://emulator v2 deals read": "open"}  # any credential's
        assert not r.guard.breaker_open()
