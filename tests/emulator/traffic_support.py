"""A minimal emulator state and echo app for testing the traffic middlewares in isolation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from pipedrive_graphql.emulator.faults import FaultInjector
from pipedrive_graphql.emulator.ratelimit import RateLimiter
from pipedrive_graphql.emulator.spec import CompactSpec, load_spec
from pipedrive_graphql.emulator.store import Store

if TYPE_CHECKING:
    from pipedrive_graphql.emulator.state import EmulatorState


class FakeClock:
    """Epoch seconds that only move when a test says so."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        """Start at `start` (a fixed instant, not midnight)."""
        self.now = start

    def __call__(self) -> float:
        """The current fake time."""
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds


@dataclass
class TrafficConfig:
    """The config fields the traffic middlewares read."""

    strict: bool = False
    rate_limit: str | None = None
    daily_token_budget: int | None = None
    latency_ms: float = 0
    jitter_ms: float = 0


@dataclass
class TrafficState:
    """The state fields the traffic middlewares read."""

    config: TrafficConfig = field(default_factory=TrafficConfig)
    spec: CompactSpec = field(default_factory=load_spec)
    store: Store = field(default_factory=Store)
    faults: FaultInjector = field(default_factory=FaultInjector)
    limiter: RateLimiter = field(default_factory=RateLimiter)


def as_state(state: TrafficState) -> EmulatorState:
    """Hand the fake to code typed against the real state."""
    return cast("EmulatorState", state)


class Echo:
    """Downstream app recording what reached it and echoing the request back."""

    def __init__(self) -> None:
        """Start with nothing received."""
        self.received: list[tuple[str, str, bytes]] = []
        routes = [
            Route("/{path:path}", self.echo, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
        ]
        self.app = Starlette(routes=routes)

    async def echo(self, request: Request) -> JSONResponse:
        """Record and echo."""
        body = await request.body()
        self.received.append((request.method, request.url.path, body))
        data: dict[str, Any] = {"path": request.url.path, "body": body.decode()}
        return JSONResponse({"success": True, "data": data})
