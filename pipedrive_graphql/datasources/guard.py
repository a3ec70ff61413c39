"""UpstreamGuard: the process-wide rate governors, circuit breakers and retry policy."""

from __future__ import annotations

import asyncio
import functools
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx

from pipedrive_graphql.datasources.breaker import CircuitBreaker
from pipedrive_graphql.datasources.governor import RateGovernor, Sleep, plan_limit
from pipedrive_graphql.datasources.memory import BoundedLRU
from pipedrive_graphql.datasources.retry import RetryPolicy
from pipedrive_graphql.datasources.stats import CallStats

if TYPE_CHECKING:
    from pipedrive_graphql.datasources.upstream import Envelope


class UpstreamGuard:
    """One per process: per-credential pacing, per-upstream breakers, retry limits, clock."""

    def __init__(
        self,
        *,
        plan: str = "growth",
        retry: RetryPolicy | None = None,
        attempt_timeout: float | None = None,
        breaker_threshold: int = 5,
        breaker_window: float = 30.0,
        breaker_cool_down: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        max_credentials: int = 4096,
        coalesce: bool = True,
    ) -> None:
        """`attempt_timeout` bounds one attempt in total (httpx timeouts bound each read)."""
        self.plan = plan
        self.coalesce = coalesce
        self.retry = retry or RetryPolicy()
        self.attempt_timeout = attempt_timeout
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()
        self._breaker_args = (breaker_threshold, breaker_window, breaker_cool_down)
        self._governors: BoundedLRU[str, RateGovernor] = BoundedLRU(max_credentials)
        self._breakers: dict[str, CircuitBreaker] = {}
        # GETs in flight, by credential, URL and query: identical ones wait for the first
        self.inflight: dict[tuple[object, ...], asyncio.Future[Envelope]] = {}

    def governor(self, credential_key: str, *, oauth: bool) -> RateGovernor:
        """The pacing state of one credential (by its one-way key), created on first use."""
        governor = self._governors.get(credential_key)
        if governor is None:
            limit = plan_limit(self.plan, oauth=oauth)
            governor = RateGovernor(limit, clock=self.clock, sleep=self.sleep)
            self._governors.put(credential_key, governor)
        return governor

    def breaker(self, base_url: str) -> CircuitBreaker:
        """The circuit breaker of one upstream (scheme, host and port of `base_url`)."""
        key = _upstream_key(base_url)
        breaker = self._breakers.get(key)
        if breaker is None:
            threshold, window, cool_down = self._breaker_args
            breaker = CircuitBreaker(
                threshold=threshold, window=window, cool_down=cool_down, clock=self.clock
            )
            self._breakers[key] = breaker
        return breaker

    def breaker_open(self) -> bool:
        """True while any upstream's circuit is open (calls fail fast): `/readyz` says not ready."""
        return any(breaker.is_open() for breaker in self._breakers.values())

    def start_deadline(self, stats: CallStats, seconds: float) -> None:
        """Bound one GraphQL request: no wait or backoff is started that would end past it."""
        stats.deadline = self.clock() + seconds

    def remaining(self, stats: CallStats) -> float | None:
        """Seconds left before the request's deadline (None: no deadline)."""
        return None if stats.deadline is None else stats.deadline - self.clock()

    def snapshot(self) -> dict[str, object]:
        """Breaker states and rate-limit state per credential key (never a credential)."""
        credentials: dict[str, object] = {}
        for key in self._governors.snapshot():
            governor = self._governors.get(key)
            if governor is None:
                continue
            state = governor.state()
            credentials[key] = {
                "limit": state.limit,
                "remaining": state.remaining,
                "dailyRemaining": state.daily_remaining,
                "paused": state.paused,
                "dailyExhausted": state.daily_exhausted,
            }
        breakers = {key: breaker.state for key, breaker in self._breakers.items()}
        return {"breakers": breakers, "credentials": credentials}


@functools.lru_cache(maxsize=64)  # one per configured upstream; parsing a URL is not free
def _upstream_key(base_url: str) -> str:
    url = httpx.URL(base_url)
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{url.host}{port}"
