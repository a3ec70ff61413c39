"""A subscribe message meets the limits, policies and error codes of `POST /graphql`."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from pipedrive_graphql.emulator import FaultRule
from tests.live.live_support import (
    HOOK_PASSWORD,
    HOOK_USER,
    PROTOCOL,
    TOKEN_A,
    Companies,
    Replica,
    Subscriber,
    graphql,
    replicas,
    subscriber,
)

UPDATE = "mutation ($t: String!) { updateDeal(dealId: 1, title: $t) { id } }"


def deep(levels: int) -> str:
    """`deal { person { deals { results { ... title } } } }`, `levels` links deep."""
    inner = "title"
    for _ in range(levels):
        inner = f"person {{ deals(limit: 1) {{ results {{ {inner} }} }} }}"
    return inner


def aliased(count: int) -> str:
    """`count` aliases of the deal's person."""
    return " ".join(f"a{i}: person {{ name }}" for i in range(count))


@asynccontextmanager
async def one_replica(**overrides: Any) -> AsyncIterator[tuple[Companies, Replica]]:
    """One replica on the two-company upstream, webhooks of company A delivered to it."""
    companies = Companies()
    async with replicas(companies, None, count=1, **overrides) as (only,):
        companies.a.webhooks.subscribe(
            only.hook_url, http_auth_user=HOOK_USER, http_auth_password=HOOK_PASSWORD
        )
        try:
            yield companies, only
        finally:
            await companies.a.webhooks.aclose()


async def refusal(client: Subscriber, payload: dict[str, Any]) -> list[dict[str, Any]]:
    """Send `payload` as a subscribe message; the `error` message's errors."""
    await client.socket.send(json.dumps({"id": "x", "type": "subscribe", "payload": payload}))
    message = await client.receive()
    assert message["type"] == "error", message
    assert message["id"] == "x"
    errors: list[dict[str, Any]] = message["payload"]
    return errors


