"""Events carry fresh records with batched links; caches go stale on every replica; refusals."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from pipedrive_graphql.app import create_app
from pipedrive_graphql.datasources.pipedrive.upstream import credential_key
from pipedrive_graphql.settings import Secret, Settings
from tests.live.live_support import (
    HOOK_PASSWORD,
    HOOK_USER,
    PROTOCOL,
    TOKEN_A,
    Companies,
    Replica,
    graphql,
    replicas,
    serve,
    subscriber,
)

DEAL = """
subscription { dealChanged(dealId: 1) {
  action deal { title person { name } organization { name } owner { name } } } }
"""
UPDATE = "mutation ($t: String!) { updateDeal(dealId: 1, title: $t) { id } }"
NOTE_ADDED = """
subscription { noteAdded(dealId: 1) { action note { content deal { title } } } }
"""


async def test_each_event_reads_its_record_afresh_and_batches_the_links() -> None:
    companies = Companies()
    async with replicas(companies, None, count=1) as (only,):
        companies.a.webhooks.subscribe(
            only.hook_url, http_auth_user=HOOK_USER, http_auth_password=HOOK_PASSWORD
        )
        async with subscriber(only) as client:
            await client.subscribe(DEAL)
            await asyncio.sleep(0.1)
            events, reads = [], []
            for title in ("First title", "Second title"):
                companies.a.log.clear()
                await graphql(only, UPDATE, {"t": title})
                events.append((await client.receive())["payload"]["data"]["dealChanged"])
                reads.append(sorted(e.path for e in companies.a.log.entries if e.method == "GET"))
        await companies.a.webhooks.aclose()

    assert [e["deal"]["title"] for e in events] == ["First title", "Second title"]
    assert events[0]["deal"]["person"] == events[1]["deal"]["person"]
    assert events[0]["deal"]["person"]["name"]
    # one call per record: the deal, then its person, organization and owner side by side
    # (one id each: a single GET is the cheaper plan); the owner is cached across requests,
    # the deal and its links never: the second event reads them again
    assert reads[0] == [
        "/api/v1/users/4",
        "/api/v2/deals/1",
        "/api/v2/organizations/27",
        "/api/v2/persons/14",
    ]
    assert reads[1] == ["/api/v2/deals/1", "/api/v2/organizations/27", "/api/v2/persons/14"]


async def test_note_added_sends_only_added_notes_of_the_deal() -> None:
    companies = Companies()
    async with replicas(companies, None, count=1) as (only,):
        companies.a.webhooks.subscribe(
            only.hook_url, http_auth_user=HOOK_USER, http_auth_password=HOOK_PASSWORD
        )
        async with subscriber(only) as client:
            await client.subscribe(NOTE_ADDED)
            await asyncio.sleep(0.1)
            create = (
                "mutation ($c: String!, $d: Int) { createNote(content: $c, dealId: $d) { id } }"
            )
            await graphql(only, create, {"c": "elsewhere", "d": 2})
            created = await graphql(only, create, {"c": "call back", "d": 1})
            note_id = created["data"]["createNote"]["id"]
            event = (await client.receive())["payload"]["data"]["noteAdded"]
            edit = (
                "mutation ($id: Int!, $c: String) { updateNote(noteId: $id, content: $c) { id } }"
            )
            await graphql(only, edit, {"id": note_id, "c": "edited"})
            silent = await client.nothing_within(0.5)
        await companies.a.webhooks.aclose()

    assert event == {
        "action": "added",
        "note": {"content": "call back", "deal": {"title": "Onboarding #1"}},
    }
    assert silent  # the edit is a change, not an added note


async def test_a_webhook_drops_cached_cursors_on_every_replica(redis_url: str) -> None:
    companies = Companies()
    key = credential_key(Secret(TOKEN_A))
    async with replicas(companies, redis_url) as (first, second):
        memory = first.app.state.runtime.memory

        def cached() -> list[object]:
            return [scope for scope in memory.cursors.snapshot() if scope[0] == key]

        walk = "query ($s: Int) { deals(start: $s, limit: 5) { results { id } } }"
        await graphql(first, walk, {"s": 0})
        await graphql(first, walk, {"s": 5})
        assert cached()  # the walk remembered where its second page starts
        companies.a.webhooks.subscribe(
            second.hook_url, http_auth_user=HOOK_USER, http_auth_password=HOOK_PASSWORD
        )
        await graphql(second, UPDATE, {"t": "moved"})  # a write on the other replica
        await companies.a.webhooks.drain()
        for _ in range(100):
            if not cached():
                break
            await asyncio.sleep(0.02)
        left = cached()
        invalidated = first.app.state.live.stats.invalidated
        await companies.a.webhooks.aclose()
    assert left == []
    assert invalidated >= 1


async def test_a_credential_pipedrive_refuses_cannot_subscribe() -> None:
    init = {"type": "connection_init", "payload": {"X-Pipedrive-Api-Token": "nope"}}
    async with (
        replicas(Companies(), None, count=1) as (only,),
        connect(only.ws_url, subprotocols=[PROTOCOL]) as socket,
    ):
        await socket.send(json.dumps(init))
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 5)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403


async def test_a_subscription_sent_over_http_is_refused_with_a_code() -> None:
    async with replicas(Companies(), None, count=1) as (only,):
        body = await graphql(only, "subscription { dealChanged { id } }")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "WebSocket" in body["errors"][0]["message"]


async def test_the_embedded_emulator_delivers_its_webhooks_to_the_server() -> None:
    app = create_app(Settings())  # no token, no base URL: the embedded emulator
    async with serve(app) as port:
        replica = Replica(port, app)
        async with subscriber(replica) as client:
            await client.subscribe(DEAL)
            await asyncio.sleep(0.1)
            async with httpx.AsyncClient(base_url=replica.url) as http:
                answer = await http.post(
                    "/graphql", json={"query": UPDATE, "variables": {"t": "From tab one"}}
                )
            assert answer.status_code == 200
            event = (await client.receive())["payload"]["data"]["dealChanged"]
    assert event["action"] == "changed"
    assert event["deal"]["title"] == "From tab one"
