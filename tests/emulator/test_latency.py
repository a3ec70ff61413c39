"""Latency: fixed delay plus jitter, retunable at run time."""

from __future__ import annotations

import random
import time

import httpx

from pipedrive_graphql.emulator.latency import LatencyMiddleware, delay_seconds
from tests.emulator.traffic_support import Echo, TrafficConfig, TrafficState, as_state


def test_delay_is_fixed_plus_uniform_jitter() -> None:
    rng = random.Random(7)
    draws = [delay_seconds(20, 10, rng) for _ in range(200)]
    assert min(draws) >= 0.020
    assert max(draws) <= 0.030
    assert len(set(draws)) > 100
    assert delay_seconds(0, 0, rng) == 0.0


async def test_requests_wait_the_configured_time_and_changes_apply_at_once() -> None:
    state = TrafficState(config=TrafficConfig(latency_ms=60))
    app = LatencyMiddleware(Echo().app, as_state(state))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://e") as c:
        started = time.perf_counter()
        await c.get("/api/v2/persons")
        slow = time.perf_counter() - started
        state.config.latency_ms = 0
        started = time.perf_counter()
        await c.get("/api/v2/persons")
        fast = time.perf_counter() - started
    assert slow >= 0.06
    assert fast < 0.05