async def test_depth_aliases_and_cost_are_refused_as_over_http() -> None:
    deep_sub = f"subscription {{ dealChanged(dealId: 1) {{ deal {{ {deep(5)} }} }} }}"
    alias_sub = f"subscription {{ dealChanged(dealId: 1) {{ deal {{ {aliased(40)} }} }} }}"
    async with one_replica() as (companies, only):
        companies.a.log.clear()
        over_http = await graphql(only, f"{{ deal(dealId: 1) {{ {deep(5)} }} }}")
        async with subscriber(only) as client:
            depth = await refusal(client, {"query": deep_sub})
            aliases = await refusal(client, {"query": alias_sub})
            listeners = only.app.state.live.listeners
            await graphql(only, UPDATE, {"t": "nobody listens"})
            silent = await client.nothing_within(0.5)
        upstream = [e.path for e in companies.a.log.entries if e.method == "GET"]

    assert over_http["errors"][0]["message"] == "query exceeds the depth limit: 17 > 12"
    # one level more than the query: the event wraps the deal
    assert depth == [
        {
            "message": "query exceeds the depth limit: 18 > 12",
            "extensions": {"code": "QUERY_TOO_COMPLEX", "limit": "depth", "value": 18, "max": 12},
        }
    ]
    assert aliases[0]["message"] == "query exceeds the aliases limit: 40 > 30"
    assert aliases[0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert listeners == 0  # nothing was subscribed
    assert silent
    # the connection's identification only: no event was resolved, nothing was read for one
    assert upstream == ["/api/v1/users/me"]


async def test_the_upstream_estimate_bounds_each_event() -> None:
    # one event reads the deal, then its person and organization: 3 calls
    linked = (
        "subscription { dealChanged(dealId: 1) { deal { person { name } organization { name } } } }"
    )
    async with one_replica(max_upstream_calls=2) as (_, only), subscriber(only) as client:
        errors = await refusal(client, {"query": linked})
        await client.subscribe("subscription { dealChanged(dealId: 1) { deal { title } } }")
        await asyncio.sleep(0.1)
        await graphql(only, UPDATE, {"t": "priced"})
        event = await client.receive()
    assert errors[0]["message"] == (
        "query exceeds the upstream calls limit: 3 > 2 (largest: dealChanged.deal 1, "
        "dealChanged.deal.organization 1, dealChanged.deal.person 1)"
    )
    assert errors[0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert event["payload"]["data"] == {"dealChanged": {"deal": {"title": "priced"}}}
    # priced per event as a query is: the estimate and what the event really cost
    cost = event["payload"]["extensions"]["cost"]
    assert cost["estimate"] == {"upstreamCalls": 1, "pipedriveTokens": 1}
    assert cost["upstreamRequests"] == 1


async def test_size_and_token_limits_apply_to_the_document() -> None:
    padded = "subscription { dealChanged { id } }" + " " * 300
    many = "subscription { dealChanged { " + "id " * 40 + "} }"
    limits = {"max_body_bytes": 200, "max_query_tokens": 30}
    async with one_replica(**limits) as (_, only), subscriber(only) as client:
        size = await refusal(client, {"query": padded})
        tokens = await refusal(client, {"query": many})
        invalid = await refusal(client, {"query": "subscription { dealChanged { nope } }"})
        shape = await refusal(
            client, {"query": "subscription { dealChanged { id } }", "variables": 3}
        )
    assert size == [
        {
            "message": "the query exceeds the limit of 200 bytes (MAX_BODY_BYTES)",
            "extensions": {"code": "BAD_USER_INPUT"},
        }
    ]
    assert tokens[0]["message"] == "query exceeds the tokens limit of 30"
    assert tokens[0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert invalid[0]["extensions"] == {"code": "BAD_USER_INPUT"}
    assert "nope" in invalid[0]["message"]
    assert shape == [
        {"message": "'variables' must be a JSON object", "extensions": {"code": "BAD_USER_INPUT"}}
    ]


async def test_queries_and_mutations_are_refused_before_execution() -> None:
    async with one_replica() as (companies, only):
        companies.a.log.clear()
        async with subscriber(only) as client:
            query = await refusal(client, {"query": "{ deals(limit: 1) { results { id } } }"})
            mutation = await refusal(
                client, {"query": 'mutation { updateDeal(dealId: 1, title: "x") { id } }'}
            )
        calls = [e.path for e in companies.a.log.entries]
    expected = {
        "message": "queries and mutations go to POST /graphql; this socket carries subscriptions",
        "extensions": {"code": "BAD_USER_INPUT"},
    }
    assert query == [expected]
    assert mutation == [expected]
    assert calls == ["/api/v1/users/me"]  # the connection's identity; nothing read or written


WATCH = "subscription Watch { dealChanged(dealId: 1) { deal { title } } }"


def sha256(text: str) -> str:
    """The APQ hash of `text`."""
    return hashlib.sha256(text.encode()).hexdigest()


def by_hash(text: str) -> dict[str, Any]:
    """`extensions` naming `text` by its hash."""
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256(text)}}


@pytest.fixture
def manifest(tmp_path: Path) -> str:
    """A manifest of the watching subscription and the title update."""
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({sha256(WATCH): WATCH, sha256(UPDATE): UPDATE}))
    return str(path)


