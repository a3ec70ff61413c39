"""A circuit breaker for one scope of upstream calls: a failure rate over a sliding window.

Our own code rather than a library: the maintained asyncio breakers (purgatory, aiobreaker,
pybreaker) open on a count of consecutive failures, which one burst of retries or one poisoned
record can reach; this one opens on a failure *rate* over a minimum number of calls in a time
window (as resilience4j's sliding window does), counts one outcome per logical call (the caller
reports once, after its retries), and lets the next real call through as the probe as soon as
the cool-down ends. Scoping (which calls share a breaker) is the guard's job.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from typing import Literal

logger = logging.getLogger("pipedrive_graphql.upstream")

BreakerState = Literal["closed", "open", "half_open"]
Ticket = Literal["pass", "probe"]


class CircuitBreaker:
    """Opens when at least `min_calls` calls in `window` s failed at `failure_rate` or more."""

    def __init__(
        self,
        *,
        failure_rate: float = 0.5,
        min_calls: int = 5,
        window: float = 30.0,
        cool_down: float = 15.0,
        clock: Callable[[], float],
        name: str = "upstream",
    ) -> None:
        self.name = name  # for the log lines: the scope, never a credential
        self.failure_rate = failure_rate
        self.min_calls = min_calls
        self.window = window
        self.cool_down = cool_down
        self.openings = 0
        self._clock = clock
        self._outcomes: deque[tuple[float, bool]] = deque()  # (when, failed), oldest first
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> BreakerState:
        """closed, open (failing fast) or half_open (cool-down over, the next call probes)."""
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.cool_down:
            return "half_open"
        return "open"

    def is_open(self) -> bool:
        """True while calls are refused without reaching Pipedrive."""
        return self.state == "open"

    def retry_in(self) -> float:
        """Seconds until the cool-down ends (0 when calls may go)."""
        if self._opened_at is None:
            return 0.0
        return max(0.0, self._opened_at + self.cool_down - self._clock())

    def admit(self) -> Ticket | None:
        """Let a call through ("pass"), as the one recovery probe ("probe"), or refuse (None)."""
        state = self.state
        if state == "closed":
            return "pass"
        if state == "open" or self._probing:
            return None
        self._probing = True
        return "probe"

    def record(self, ticket: Ticket, *, failed: bool) -> None:
        """The outcome of one logical call (after its retries) that `admit` let through."""
        now = self._clock()
        if ticket == "probe":
            self._probing = False
            if failed:
                self._open(now)
                logger.warning(
                    "circuit breaker for %s stays open: the probe call failed; next probe in %g s",
                    self.name,
                    self.cool_down,
                )
            else:
                self._close()
                logger.info("circuit breaker for %s closed: the probe call succeeded", self.name)
            return
        if self._opened_at is not None:
            return  # sent before the circuit opened; the cool-down already runs
        self._outcomes.append((now, failed))
        self._failures += failed
        self._forget_before(now - self.window)
        calls = len(self._outcomes)
        if failed and calls >= self.min_calls and self._failures >= self.failure_rate * calls:
            logger.warning(
                "circuit breaker for %s opened: %d of %d calls failed in %g s; "
                "its calls are refused for %g s",
                self.name,
                self._failures,
                calls,
                self.window,
                self.cool_down,
            )
            self._open(now)

    def abandon(self, ticket: Ticket | None) -> None:
        """A call ended with no verdict (cancelled, deadline, one undecodable body)."""
        if ticket == "probe":
            self._probing = False

    def _forget_before(self, cutoff: float) -> None:
        while self._outcomes and self._outcomes[0][0] < cutoff:
            _, failed = self._outcomes.popleft()
            self._failures -= failed

    def _open(self, now: float) -> None:
        self._opened_at = now
        self.openings += 1
        self._outcomes.clear()
        self._failures = 0

    def _close(self) -> None:
        self._opened_at = None
        self._outcomes.clear()
        self._failures = 0
