"""`pipedrive-graphql webhooks register | unregister` against the emulator."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from pipedrive_graphql.cli import main
from pipedrive_graphql.datasources.pipedrive.webhook_registrations import WebhookClient
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.live.registration import run
from pipedrive_graphql.settings import Secret, Settings
from tests.conftest import UPSTREAM_URL, make_settings
from tests.live.live_support import (
    HOOK_PASSWORD,
    HOOK_USER,
    TOKEN_A,
    Companies,
    graphql,
    replicas,
    subscriber,
)

PUBLIC = "https://gql.example.com/"
HOOK = "https://gql.example.com/webhooks/pipedrive"
EXPECTED = [
    ("*", "deal"),
    ("*", "person"),
    ("*", "organization"),
    ("*", "activity"),
    ("create", "note"),
    ("*", "pipeline"),
    ("*", "stage"),
    ("*", "user"),
]


def settings_for(public_url: str = PUBLIC) -> Settings:
    return make_settings(
        api_token=Secret(TOKEN_A),
        public_url=public_url,
        webhook_username=Secret(HOOK_USER),
        webhook_password=Secret(HOOK_PASSWORD),
    )


async def test_register_creates_each_pair_once_and_unregister_removes_only_ours() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True, token=TOKEN_A))
    foreign = emu.webhooks.subscribe("https://other.example.com/hook", "*", "deal")
    transport = httpx.ASGITransport(app=emu.app)

    emu.log.clear()
    created = await run("register", settings_for(), transport=transport)
    posts = emu.log.count("/api/v1/webhooks", method="POST")
    emu.log.clear()
    again = await run("register", settings_for(), transport=transport)
    posts_again = emu.log.count("/api/v1/webhooks", method="POST")
    mine = [hook for hook in emu.webhooks.subscriptions.values() if hook.id != foreign]
    removed = await run("unregister", settings_for(), transport=transport)
    await emu.webhooks.aclose()

    assert [(o.what, o.event_action, o.event_object) for o in created] == [
        ("created", action, entity) for action, entity in EXPECTED
    ]
    assert posts == len(EXPECTED)
    assert [o.what for o in again] == ["kept"] * len(EXPECTED)
    assert [o.webhook_id for o in again] == [o.webhook_id for o in created]
    assert posts_again == 0
    assert {(h.event_action, h.event_object) for h in mine} == set(EXPECTED)
    assert {h.subscription_url for h in mine} == {HOOK}
    assert {(h.http_auth_user, h.http_auth_password, h.version) for h in mine} == {
        (HOOK_USER, HOOK_PASSWORD, "2.0")
    }
    assert sorted(o.webhook_id for o in removed) == sorted(o.webhook_id for o in created)
    assert list(emu.webhooks.subscriptions) == [foreign]


async def test_registered_webhooks_reach_the_server_with_its_basic_auth() -> None:
    companies = Companies()
    async with replicas(companies, None, count=1) as (only,):
        transport = httpx.ASGITransport(app=companies.a.app)
        await run("register", settings_for(only.url), transport=transport)
        async with subscriber(only) as client:
            await client.subscribe(
                "subscription { personChanged(orgId: 14) { action person { name } } }"
            )
            await asyncio.sleep(0.1)
            rename = "mutation ($n: String) { updatePerson(personId: 1, name: $n) { id } }"
            assert "errors" not in await graphql(only, rename, {"n": "Maya K."})
            event = (await client.receive())["payload"]["data"]["personChanged"]
        await companies.a.webhooks.aclose()
    assert event == {"action": "changed", "person": {"name": "Maya K."}}


@pytest.mark.parametrize(
    ("table", "query", "path"),
    [
        ("stages", "{ stages { results { id name } } }", "/api/v2/stages"),
        ("pipelines", "{ pipelines { results { id name } } }", "/api/v2/pipelines"),
        ("users", "{ users { results { id name } } }", "/api/v1/users"),
    ],
)
async def test_a_reference_record_renamed_in_pipedrive_shows_in_the_next_query(
    table: str, query: str, path: str
) -> None:
    companies = Companies()
    emu = companies.a
    async with replicas(companies, None, count=1) as (only,):
        await run("register", settings_for(only.url), transport=httpx.ASGITransport(app=emu.app))
        before = await graphql(only, query)
        first = before["data"][table]["results"][0]
        emu.log.clear()
        cached = await graphql(only, query)  # Pipedrive is not asked again
        cached_calls = emu.log.count(path)
        emu.store.update(table, first["id"], {"name": "Renamed in Pipedrive"})  # the web app
        await emu.webhooks.drain()
        after = await graphql(only, query)
        refetched = emu.log.count(path) - cached_calls
        await emu.webhooks.aclose()
    assert (cached["data"], cached_calls) == (before["data"], 0)
    assert after["data"][table]["results"][0] == {**first, "name": "Renamed in Pipedrive"}
    assert refetched == 1


def test_register_without_public_url_or_token_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("PUBLIC_URL", "PIPEDRIVE_API_TOKEN", "WEBHOOK_USERNAME", "WEBHOOK_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    assert main(["webhooks", "register"]) == 2
    assert "a Pipedrive token is needed" in capsys.readouterr().err
    monkeypatch.setenv("PIPEDRIVE_API_TOKEN", TOKEN_A)
    assert main(["webhooks", "register"]) == 2
    assert "PUBLIC_URL" in capsys.readouterr().err
    monkeypatch.setenv("PUBLIC_URL", PUBLIC)
    assert main(["webhooks", "register"]) == 2
    error = capsys.readouterr().err
    assert "WEBHOOK_USERNAME" in error
    assert TOKEN_A not in error


async def test_webhook_calls_are_charged_what_the_spec_says() -> None:
    # v1 spec x-token-cost: getWebhooks 10, addWebhook 10, deleteWebhook 6
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True, token=TOKEN_A))
    stats = CallStats()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=emu.app)) as http:
        client = WebhookClient(http, Secret(TOKEN_A), base_url=UPSTREAM_URL, stats=stats)
        await client.list_webhooks()
        hook = await client.add_webhook(
            HOOK, "*", "deal", name="n", http_auth_user=HOOK_USER, http_auth_password=HOOK_PASSWORD
        )
        await client.delete_webhook(hook.id)
    await emu.webhooks.aclose()
    assert [(c.method, c.tokens) for c in stats.calls] == [("GET", 10), ("POST", 10), ("DELETE", 6)]
    assert [e.token_cost for e in emu.log.entries] == [10, 10, 6]  # what the emulator charged
    assert stats.tokens == 26


async def test_register_after_a_password_change_replaces_every_webhook_once() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", strict=True, token=TOKEN_A))
    transport = httpx.ASGITransport(app=emu.app)
    first = await run("register", settings_for(), transport=transport)
    changed = settings_for().model_copy(update={"webhook_password": Secret("a-new-password")})

    emu.log.clear()
    replaced = await run("register", changed, transport=transport)
    calls = [(e.method, e.path) for e in emu.log.entries]
    emu.log.clear()
    again = await run("register", changed, transport=transport)
    calls_again = [(e.method, e.path) for e in emu.log.entries]
    hooks = list(emu.webhooks.subscriptions.values())
    await emu.webhooks.aclose()

    assert [(o.what, o.event_action, o.event_object) for o in replaced] == [
        ("replaced", action, entity) for action, entity in EXPECTED
    ]
    deleted = sorted(path for method, path in calls if method == "DELETE")
    assert deleted == sorted(f"/api/v1/webhooks/{o.webhook_id}" for o in first)
    assert [method for method, _ in calls].count("POST") == len(EXPECTED)
    # Pipedrive now sends the new password with every delivery, and only that
    assert {(h.http_auth_user, h.http_auth_password) for h in hooks} == {
        (HOOK_USER, "a-new-password")
    }
    assert len(hooks) == len(EXPECTED)
    assert [o.what for o in again] == ["kept"] * len(EXPECTED)
    assert calls_again == [("GET", "/api/v1/webhooks")]  # converged: one list call
