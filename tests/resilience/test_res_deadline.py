"""Deadlines and transport errors: no backoff past the deadline, read timeouts, unsent writes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
import uvicorn

from pipedrive_graphql.datasources.pipedrive.client import PipedriveClient
from pipedrive_graphql.datasources.pipedrive.inputs import PersonInput
from pipedrive_graphql.datasources.resilience.guard import UpstreamGuard
from pipedrive_graphql.datasources.resilience.retry import RetryPolicy
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.emulator import Emulator, EmulatorConfig, FaultRule
from pipedrive_graphql.errors import RateLimitedError, UpstreamUnavailableError
from pipedrive_graphql.settings import Secret

from .res_support import TOKEN, rig


class FlakyTransport(httpx.AsyncBaseTransport):
    """Raises `errors` in turn (before or after passing the request on), then just passes."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, errors: list[Exception], *, after_send: bool
    ) -> None:
        self.inner = inner
        self.errors = errors
        self.after_send = after_send

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.errors and not self.after_send:
            raise self.errors.pop(0)
        response = await self.inner.handle_async_request(request)
        if self.errors:
            await response.aclose()
            raise self.errors.pop(0)
        return response


async def test_backoff_never_sleeps_past_the_request_deadline() -> None:
    policy = RetryPolicy(max_attempts=10, budget=10, base_delay=0.4, max_delay=5.0)
    async with rig(retry=policy, breaker_min_calls=100) as r:
        r.emu.faults.add(FaultRule("/api/v2/persons", "http_503"))
        stats = CallStats()
        r.guard.start_deadline(stats, 1.0)
        start = r.clock.now
        with pytest.raises(UpstreamUnavailableError):
            await r.client(stats).list_persons(limit=1)
        assert r.clock.now - start < 1.0
        assert stats.backoff_seconds < 1.0


async def test_burst_pause_longer_than_the_deadline_fails_fast_as_rate_limited() -> None:
    async with rig() as r:
        r.emu.faults.add(FaultRule("/api/v2/persons", "burst_429", times=1))
        stats = CallStats()
        r.guard.start_deadline(stats, 1.0)  # the 429 asks for 2 s
        with pytest.raises(RateLimitedError) as info:
            await r.client(stats).list_persons(limit=1)
        assert info.value.extensions == {"retryAfter": 2}
        assert len(r.emu.log.entries) == 1
        assert r.clock.slept == []


async def test_queue_wait_past_the_deadline_fails_instead_of_provoking_429s() -> None:
    async with rig(rate_limit="lite", plan="lite") as r:
        stats = CallStats()
        r.guard.start_deadline(stats, 1.0)
        client = r.client(stats)
        results = await asyncio.gather(
            *(client.get_person(person_id) for person_id in range(1, 31)), return_exceptions=True
        )
        refused = [x for x in results if isinstance(x, RateLimitedError)]
        assert len(refused) == 10
        assert len(r.emu.log.entries) == 20
        assert all(e.status == 200 for e in r.emu.log.entries)


@pytest.mark.parametrize(
    "error",
    [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow"), httpx.PoolTimeout("busy")],
    ids=["connect", "connect-timeout", "pool-timeout"],
)
async def test_write_that_never_left_is_retried_and_applied_once(error: Exception) -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    flaky = FlakyTransport(httpx.ASGITransport(app=emu.app), [error], after_send=False)
    async with rig(transport=flaky) as r:
        r.emu = emu
        emu.store.subscribe(lambda action, entity, *_: r.writes.append((entity, action, 0)))
        stats = CallStats()
        person = await r.client(stats).add_person(PersonInput(name="Sent Once"))
        assert person.name == "Sent Once"
        assert r.applied("person", "create") == 1
        assert stats.retries == 1


@pytest.mark.parametrize(
    "error",
    [httpx.ReadTimeout("slow"), httpx.ReadError("reset"), httpx.RemoteProtocolError("closed")],
    ids=["read-timeout", "read-error", "protocol-error"],
)
async def test_write_whose_answer_was_lost_is_not_retried(error: Exception) -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    flaky = FlakyTransport(httpx.ASGITransport(app=emu.app), [error], after_send=True)
    async with rig(transport=flaky) as r:
        r.emu = emu
        emu.store.subscribe(lambda action, entity, *_: r.writes.append((entity, action, 0)))
        stats = CallStats()
        with pytest.raises(UpstreamUnavailableError) as info:
            await r.client(stats).add_person(PersonInput(name="Maybe"))
        assert info.value.extensions == {"writeOutcome": "unknown"}
        assert r.applied("person", "create") == 1  # it was applied: retrying would duplicate
        assert stats.retries == 0


@asynccontextmanager
async def served(emu: Emulator) -> AsyncIterator[str]:
    """The emulator on a real socket (127.0.0.1, port 0); yields its base URL."""
    config = uvicorn.Config(
        emu.app, host="127.0.0.1", port=0, log_level="critical", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    try:
        for _ in range(500):
            if server.started:
                break
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


async def test_hang_ends_by_the_httpx_read_timeout_over_a_real_socket() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True))
    emu.faults.add(FaultRule("/api/v2/persons", "hang", method="GET", times=1))
    emu.faults.add(FaultRule("/api/v2/persons", "hang", method="POST", times=1, after_apply=True))
    async with served(emu) as url:
        timeout = httpx.Timeout(5.0, read=0.3)
        async with httpx.AsyncClient(timeout=timeout) as http:
            guard = UpstreamGuard(attempt_timeout=None)
            stats = CallStats()
            client = PipedriveClient(http, Secret(TOKEN), base_url=url, stats=stats, guard=guard)
            page = await asyncio.wait_for(client.list_persons(limit=2), 5.0)
            assert len(page.items) == 2
            assert stats.retries == 1
            assert stats.calls[0].status is None
            before = emu.store.count("persons")
            with pytest.raises(UpstreamUnavailableError) as info:
                await asyncio.wait_for(client.add_person(PersonInput(name="Slow")), 5.0)
            assert info.value.extensions == {"writeOutcome": "unknown"}
            assert emu.store.count("persons") == before + 1
