"""UpstreamGuard: the process-wide rate governors, circuit breakers and retry policy.

Breakers are scoped so that one failing part of Pipedrive does not stop the others: one breaker
per upstream, API version (v1 and v2 are separate services on Pipedrive's side), endpoint family
(`persons`, `notes`, ...), reads or writes, and credential (one company's failing account must
not refuse another's calls). A real outage fails every scope, so every scope that is used opens.
"""

from __future__ import annotations

import asyncio
import functools
import random
import time
from collections.abc import Callable
from typing import Any

import httpx

from pipedrive_graphql.datasources.resilience.breaker import BreakerState, CircuitBreaker
from pipedrive_graphql.datasources.resilience.governor import (
    DAILY_PROBE_INTERVAL,
    RateGovernor,
    Sleep,
    plan_limit,
)
from pipedrive_graphql.datasources.resilience.incidents import IncidentLog
from pipedrive_graphql.datasources.resilience.retry import RetryPolicy
from pipedrive_graphql.datasources.resilience.shared_governor import SharedRateGovernor
from pipedrive_graphql.datasources.state.memory import BoundedLRU
from pipedrive_graphql.datasources.state.redis_link import RedisLink
from pipedrive_graphql.datasources.state.stats import CallStats


class UpstreamGuard:
    """One per process: per-credential pacing, per-upstream breakers, retry limits, clock."""

    def __init__(
        self,
        *,
        plan: str = "growth",
        retry: RetryPolicy | None = None,
        attempt_timeout: float | None = None,
        breaker_failure_rate: float = 0.5,
        breaker_min_calls: int = 5,
        breaker_window: float = 30.0,
        breaker_cool_down: float = 15.0,
        deadline_margin: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
        max_credentials: int = 4096,
        coalesce: bool = True,
        link: RedisLink | None = None,
        daily_probe_interval: float = DAILY_PROBE_INTERVAL,
    ) -> None:
        """`attempt_timeout` bounds one attempt in total (httpx timeouts bound each read).

        `deadline_margin` (a fraction of the request deadline, at most 0.5 s) is kept free at the
        end of each request: upstream calls stop then, so the answer carries what resolved
        before the request's own deadline cuts everything.
        """
        self.plan = plan
        self.coalesce = coalesce
        self.retry = retry or RetryPolicy()
        self.attempt_timeout = attempt_timeout
        self.clock = clock
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.deadline_margin = deadline_margin
        self._breaker_args = (
            breaker_failure_rate,
            breaker_min_calls,
            breaker_window,
            breaker_cool_down,
        )
        self._governors: BoundedLRU[str, RateGovernor] = BoundedLRU(max_credentials)
        # closed breakers of idle scopes are cheap to forget: they hold only recent outcomes
        self._breakers: BoundedLRU[BreakerScope, CircuitBreaker] = BoundedLRU(max_credentials * 8)
        self.breaker_openings: dict[str, int] = {}
        # with Redis, one governor per credential for all replicas (see shared_governor)
        self.link = link
        self.daily_probe_interval = daily_probe_interval
        # called with the credential key after every write sent to Pipedrive
        self.write_listeners: list[Callable[[str], None]] = []
        self.incidents = IncidentLog()  # why Pipedrive cannot be reached, logged once
        # GETs in flight, by credential, URL and query: identical ones wait for the first. The
        # futures carry the client's answer envelopes; the client types them where it reads them.
        self.inflight: dict[tuple[object, ...], asyncio.Future[Any]] = {}

    def governor(self, credential_key: str, *, oauth: bool) -> RateGovernor:
        """The pacing state of one credential (by its one-way key), created on first use."""
        governor = self._governors.get(credential_key)
        if governor is None:
            limit = plan_limit(self.plan, oauth=oauth)
            governor = self._new_governor(credential_key, limit)
            self._governors.put(credential_key, governor)
        return governor

    def _new_governor(self, credential_key: str, limit: int) -> RateGovernor:
        if self.link is None:
            return RateGovernor(
                limit, clock=self.clock, sleep=self.sleep, probe_interval=self.daily_probe_interval
            )
        return SharedRateGovernor(
            limit,
            link=self.link,
            credential_key=credential_key,
            clock=self.clock,
            sleep=self.sleep,
            probe_interval=self.daily_probe_interval,
        )

    def wrote(self, credential_key: str) -> None:
        """A write was sent for this credential: whatever remembers offsets drops them."""
        for listener in self.write_listeners:
            listener(credential_key)

    def breaker(self, scope: BreakerScope) -> CircuitBreaker:
        """The circuit breaker of one scope (see `breaker_scope`), created on first use."""
        breaker = self._breakers.get(scope)
        if breaker is None:
            rate, min_calls, window, cool_down = self._breaker_args
            breaker = CircuitBreaker(
                failure_rate=rate,
                min_calls=min_calls,
                window=window,
                cool_down=cool_down,
                clock=self.clock,
                name=f"{scope_label(scope)} (credential {scope[4]})",
            )
            self._breakers.put(scope, breaker)
        return breaker

    def opened(self, scope: BreakerScope) -> None:
        """Count one opening of a breaker, by its scope without the credential (for /metrics)."""
        label = scope_label(scope)
        self.breaker_openings[label] = self.breaker_openings.get(label, 0) + 1

    def breaker_open(self) -> bool:
        """True when Pipedrive looks down as a whole: every breaker is open (none closed).

        One endpoint family or one credential failing is not a reason for `/readyz` to take
        the replica out of service; every scope in use failing is.
        """
        states = [self._breakers.get(scope) for scope in self._breakers.snapshot()]
        live = [breaker.state for breaker in states if breaker is not None]
        return bool(live) and all(state == "open" for state in live)

    def start_deadline(self, stats: CallStats, seconds: float) -> None:
        """Bound one GraphQL request: no wait, backoff or call runs past it (minus the margin)."""
        stats.deadline = self.clock() + seconds - min(0.5, seconds * self.deadline_margin)

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
                "dailyProbes": state.daily_probes,
            }
        return {
            "breakers": self._breaker_states(),
            "breakerOpenings": dict(self.breaker_openings),
            "credentials": credentials,
            "redis": {"configured": False} if self.link is None else self.link.state(),
        }

    def _breaker_states(self) -> dict[str, BreakerState]:
        """Per scope without the credential: open if any credential's is, else half or closed."""
        states: dict[str, BreakerState] = {}
        for scope in self._breakers.snapshot():
            breaker = self._breakers.get(scope)
            if breaker is None:
                continue
            label, state = scope_label(scope), breaker.state
            if label not in states or _SEVERITY[state] > _SEVERITY[states[label]]:
                states[label] = state
        return states


# upstream (scheme://host[:port]), API version, endpoint family, "read"/"write", credential key
BreakerScope = tuple[str, str, str, str, str]
_SEVERITY: dict[BreakerState, int] = {"closed": 0, "half_open": 1, "open": 2}


def breaker_scope(base_url: str, method: str, path: str, credential_key: str) -> BreakerScope:
    """The scope of a call to `path` (`/api/v2/persons/1` -> v2, persons) with `method`."""
    parts = path.split("/", 4)  # '', 'api', 'v2', 'persons', rest
    version = parts[2] if len(parts) > 2 else ""
    family = parts[3] if len(parts) > 3 else ""
    access = "read" if method == "GET" else "write"
    return (_upstream_key(base_url), version, family, access, credential_key)


def scope_label(scope: BreakerScope) -> str:
    """`http://host v2 persons read`: a scope without its credential (a bounded label)."""
    return " ".join(scope[:4])


@functools.lru_cache(maxsize=64)  # one per configured upstream; parsing a URL is not free
def _upstream_key(base_url: str) -> str:
    url = httpx.URL(base_url)
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{url.host}{port}"
