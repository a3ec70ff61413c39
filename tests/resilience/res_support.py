"""Helpers for resilience tests: an emulator, a guard on a fake clock, write counting."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from pipedrive_graphql.datasources.pipedrive.client import PipedriveClient
from pipedrive_graphql.datasources.resilience.guard import UpstreamGuard
from pipedrive_graphql.datasources.resilience.retry import RetryPolicy
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.settings import Secret

TOKEN = "res-test-token-0123456789abcdef"
BASE = "http://emulator"


class FakeClock:
    """Epoch-like seconds that move only when someone sleeps (shared with the emulator)."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Yield once, then move time to the end of this sleep (never backwards)."""
        target = self.now + seconds
        self.slept.append(seconds)
        await asyncio.sleep(0)
        self.now = max(self.now, target)


@dataclass
class Rig:
    """An emulator, an httpx client reaching it in process, a guard and the applied writes."""

    emu: Emulator
    http: httpx.AsyncClient
    clock: FakeClock
    guard: UpstreamGuard
    writes: list[tuple[str, str, int]] = field(default_factory=list)

    def client(self, stats: CallStats | None = None, token: str = TOKEN) -> PipedriveClient:
        """A client for one 'GraphQL request' (own stats) sharing the process-wide guard."""
        stats = stats or CallStats()
        return PipedriveClient(
            self.http, Secret(token), base_url=BASE, stats=stats, guard=self.guard
        )

    def applied(self, entity: str, action: str) -> int:
        """How many times the emulator's store applied `action` to `entity`."""
        return sum(1 for e, a, _ in self.writes if e == entity and a == action)

    def sent(self, method: str, path: str) -> int:
        """Requests the emulator received for `method path` (faulted ones included)."""
        return sum(1 for e in self.emu.log.entries if e.method == method and e.path == path)


@asynccontextmanager
async def rig(
    *,
    rate_limit: str | None = None,
    daily_token_budget: int | None = None,
    plan: str = "growth",
    retry: RetryPolicy | None = None,
    attempt_timeout: float | None = 0.2,
    breaker_min_calls: int = 5,
    transport: httpx.AsyncBaseTransport | None = None,
    latency_ms: int = 0,
) -> AsyncIterator[Rig]:
    """A strict demo emulator on a fake clock, and a guard on the same clock."""
    clock = FakeClock()
    emu = Emulator(
        EmulatorConfig(
            dataset="demo",
            strict=True,
            rate_limit=rate_limit,
            daily_token_budget=daily_token_budget,
            latency_ms=latency_ms,
        )
    )
    emu.limiter.clock = clock
    guard = UpstreamGuard(
        plan=plan,
        retry=retry,
        attempt_timeout=attempt_timeout,
        breaker_min_calls=breaker_min_calls,
        clock=clock,
        sleep=clock.sleep,
    )
    http = httpx.AsyncClient(transport=transport or httpx.ASGITransport(app=emu.app), base_url=BASE)
    state = Rig(emu, http, clock, guard)

    def listener(action: str, entity: str, entity_id: int, data: Any, previous: Any) -> None:
        state.writes.append((entity, action, entity_id))

    emu.store.subscribe(listener)
    async with http:
        yield state
