"""A circuit breaker per upstream base URL: fail fast while Pipedrive is down, probe to recover."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

BreakerState = Literal["closed", "open", "half_open"]
Ticket = Literal["pass", "probe"]


class CircuitBreaker:
    """Opens after `threshold` failures in a row within `window` s; one probe after `cool_down`."""

    def __init__(
        self,
        *,
        threshold: int = 5,
        window: float = 30.0,
        cool_down: float = 15.0,
        clock: Callable[[], float],
    ) -> None:
        self.threshold = threshold
        self.window = window
        self.cool_down = cool_down
        self._clock = clock
        self._state: BreakerState = "closed"
        self._failures = 0
        self._streak_start = 0.0
        self._opened_at = 0.0
        self._probing = False

    @property
    def state(self) -> BreakerState:
        """closed, open (failing fast) or half_open (cool-down over, a probe may go)."""
        if self._state == "open" and self._clock() - self._opened_at >= self.cool_down:
            return "half_open"
        return self._state

    def is_open(self) -> bool:
        """True while calls are refused without reaching Pipedrive."""
        return self.state == "open"

    def admit(self) -> Ticket | None:
        """Let a call through ("pass"), as the one recovery probe ("probe"), or refuse (None)."""
        state = self.state
        if state == "closed":
            return "pass"
        if state == "open" or self._probing:
            return None
        self._state = "half_open"
        self._probing = True
        return "probe"

    def success(self) -> None:
        """Pipedrive answered (any status below 500): close and forget the failure streak."""
        self._state = "closed"
        self._failures = 0
        self._probing = False

    def failure(self) -> None:
        """A 5xx, transport error, timeout or broken body: count it, open at the threshold."""
        now = self._clock()
        if self._state == "open" and not self._probing:
            return  # a call sent before the circuit opened; the cool-down already runs
        if self._state == "half_open" or self._probing:
            self._open(now)
            return
        if self._failures == 0 or now - self._streak_start > self.window:
            self._failures, self._streak_start = 0, now
        self._failures += 1
        if self._failures >= self.threshold:
            self._open(now)

    def abandon(self, ticket: Ticket | None) -> None:
        """A probe ended with no verdict (cancelled, deadline): let another one try."""
        if ticket == "probe":
            self._probing = False

    def _open(self, now: float) -> None:
        self._state = "open"
        self._opened_at = now
        self._failures = 0
        self._probing = False
