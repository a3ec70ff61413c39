"""Live-updates counters in `/metrics`: webhooks in, events out, subscribers connected."""

from __future__ import annotations

import asyncio

import httpx

from pipedrive_graphql.datasources.state.memory import UpstreamMemory
from pipedrive_graphql.live.bus import LocalBus
from pipedrive_graphql.live.companies import Identity
from pipedrive_graphql.live.events import parse_webhook
from pipedrive_graphql.live.hub import QUEUE_SIZE, LiveHub
from pipedrive_graphql.live.metrics import LiveCollector
from tests.live.live_support import HOOK_USER, Companies, Replica, basic, replicas, subscriber
from tests.live.test_live_webhooks import COMPANY_A, GOOD, TITLES, deal_change, post

PERSONS = "subscription { personChanged { action id } }"
SERIES = (
    "pipedrive_graphql_webhooks_received_total",
    'pipedrive_graphql_webhooks_rejected_total{reason="unauthorized"}',
    'pipedrive_graphql_webhooks_rejected_total{reason="invalid"}',
    "pipedrive_graphql_webhooks_duplicates_total",
    "pipedrive_graphql_live_events_published_total",
    "pipedrive_graphql_live_events_delivered_total",
    "pipedrive_graphql_live_events_dropped_total",
    "pipedrive_graphql_live_subscribers",
)


async def live_series(replica: Replica) -> dict[str, float]:
    """The live-updates series of one replica's scrape, by name and labels."""
    async with httpx.AsyncClient() as http:
        text = (await http.get(replica.url + "/metrics")).text
    values = dict(line.rsplit(" ", 1) for line in text.splitlines() if not line.startswith("#"))
    return {name: float(values[name]) for name in SERIES}


def expected(*counts: float) -> dict[str, float]:
    return dict(zip(SERIES, counts, strict=True))


async def test_counters_follow_webhooks_and_subscribers_across_replicas(redis_url: str) -> None:
    async with replicas(Companies(), redis_url) as (first, second):
        assert await live_series(first) == expected(0, 0, 0, 0, 0, 0, 0, 0)
        async with subscriber(first) as client:
            await client.subscribe(TITLES)
            await client.subscribe(PERSONS)  # running, but no person changes
            await asyncio.sleep(0.1)
            body = deal_change(COMPANY_A)
            statuses = [
                (await post(second, body, GOOD)).status_code,
                (await post(second, body, GOOD)).status_code,  # Pipedrive's retry
                (await post(second, body, basic(HOOK_USER, "wrong"))).status_code,
                (await post(second, {"meta": {}}, GOOD)).status_code,
            ]
            event = await client.receive()
            at_first = await live_series(first)
        at_second = await live_series(second)

        async def gone() -> bool:
            return (await live_series(first))["pipedrive_graphql_live_subscribers"] == 0

        for _ in range(200):
            if await gone():
                break
            await asyncio.sleep(0.01)
        after = await live_series(first)

    assert statuses == [200, 200, 401, 400]
    assert event["payload"]["data"]["dealChanged"]["id"] == 1
    # received, 401, 400, duplicates, published, delivered, dropped, subscribers
    assert at_second == expected(2, 1, 1, 1, 1, 0, 0, 0)  # the replica the webhooks reached
    assert at_first == expected(0, 0, 0, 0, 0, 1, 0, 2)  # the one its subscriber is on
    assert after == expected(0, 0, 0, 0, 0, 1, 0, 0)  # the client left


def test_a_subscriber_too_far_behind_loses_its_oldest_events_and_they_are_counted() -> None:
    hub = LiveHub(UpstreamMemory(), LocalBus())
    collector = LiveCollector(lambda: hub)
    with hub.listen(Identity(COMPANY_A, 1), "deal") as stalled:  # nobody reads its queue
        for deal_id in range(1, QUEUE_SIZE + 4):
            hub.dispatch(parse_webhook(deal_change(COMPANY_A, deal_id)))
        queued = [stalled.queue.get_nowait().entity_id for _ in range(stalled.queue.qsize())]
        scrape = {m.name: m.samples[0].value for m in collector.collect()}
    assert queued == list(range(4, QUEUE_SIZE + 4))  # the 3 oldest went
    assert scrape["pipedrive_graphql_live_events_dropped"] == 3
    assert scrape["pipedrive_graphql_live_subscribers"] == 1
