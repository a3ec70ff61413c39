"""Fault matrix for reads: transient faults end in data after retries, others in the right error."""

from __future__ import annotations

import pytest

from pipedrive_graphql.datasources.loading.loaders import Loaders
from pipedrive_graphql.datasources.resilience.retry import RetryPolicy
from pipedrive_graphql.datasources.state.memory import UpstreamMemory
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.emulator import FaultRule
from pipedrive_graphql.emulator.faults import FaultKind
from pipedrive_graphql.errors import ForbiddenError, RateLimitedError, UpstreamUnavailableError
from pipedrive_graphql.settings import Secret, Settings

from .res_support import BASE, TOKEN, rig

PERSONS = "/api/v2/persons"
TRANSIENT: list[FaultKind] = [
    "burst_429",
    "http_500",
    "http_502",
    "http_503",
    "hang",
    "reset",
    "malformed_json",
]


# an undecodable body is tried twice at most, so two of them in a row end in an error
RETRIED = [
    (kind, times)
    for kind in TRANSIENT
    for times in (1, 2)
    if not (kind == "malformed_json" and times == 2)
]


@pytest.mark.parametrize(("kind", "times"), RETRIED)
async def test_transient_fault_on_a_read_is_retried_to_data(kind: FaultKind, times: int) -> None:
    async with rig() as r:
        r.emu.faults.add(FaultRule(PERSONS, kind, method="GET", times=times))
        stats = CallStats()
        page = await r.client(stats).list_persons(limit=5)
        assert len(page.items) == 5
        assert stats.retries == times
        assert r.sent("GET", PERSONS) == times + 1
        assert [c.status for c in stats.calls][-1] == 200


async def test_an_undecodable_body_is_retried_once_not_blindly() -> None:
    async with rig(retry=RetryPolicy(max_attempts=4)) as r:
        r.emu.faults.add(FaultRule(PERSONS, "malformed_json", method="GET", times=2))
        stats = CallStats()
        with pytest.raises(UpstreamUnavailableError, match="not JSON"):
            await r.client(stats).list_persons(limit=5)
        assert r.sent("GET", PERSONS) == 2  # the same bytes would come back at full cost
        assert stats.retries == 1


@pytest.mark.parametrize("kind", TRANSIENT)
async def test_persistent_fault_on_a_read_gives_up_with_the_right_error(kind: FaultKind) -> None:
    expected = RateLimitedError if kind == "burst_429" else UpstreamUnavailableError
    async with rig(retry=RetryPolicy(max_attempts=3)) as r:
        r.emu.faults.add(FaultRule(PERSONS, kind, method="GET"))
        with pytest.raises(expected) as info:
            await r.client().list_persons(limit=5)
        assert r.sent("GET", PERSONS) == (2 if kind == "malformed_json" else 3)
        assert "writeOutcome" not in info.value.extensions
        if kind == "burst_429":
            assert info.value.extensions == {"retryAfter": 2}


async def test_nested_read_through_loaders_survives_faults_on_each_level() -> None:
    async with rig() as r:
        r.emu.faults.add(FaultRule(PERSONS, "http_502", method="GET", times=1))
        r.emu.faults.add(FaultRule("/api/v2/deals", "reset", method="GET", times=1))
        r.emu.faults.add(FaultRule("/api/v2/organizations", "malformed_json", times=1))
        stats = CallStats()
        settings = Settings(api_token=Secret(TOKEN), base_url=BASE)
        loaders = Loaders(r.client(stats), settings, memory=UpstreamMemory())
        person = await loaders.person_by_id.load(12345)
        assert person is not None
        assert person.org_id is not None
        org = await loaders.organization_by_id.load(person.org_id)
        deal = await loaders.deal_by_id.load(54321)
        assert org is not None
        assert deal is not None
        assert stats.retries == 3
        assert len(r.emu.faults.fired) == 3


async def test_html_403_is_forbidden_and_not_retried() -> None:
    async with rig() as r:
        r.emu.faults.add(FaultRule(PERSONS, "html_403", method="GET", times=1))
        stats = CallStats()
        with pytest.raises(ForbiddenError) as info:
            await r.client(stats).list_persons(limit=5)
        assert "HTML 403" in info.value.message
        assert r.sent("GET", PERSONS) == 1
        assert stats.retries == 0


async def test_retry_budget_is_per_graphql_request() -> None:
    async with rig(retry=RetryPolicy(max_attempts=4, budget=3), breaker_min_calls=50) as r:
        r.emu.faults.add(FaultRule(PERSONS, "http_500", method="GET"))
        stats = CallStats()
        client = r.client(stats)
        with pytest.raises(UpstreamUnavailableError):
            await client.list_persons(limit=5)
        assert stats.retries == 3  # four attempts
        with pytest.raises(UpstreamUnavailableError):
            await client.list_persons(limit=5)
        assert stats.retries == 3  # budget spent: the second call gets one attempt
        assert r.sent("GET", PERSONS) == 5
        fresh = CallStats()
        r.emu.faults.clear()
        assert (await r.client(fresh).list_persons(limit=2)).items


async def test_backoff_is_exponential_with_jitter_and_capped() -> None:
    policy = RetryPolicy(max_attempts=6, budget=10, base_delay=0.1, max_delay=0.5)
    async with rig(retry=policy, breaker_min_calls=50) as r:
        r.emu.faults.add(FaultRule(PERSONS, "http_503", method="GET", times=5))
        stats = CallStats()
        await r.client(stats).list_persons(limit=1)
        caps = [min(0.5, 0.1 * 2**i) for i in range(5)]
        assert len(r.clock.slept) == 5
        assert all(0 <= s <= cap for s, cap in zip(r.clock.slept, caps, strict=True))
        assert stats.backoff_seconds == pytest.approx(sum(r.clock.slept))
