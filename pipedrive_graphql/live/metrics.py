"""Live-updates series for `/metrics`, read from the replica's hub at scrape time."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from pipedrive_graphql.live.hub import LiveHub


class LiveCollector(Collector):
    """Webhooks in, events out, subscribers connected: this replica's counts since start.

    With Redis, `received`, `duplicates` and `published` count the webhooks this replica was
    handed by the load balancer; `delivered` counts what its own subscribers were sent,
    whichever replica received the webhook.
    """

    def __init__(self, hub: Callable[[], LiveHub | None]) -> None:
        self._hub = hub

    def collect(self) -> Iterable[Metric]:
        """The series; nothing before the hub exists (the app is still starting)."""
        hub = self._hub()
        if hub is None:
            return
        stats = hub.stats
        yield CounterMetricFamily(
            "pipedrive_graphql_webhooks_received",
            "Pipedrive webhooks with valid Basic auth and a v2 body, duplicates included",
            value=float(stats.received),
        )
        rejected = CounterMetricFamily(
            "pipedrive_graphql_webhooks_rejected",
            "Webhooks refused without processing: unauthorized (401, Basic auth missing or "
            "wrong), invalid (400 not a v2 webhook, 413 too large) or disconnected (the sender "
            "left before its body was complete)",
            labels=["reason"],
        )
        rejected.add_metric(["unauthorized"], float(stats.refused))
        rejected.add_metric(["invalid"], float(stats.invalid))
        rejected.add_metric(["disconnected"], float(stats.disconnected))
        yield rejected
        yield CounterMetricFamily(
            "pipedrive_graphql_webhooks_duplicates",
            "Webhooks dropped because their event id was seen before (Pipedrive's retries)",
            value=float(stats.duplicates),
        )
        yield CounterMetricFamily(
            "pipedrive_graphql_live_events_published",
            "Events this replica published to every replica (one per fresh webhook)",
            value=float(stats.published),
        )
        yield CounterMetricFamily(
            "pipedrive_graphql_live_events_delivered",
            "Events sent to this replica's subscribers (one per subscription that matched)",
            value=float(stats.delivered),
        )
        yield CounterMetricFamily(
            "pipedrive_graphql_live_events_dropped",
            "Events lost by subscribers too far behind (the oldest queued event goes first)",
            value=float(stats.dropped),
        )
        yield GaugeMetricFamily(
            "pipedrive_graphql_live_subscribers",
            "Subscriptions running on this replica (one per subscription of a connected client)",
            value=float(hub.listeners),
        )
