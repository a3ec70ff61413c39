"""Per GraphQL request counters of upstream work, filled by the client and the loaders."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class UpstreamCall:
    """One request sent to Pipedrive: method, path (no query, no credential), status, tokens."""

    method: str
    path: str
    status: int | None
    tokens: int


@dataclass
class CallStats:
    """Upstream requests, Pipedrive tokens, cache hits, retries and planner decisions."""

    requests: int = 0
    tokens: int = 0
    cache_hits: int = 0
    retries: int = 0
    coalesced: int = 0  # GETs answered by an identical call another request had in flight
    backoff_seconds: float = 0.0
    deadline: float | None = None  # on the guard's clock; see UpstreamGuard.start_deadline
    calls: list[UpstreamCall] = field(default_factory=list)
    plan_notes: list[str] = field(default_factory=list)

    def record_call(self, method: str, path: str, status: int | None, tokens: int) -> None:
        """Count one upstream request and the tokens it was charged."""
        self.requests += 1
        self.tokens += tokens
        self.calls.append(UpstreamCall(method, path, status, tokens))

    def note(self, text: str) -> None:
        """Remember a planner decision so it can be reported (e.g. in `extensions.cost`)."""
        self.plan_notes.append(text)

    def as_dict(self) -> dict[str, object]:
        """The counters as reported in `extensions.cost`."""
        return {
            "upstreamRequests": self.requests,
            "pipedriveTokens": self.tokens,
            "cacheHits": self.cache_hits,
            "retries": self.retries,
            "coalesced": self.coalesced,
            "plan": list(self.plan_notes),
        }
