"""Per-credential pacing inside Pipedrive's rolling 2-second burst windows and daily budget."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from pipedrive_graphql.errors import RateLimitedError

WINDOW_SECONDS = 2.0
PLAN_BURST_LIMITS = {"lite": 20, "growth": 40, "premium": 100, "ultimate": 120}
OAUTH_MULTIPLIER = 4
SEARCH_LIMIT = 10
_POLL = 0.05  # every slot is in flight: look again soon (a slot frees when its answer arrives)
# Pipedrive counts a call when it arrives, so a call still unanswered this long after it was sent
# has been counted already and ages out of the window like any other: a hung socket does not
# hold the credential's slots.
IN_FLIGHT_HOLD = 2.0
DAILY_PROBE_INTERVAL = 60.0
# Pipedrive sends x-ratelimit-limit on every answer. An upstream that sends none after this many
# answers in a row (the emulator with limits off, a caching proxy) advertises no burst window:
# the governor then stops pacing and relies on 429 + Retry-After alone.
UNADVERTISED_AFTER = 3
Sleep = Callable[[float], Awaitable[None]]
# Walking the held slots on every call cost O(calls in the window) each: with a large (or
# unadvertised-high) limit they are counted only when they could fill it, and dropped once
# they reach twice what the last walk kept, so each call costs O(1) on average.
_PRUNE_AT_LEAST = 64


def daily_exhausted(retry_after: float) -> RateLimitedError:
    """The error of a call refused because Pipedrive's daily budget is spent."""
    return RateLimitedError(
        "Pipedrive's daily request budget is exhausted", retry_after=max(1.0, retry_after)
    )


def is_search(path: str) -> bool:
    """Search endpoints share Pipedrive's separate 10-requests-per-2-seconds cap."""
    return path.endswith("/search") or path.startswith("/itemSearch")


def phantom_expiry(reset: float, index: int, count: int) -> float:
    """Seconds until the `index`-th of `count` calls counted by others (1-based) ages out.

    `x-ratelimit-reset` is when the oldest call of the rolling window ages out; the others
    were made later, at most a window ago: spread over [reset, window], they free the window
    one by one as Pipedrive does. Taking them all to end at `reset` let every replica that
    saw a full window send a full window's worth at the same instant, into 429s.
    """
    first = min(reset, WINDOW_SECONDS)
    return first + (WINDOW_SECONDS - first) * (index - 1) / count


def plan_limit(plan: str, *, oauth: bool) -> int:
    """The burst limit a plan starts with (growth when the plan name is unknown)."""
    base = PLAN_BURST_LIMITS.get(plan, PLAN_BURST_LIMITS["growth"])
    return base * (OAUTH_MULTIPLIER if oauth else 1)


@dataclass(slots=True)
class Slot:
    """One place in the window: held while in flight, then until `window` after the answer."""

    search: bool
    expires: float = math.inf
    probe: bool = False  # the one call let through to see whether the daily budget is back
    shared_id: str | None = None  # its member in the shared window, when Redis paces


@dataclass(frozen=True, slots=True)
class GovernorState:
    """What metrics may show of one credential's pacing (no credential, only counts)."""

    limit: int
    remaining: int | None
    daily_remaining: int | None
    paused: bool
    daily_exhausted: bool
    daily_probes: int = 0