async def test_persisted_queries_only_applies_to_the_socket(manifest: str) -> None:
    unknown = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    async with one_replica(persisted_queries_only=True, persisted_queries_file=manifest) as (
        _,
        only,
    ):
        over_http = await graphql(only, "subscription { dealChanged { id } }")
        async with subscriber(only) as client:
            free_text = await refusal(client, {"query": "subscription { dealChanged { id } }"})
            schema = await refusal(client, {"query": "{ __schema { types { name } } }"})
            not_found = await refusal(client, {"extensions": unknown})
            subscribe = {"id": "k", "type": "subscribe", "payload": {"extensions": by_hash(WATCH)}}
            await client.socket.send(json.dumps(subscribe))
            await asyncio.sleep(0.1)
            async with httpx.AsyncClient(base_url=only.url) as http:
                await http.post(
                    "/graphql",
                    json={"extensions": by_hash(UPDATE), "variables": {"t": "by hash"}},
                    headers={"x-pipedrive-api-token": TOKEN_A},
                )
            event = await client.receive()
    forbidden = {
        "message": "only persisted operations are allowed on this server",
        "extensions": {"code": "FORBIDDEN"},
    }
    assert over_http["errors"] == [forbidden]
    assert free_text == [forbidden]
    assert schema == [forbidden]  # no schema through the socket either
    assert not_found[0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert event["id"] == "k"
    assert event["payload"]["data"] == {"dealChanged": {"deal": {"title": "by hash"}}}


async def test_an_apq_hash_registered_over_http_subscribes_over_the_socket() -> None:
    async with one_replica() as (_, only), subscriber(only) as client:
        unknown = await refusal(client, {"extensions": by_hash(WATCH)})
        registered = await refusal(client, {"query": WATCH, "extensions": by_hash(UPDATE)})
        await client.socket.send(
            json.dumps(
                {
                    "id": "r",
                    "type": "subscribe",
                    "payload": {"query": WATCH, "extensions": by_hash(WATCH)},
                }
            )
        )
        await client.socket.send(
            json.dumps({"id": "h", "type": "subscribe", "payload": {"extensions": by_hash(WATCH)}})
        )
        await asyncio.sleep(0.1)
        await graphql(only, UPDATE, {"t": "twice"})
        events = {(await client.receive())["id"] for _ in range(2)}
    assert unknown[0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert registered[0]["message"] == "provided sha256Hash does not match the query"
    assert events == {"r", "h"}


async def test_events_are_counted_in_metrics_like_queries() -> None:
    watch = "subscription WatchTitle { dealChanged(dealId: 1) { deal { title } } }"
    async with one_replica() as (_, only):
        async with subscriber(only) as client:
            await client.subscribe(watch)
            await asyncio.sleep(0.1)
            for title in ("one", "two"):
                await graphql(only, UPDATE, {"t": title})
                await client.receive()
        async with httpx.AsyncClient(base_url=only.url) as http:
            metrics = (await http.get("/metrics")).text
    lines = metrics.splitlines()
    assert 'pipedrive_graphql_operations_total{operation="WatchTitle",outcome="ok"} 2.0' in lines
    assert any(
        line.startswith('pipedrive_graphql_operation_seconds_count{operation_type="subscription"}')
        and line.endswith(" 2.0")
        for line in lines
    )


async def test_a_connection_runs_at_most_100_subscriptions() -> None:
    async with one_replica() as (_, only), subscriber(only) as client:
        for _ in range(100):
            await client.subscribe("subscription { dealChanged { id } }")
        errors = await refusal(client, {"query": "subscription { dealChanged { id } }"})
        running = only.app.state.live.listeners
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "100 subscriptions" in errors[0]["message"]
    assert running == 100


async def test_a_refused_credential_closes_with_its_code_and_reason() -> None:
    init = {"type": "connection_init", "payload": {"X-Pipedrive-Api-Token": "refused-token-1"}}
    async with (
        one_replica() as (_, only),
        connect(only.ws_url, subprotocols=[PROTOCOL]) as socket,
    ):
        await socket.send(json.dumps(init))
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), 5)
    frame = closed.value.rcvd
    assert frame is not None
    assert frame.code == 4403
    # what a client shows instead of retrying in silence; never the credential itself
    assert frame.reason.startswith("UNAUTHENTICATED: ")
    assert "refused-token-1" not in frame.reason


async def test_an_event_whose_reads_fail_says_so_with_a_code() -> None:
    async with one_replica() as (companies, only), subscriber(only) as client:
        await client.subscribe("subscription { dealChanged(dealId: 1) { id deal { title } } }")
        await asyncio.sleep(0.1)
        companies.a.faults.add(FaultRule("/api/v2/deals/1", "http_500", method="GET"))
        await graphql(only, UPDATE, {"t": "unreadable"})
        event = await client.receive(wait=20)
    payload = event["payload"]
    assert payload["data"] == {"dealChanged": {"id": 1, "deal": None}}
    assert [e["extensions"]["code"] for e in payload["errors"]] == ["UPSTREAM_UNAVAILABLE"]
    assert payload["errors"][0]["path"] == ["dealChanged", "deal"]
