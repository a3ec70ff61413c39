"""Which upstream failures may be retried, and how long to back off before the next attempt.

The retry loop itself lives in `UpstreamSession._retrying` (a dozen lines) rather than on
tenacity or stamina: every decision in it is ours (retryable by method and failure kind, a
budget shared by the whole GraphQL request, the request's deadline, burst 429s waited out by the
rate governor, the breaker told once per logical call), so a library would hold only the loop.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

import httpx

from pipedrive_graphql.errors import GatewayError, UpstreamUnavailableError

# burst: a 429 of the burst window (Pipedrive refused before applying anything)
# unsent: the connection failed before the request left (connect error / timeout, pool timeout)
# timeout, dropped: the request may have been sent; server: 5xx; malformed: a body that is not JSON
# deadline: the GraphQL request's deadline cut the attempt (it may have been sent)
FailureKind = Literal["burst", "unsent", "timeout", "dropped", "server", "malformed", "deadline"]
WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})
_SAFE_FOR_WRITES: frozenset[FailureKind] = frozenset({"burst", "unsent"})
# what says Pipedrive (this part of it) is failing; a 4xx, a 429, one body that cannot be
# decoded or a call our own deadline cut says nothing about its health
OUTAGE: frozenset[FailureKind] = frozenset({"unsent", "timeout", "dropped", "server"})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retry limits: attempts per upstream call, retries and backoff per GraphQL request."""

    max_attempts: int = 4
    budget: int = 10
    base_delay: float = 0.1
    max_delay: float = 2.0
    max_total_backoff: float = 10.0
    daily_retry_after: float = 60.0  # a 429 asking to wait longer than this is the daily budget
    min_attempt_time: float = 1.0  # a retry starts only with this much left before the deadline
    malformed_attempts: int = 2  # an undecodable body is the same on every try: one more at most

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Exponential backoff with full jitter for retry number `attempt` (0-based)."""
        return rng.uniform(0.0, min(self.max_delay, self.base_delay * 2**attempt))


class AttemptFailedError(Exception):
    """One failed attempt: the error to surface if it is not retried, and why it failed."""

    def __init__(self, kind: FailureKind, error: GatewayError) -> None:
        super().__init__(error.message)
        self.kind = kind
        self.error = error


def retryable(method: str, kind: FailureKind) -> bool:
    """GET is retried on every transient failure; writes only when nothing was applied."""
    return method not in WRITES or kind in _SAFE_FOR_WRITES


def transport_kind(exc: Exception) -> FailureKind:
    """Classify a transport exception by whether the request may have reached Pipedrive."""
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return "unsent"
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return "timeout"
    return "dropped"


def unavailable(method: str, message: str, kind: FailureKind) -> UpstreamUnavailableError:
    """UPSTREAM_UNAVAILABLE; for a write that may have been sent, say its outcome is unknown."""
    if method in WRITES and kind not in _SAFE_FOR_WRITES:
        return UpstreamUnavailableError(
            f"{message}; the write may or may not have been applied",
            extensions={"writeOutcome": "unknown"},
        )
    return UpstreamUnavailableError(message)


def deadline_failure(method: str, *, sent: bool) -> AttemptFailedError:
    """The request's deadline cut an attempt (`sent`), or left no time to start one."""
    if not sent:
        message = "the request deadline left no time to call Pipedrive"
        return AttemptFailedError("deadline", UpstreamUnavailableError(message))
    message = "the request deadline passed before Pipedrive answered"
    return AttemptFailedError("deadline", unavailable(method, message, "deadline"))


def transport_failure(method: str, exc: Exception) -> AttemptFailedError:
    """The failed attempt for a transport exception, with a message that names what broke."""
    kind = transport_kind(exc)
    if kind == "timeout":
        message = "Pipedrive did not answer in time"
    elif kind == "unsent":
        message = "could not reach Pipedrive"
    else:
        message = "the connection to Pipedrive broke"
    return AttemptFailedError(kind, unavailable(method, message, kind))
