"""The emulator's configuration and the shared state every middleware and route reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .datasets import Dataset
from .log import RequestLog
from .spec import CompactSpec
from .store import Store

if TYPE_CHECKING:
    from .faults import FaultInjector
    from .ratelimit import RateLimiter
    from .webhooks import WebhookDispatcher


@dataclass
class EmulatorConfig:
    """Knobs of one emulator; the middlewares read them on every request, so tests may retune."""

    dataset: str | Dataset = "demo"
    token: str | None = None
    strict: bool = False
    rate_limit: str | None = None
    daily_token_budget: int | None = None
    latency_ms: float = 0
    jitter_ms: float = 0


@dataclass
class EmulatorState:
    """Config, store, request log, spec, and the traffic knobs (faults, limiter, webhooks)."""

    config: EmulatorConfig
    store: Store
    log: RequestLog
    spec: CompactSpec
    faults: FaultInjector
    limiter: RateLimiter
    webhooks: WebhookDispatcher
