"""Prometheus metrics on a per-app registry, updated once per GraphQL request from its stats."""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import NamedTuple

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.live.hub import LiveHub
from pipedrive_graphql.live.metrics import LiveCollector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
MAX_OPERATION_NAMES = 200
MAX_CREDENTIAL_SERIES = 20
_ID_SEGMENT = re.compile(r"/\d+(?=/|$)")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_BREAKER_STATES = ("closed", "half_open", "open")
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


@lru_cache(maxsize=4096)
def path_template(path: str) -> str:
    """`/api/v2/persons/123/deals` → `/api/v2/persons/{id}/deals`: ids never become labels."""
    return _ID_SEGMENT.sub("/{id}", path)


class GuardCollector(Collector):
    """Reads the upstream guard's snapshot at scrape time: breaker state, rate-limit remaining.

    The snapshot is `{"breakers": {scope: state}, "breakerOpenings": {scope: n}, "credentials":
    {key: {"remaining": n, "dailyRemaining": m, ...}}}` (see `UpstreamGuard.snapshot`); a scope
    is `upstream version family access` (no credential); keys are hashes, never tokens.
    """

    def __init__(self, snapshot: Callable[[], object | None]) -> None:
        self._snapshot = snapshot

    def collect(self) -> Iterable[Metric]:
        """Gauges from the snapshot; nothing when no guard is installed."""
        snap = self._snapshot()
        if not isinstance(snap, Mapping):
            return
        breakers = snap.get("breakers")
        if isinstance(breakers, Mapping):
            gauge = GaugeMetricFamily(
                "pipedrive_graphql_upstream_breaker_state",
                "Circuit breakers per scope (open when any credential's is): 1 for that state",
                labels=["scope", "state"],
            )
            for scope, state in breakers.items():
                for name in _BREAKER_STATES:
                    gauge.add_metric([str(scope), name], 1.0 if state == name else 0.0)
            yield gauge
        openings = snap.get("breakerOpenings")
        if isinstance(openings, Mapping):
            counter = CounterMetricFamily(
                "pipedrive_graphql_upstream_breaker_openings",
                "Times a circuit breaker of this scope opened (any credential)",
                labels=["scope"],
            )
            for scope, count in openings.items():
                if isinstance(count, int):
                    counter.add_metric([str(scope)], float(count))
            yield counter
        credentials = snap.get("credentials")
        if isinstance(credentials, Mapping):
            yield from _rate_gauges(credentials)
        shared = snap.get("redis")
        if isinstance(shared, Mapping):
            yield from _redis_gauges(shared)


def _redis_gauges(shared: Mapping[object, object]) -> Iterable[Metric]:
    connected = GaugeMetricFamily(
        "pipedrive_graphql_redis_connected",
        "1 while shared state is on Redis, 0 while this replica works alone (or has no Redis)",
    )
    connected.add_metric([], 1.0 if shared.get("connected") else 0.0)
    yield connected
    outages = shared.get("outages")
    if isinstance(outages, int):
        yield CounterMetricFamily(
            "pipedrive_graphql_redis_outages",
            "Times this replica lost Redis and fell back to in-process state",
            value=float(outages),
        )