class RateGovernor:
    """Queues a credential's calls so that neither window overflows; never sends into a 429."""

    def __init__(
        self,
        limit: int,
        *,
        clock: Callable[[], float],
        sleep: Sleep,
        probe_interval: float = DAILY_PROBE_INTERVAL,
    ) -> None:
        self.limit = limit
        self.probe_interval = probe_interval
        self.search_limit = SEARCH_LIMIT
        self._clock = clock
        self._sleep = sleep
        self._slots: list[Slot] = []
        self._paused_until = 0.0
        self._daily_until = 0.0
        self._next_probe = 0.0
        self.daily_probes = 0
        self.remaining: int | None = None
        self.daily_remaining: int | None = None
        self._queues = {False: asyncio.Lock(), True: asyncio.Lock()}
        self._unadvertised = 0
        self._prune_at = _PRUNE_AT_LEAST  # expired slots are dropped when the list reaches it
        # How many processes pace this credential alone and together: each keeps to its share
        # of the windows (1 for a process alone; set while shared pacing is unavailable).
        self.share = 1

    async def acquire(self, *, search: bool, deadline: float | None) -> Slot:
        """Wait (FIFO per kind) for room in the windows; RateLimitedError if none in time."""
        async with self._queues[search]:
            return await self.acquire_here(search=search, deadline=deadline)

    async def acquire_here(self, *, search: bool, deadline: float | None) -> Slot:
        """`acquire` on this process's windows alone (the caller holds the kind's queue)."""
        while True:
            now = self._clock()
            if self._daily_until > now:
                return self._probe_or_fail(now, search)
            wait = self._wait(now, search)
            if wait <= 0:
                slot = Slot(search, now + IN_FLIGHT_HOLD + WINDOW_SECONDS)
                self._slots.append(slot)
                return slot
            self.check_deadline(now, wait, deadline)
            await self._sleep(wait)

    @staticmethod
    def check_deadline(now: float, wait: float, deadline: float | None) -> None:
        """RateLimitedError when waiting `wait` seconds would end past the request deadline."""
        if deadline is not None and now + wait > deadline:
            raise RateLimitedError(
                "Pipedrive's rate limit leaves no room before the request deadline",
                retry_after=max(1.0, wait),
            )

    def release(self, slot: Slot) -> None:
        """The answer arrived (or the call failed): the slot now ages out of the window."""
        slot.expires = min(slot.expires, self._clock() + WINDOW_SECONDS)

    def observe(self, search: bool, limit: int | None, remaining: int | None, reset: float) -> None:
        """Learn from `x-ratelimit-*`: the real limit, and traffic by others on this credential."""
        now = self._clock()
        if self._daily_until > now:
            # Pipedrive answered while the budget was thought spent (the probe, or a call sent
            # before): it is back. A daily 429 re-exhausts it right after, in the same step.
            self._daily_until = 0.0
        self._unadvertised = 0 if limit is not None else self._unadvertised + 1
        if limit is not None and not search:
            self.limit = limit
        if remaining is None:
            return
        self.remaining = remaining
        if remaining >= (self.search_limit if search else self.limit):
            return  # more left than the window holds: nobody else is using it up
        active = self._active(now, search)
        local_left = self._own(self.search_limit if search else self.limit) - active
        extra = max(0, local_left - remaining)
        for index in range(1, extra + 1):
            self._slots.append(Slot(search, now + phantom_expiry(reset, index, extra)))

    def pause(self, seconds: float) -> None:
        """A burst 429: send nothing for this credential for `seconds`."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def exhaust_daily(self, seconds: float) -> None:
        """The daily budget is spent: fail fast for `seconds` without calling Pipedrive."""
        now = self._clock()
        self._daily_until = max(self._daily_until, now + seconds)
        self._next_probe = now + self.probe_interval
        self.daily_remaining = 0

    def state(self) -> GovernorState:
        """A snapshot for metrics."""
        now = self._clock()
        return GovernorState(
            limit=self.limit,
            remaining=self.remaining,
            daily_remaining=self.daily_remaining,
            paused=self._paused_until > now,
            daily_exhausted=self._daily_until > now,
            daily_probes=self.daily_probes,
        )

    def _probe_or_fail(self, now: float, search: bool) -> Slot:
        """While the budget is out: one real call per `probe_interval`, the rest fail fast."""
        if now < self._next_probe:
            raise daily_exhausted(min(self._daily_until, self._next_probe) - now)
        self._next_probe = now + self.probe_interval
        self.daily_probes += 1
        slot = Slot(search, now + IN_FLIGHT_HOLD + WINDOW_SECONDS, probe=True)
        self._slots.append(slot)
        return slot

    def _active(self, now: float, search: bool) -> int:
        self._slots = [s for s in self._slots if s.expires > now]
        self._prune_at = max(_PRUNE_AT_LEAST, 2 * len(self._slots))
        return sum(1 for s in self._slots if s.search or not search)

    @property
    def pacing(self) -> bool:
        """False once the upstream has shown it advertises no burst window."""
        return self._unadvertised < UNADVERTISED_AFTER

    def _wait(self, now: float, search: bool) -> float:
        if self._paused_until > now:
            return self._paused_until - now
        if not self.pacing:
            return 0.0
        waits = [self._room_in(now, False, self._own(self.limit))]
        if search:
            waits.append(self._room_in(now, True, self._own(self.search_limit)))
        return max(waits)

    def _own(self, limit: int) -> int:
        return max(1, limit // self.share)

    def _room_in(self, now: float, search: bool, limit: int) -> float:
        held = len(self._slots)
        if held < limit and held < self._prune_at:
            return 0.0  # fewer slots held than the limit, expired or not: room (no walk)
        active = self._active(now, search)
        if active < limit:
            return 0.0
        expiries = sorted(s.expires for s in self._slots if s.search or not search)
        earliest = expiries[active - limit]
        return _POLL if math.isinf(earliest) else max(earliest - now, 1e-3)
