"""Subscriptions end to end: two replicas on one real Redis, the emulator's v2 webhooks."""

from __future__ import annotations

import asyncio

from tests.live.live_support import (
    HOOK_PASSWORD,
    HOOK_USER,
    Companies,
    graphql,
    replicas,
    subscriber,
)

DEAL_CHANGED = """
subscription ($pipelineId: Int) {
  dealChanged(pipelineId: $pipelineId) {
    action changedFields previous occurredAt id
    deal { id title value person { id name } organization { name } stage { name } }
  }
}
"""
UPDATE_DEAL = """
mutation ($id: Int!, $title: String!) { updateDeal(dealId: $id, title: $title) { id title } }
"""


async def test_a_mutation_through_one_replica_reaches_a_subscriber_of_the_other(
    redis_url: str,
) -> None:
    companies = Companies()
    async with replicas(companies, redis_url) as (first, second):
        # Pipedrive delivers to whichever replica the load balancer picks: here the second
        companies.a.webhooks.subscribe(
            second.hook_url, http_auth_user=HOOK_USER, http_auth_password=HOOK_PASSWORD
        )
        async with subscriber(first) as client:
            await client.subscribe(DEAL_CHANGED, {"pipelineId": 1})
            await asyncio.sleep(0.1)  # the subscription registers before the write
            companies.a.log.clear()
            changed = await graphql(second, UPDATE_DEAL, {"id": 1, "title": "Renewal 2026"})
            assert changed["data"] == {"updateDeal": {"id": 1, "title": "Renewal 2026"}}
            message = await client.receive()
        await companies.a.webhooks.drain()
        await companies.a.webhooks.aclose()

    assert message["type"] == "next"
    event = message["payload"]["data"]["dealChanged"]
    assert event["action"] == "changed"
    assert event["changedFields"] == ["title", "update_time"]
    assert event["previous"]["title"] == "Onboarding #1"
    assert event["id"] == 1
    assert event["occurredAt"].endswith("Z")
    assert event["deal"] == {
        "id": 1,
        "title": "Renewal 2026",
        "value": 21600.0,
        "person": {"id": 14, "name": event["deal"]["person"]["name"]},
        "organization": {"name": event["deal"]["organization"]["name"]},
        "stage": {"name": event["deal"]["stage"]["name"]},
    }
    person = companies.a.store.get("persons", 14)
    assert person is not None
    assert event["deal"]["person"]["name"] == person["name"]