def _rate_gauges(credentials: Mapping[object, object]) -> Iterable[Metric]:
    """Per-credential series for the `MAX_CREDENTIAL_SERIES` credentials nearest their limits.

    An operator acts on the credentials about to be throttled; ten thousand series of healthy
    ones made a 366 kB scrape. The rest are folded into `credential_key="other"` (the lowest
    remaining values among them, exhausted when any is, their probes summed), and
    `pipedrive_graphql_credentials_tracked` counts them all.
    """
    rows: list[_Row] = []
    for key, state in credentials.items():
        if not isinstance(state, Mapping):
            continue
        remaining, left = state.get("remaining"), state.get("dailyRemaining")
        probes = state.get("dailyProbes")
        rows.append(
            _Row(
                float(left) if isinstance(left, int | float) else math.inf,
                float(remaining) if isinstance(remaining, int | float) else math.inf,
                str(key)[:16],
                bool(state.get("dailyExhausted")),
                probes if isinstance(probes, int) else 0,
            )
        )
    shown = heapq.nsmallest(MAX_CREDENTIAL_SERIES, rows)  # lowest daily budget, then burst
    if len(rows) > MAX_CREDENTIAL_SERIES:
        keys = {row.label for row in shown}
        others = [row for row in rows if row.label not in keys]
        shown.append(
            _Row(
                min(row.daily for row in others),
                min(row.burst for row in others),
                "other",
                any(row.exhausted for row in others),
                sum(row.probes for row in others),
            )
        )
    families: dict[str, GaugeMetricFamily | CounterMetricFamily] = {
        "burst": GaugeMetricFamily(
            "pipedrive_graphql_rate_limit_remaining",
            "Requests left in Pipedrive's burst window, per credential key (a hash); the "
            "credentials nearest their limits, the others as `other` (their lowest value)",
            labels=["credential_key"],
        ),
        "daily": GaugeMetricFamily(
            "pipedrive_graphql_daily_tokens_remaining",
            "Pipedrive API tokens left today, per credential key (a hash); the credentials "
            "nearest their limits, the others as `other` (their lowest value)",
            labels=["credential_key"],
        ),
        "exhausted": GaugeMetricFamily(
            "pipedrive_graphql_daily_budget_exhausted",
            "1 while Pipedrive says the daily budget is spent (calls fail fast; one probe a "
            "minute)",
            labels=["credential_key"],
        ),
        "probes": CounterMetricFamily(
            "pipedrive_graphql_daily_budget_probes",
            "Real calls let through to see whether an exhausted daily budget is back",
            labels=["credential_key"],
        ),
    }
    for row in shown:
        if row.burst != math.inf:
            families["burst"].add_metric([row.label], row.burst)
        if row.daily != math.inf:
            families["daily"].add_metric([row.label], row.daily)
        families["exhausted"].add_metric([row.label], 1.0 if row.exhausted else 0.0)
        families["probes"].add_metric([row.label], float(row.probes))
    yield from families.values()
    yield GaugeMetricFamily(
        "pipedrive_graphql_credentials_tracked",
        "Credentials whose rate-limit state this process holds",
        value=float(len(rows)),
    )


class _Row(NamedTuple):
    daily: float
    burst: float
    label: str
    exhausted: bool
    probes: int


class Metrics:
    """The server's metrics; `observe` is the only per-request entry point."""

    def __init__(
        self,
        snapshot: Callable[[], object | None] | None = None,
        live: Callable[[], LiveHub | None] | None = None,
    ) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.operations = Counter(
            "pipedrive_graphql_operations",
            "GraphQL operations by operation name and outcome (ok or the first error code)",
            ["operation", "outcome"],
            registry=r,
        )
        self.latency = Histogram(
            "pipedrive_graphql_operation_seconds",
            "GraphQL request latency, from the request body to the response",
            ["operation_type"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.upstream = Counter(
            "pipedrive_graphql_upstream_requests",
            "Requests sent to Pipedrive by method, path template and HTTP status",
            ["method", "endpoint", "status"],
            registry=r,
        )
        self.tokens = Counter(
            "pipedrive_graphql_pipedrive_tokens", "Pipedrive API tokens spent", registry=r
        )
        self.cache_hits = Counter(
            "pipedrive_graphql_cache_hits", "Upstream calls saved by the caches", registry=r
        )
        self.retries = Counter(
            "pipedrive_graphql_upstream_retries", "Upstream calls retried", registry=r
        )
        if snapshot is not None:
            r.register(GuardCollector(snapshot))
        if live is not None:
            r.register(LiveCollector(live))
        self._names: set[str] = set()
        # Label children cached by label values: `.labels()` takes a lock and builds a key.
        self._op_children: dict[tuple[str, str], Counter] = {}
        self._latency_children: dict[str, Histogram] = {}

    def operation_label(self, name: str | None) -> str:
        """A bounded label: anonymous, the name, or `other` past the cardinality cap."""
        if not name:
            return "anonymous"
        if name in self._names:
            return name
        if len(self._names) >= MAX_OPERATION_NAMES or not _NAME.fullmatch(name):
            return "other"
        self._names.add(name)
        return name

    def observe(
        self,
        operation: str | None,
        operation_type: str,
        outcome: str,
        seconds: float,
        stats: CallStats | None,
    ) -> None:
        """Record one GraphQL request and the upstream work it caused."""
        key = (self.operation_label(operation), outcome)
        counter = self._op_children.get(key)
        if counter is None:
            counter = self._op_children[key] = self.operations.labels(*key)
        counter.inc()
        histogram = self._latency_children.get(operation_type)
        if histogram is None:
            histogram = self._latency_children[operation_type] = self.latency.labels(operation_type)
        histogram.observe(seconds)
        if stats is None:
            return
        for call in stats.calls:
            status = str(call.status) if call.status is not None else "error"
            self.upstream.labels(call.method, path_template(call.path), status).inc()
        if stats.tokens:
            self.tokens.inc(stats.tokens)
        if stats.cache_hits:
            self.cache_hits.inc(stats.cache_hits)
        if stats.retries:
            self.retries.inc(stats.retries)

    def render(self) -> bytes:
        """The exposition text for a scrape."""
        return generate_latest(self.registry)
