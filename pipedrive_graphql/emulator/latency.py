"""Per-request latency: a fixed delay plus uniform jitter, read from the state on each request."""

from __future__ import annotations

import asyncio
import random
from typing import TYPE_CHECKING

from starlette.types import ASGIApp, Receive, Scope, Send

from pipedrive_graphql.emulator.faults import CONTROL_PREFIX

if TYPE_CHECKING:
    from pipedrive_graphql.emulator.state import EmulatorState


def delay_seconds(latency_ms: float, jitter_ms: float, rng: random.Random) -> float:
    """`latency_ms` plus a uniform draw from [0, `jitter_ms`], in seconds."""
    jitter = rng.uniform(0.0, jitter_ms) if jitter_ms > 0 else 0.0
    return max(0.0, latency_ms + jitter) / 1000.0


class LatencyMiddleware:
    """ASGI middleware sleeping before each API request; change `state.config` to retune."""

    def __init__(self, app: ASGIApp, state: EmulatorState, seed: int | None = None) -> None:
        """Wrap `app`; `seed` makes the jitter reproducible."""
        self.app = app
        self.state = state
        self.rng = random.Random(seed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Sleep the configured time, then pass the request on."""
        if scope["type"] == "http" and not scope["path"].startswith(CONTROL_PREFIX):
            config = self.state.config
            delay = delay_seconds(config.latency_ms, config.jitter_ms, self.rng)
            if delay > 0:
                await asyncio.sleep(delay)
        await self.app(scope, receive, send)
