"""PipedriveClient: auth headers, paths and params, token counting, error mapping."""

from __future__ import annotations

import httpx
import pytest

from pipedrive_graphql.datasources.pipedrive.client import PipedriveClient
from pipedrive_graphql.datasources.pipedrive.inputs import NoteInput, PersonInput
from pipedrive_graphql.datasources.pipedrive.records import LabeledValue
from pipedrive_graphql.datasources.resilience.guard import UpstreamGuard
from pipedrive_graphql.datasources.resilience.retry import RetryPolicy
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.errors import (
    BadUserInputError,
    ForbiddenError,
    GatewayError,
    NotFoundError,
    RateLimitedError,
    UnauthenticatedError,
    UpstreamUnavailableError,
)
from pipedrive_graphql.settings import Secret

from .ds_support import TOKEN, upstream

SECRET = "super-secret-token-value"


async def test_reads_send_the_header_and_count_the_emulators_token_costs() -> None:
    async with upstream("demo") as up:
        stats = CallStats()
        client = up.client(stats=stats)
        await client.get_person(12345)
        await client.list_deals({"person_id": 12345}, limit=10)
        await client.list_pipelines()
        await client.list_stages(1)
        await client.get_note(98765)
        await client.list_users()
        await client.get_mail_message(11111)
        await client.list_mail_messages("deal", 54321)
        await client.search_persons("john@acme.com", limit=10)
        entries = up.emu.log.entries
        assert [e.status for e in entries] == [200] * 9
        assert stats.requests == len(entries) == 9
        assert stats.tokens == sum(e.token_cost for e in entries)
        assert [c.tokens for c in stats.calls] == [e.token_cost for e in entries]
        assert all(TOKEN not in str(e.query) and "api_token" not in e.query for e in entries)
        assert entries[1].path == "/api/v2/deals"
        assert entries[1].query == {"person_id": "12345", "limit": "10"}
        assert entries[4].path == "/api/v1/notes/98765"


async def test_writes_send_only_the_fields_given() -> None:
    async with upstream("demo") as up:
        client = up.client()
        phone = (LabeledValue("+1-555-123-4567", True, None),)
        person = await client.update_person(12345, PersonInput(phones=phone, org_id=67890))
        note = await client.add_note(
            NoteInput(content="hi", deal_id=54321, pinned_to_deal_flag=True)
        )
        patch, post = up.emu.log.entries
        assert (patch.method, patch.path) == ("PATCH", "/api/v2/persons/12345")
        assert patch.body == {
            "phones": [{"value": "+1-555-123-4567", "primary": True}],
            "org_id": 67890,
        }
        assert post.body == {"content": "hi", "deal_id": 54321, "pinned_to_deal_flag": 1}
        assert person.phone == "+1-555-123-4567"
        assert note.pinned_to_deal_flag is True


async def test_emulator_401_and_404_map_to_contract_errors() -> None:
    async with upstream("demo") as up:
        with pytest.raises(NotFoundError):
            await up.client().get_deal(424242)
    emu = Emulator(EmulatorConfig(dataset="empty", token="only-this-one"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=emu.app)) as http:
        client = PipedriveClient(http, Secret(SECRET), base_url="http://e", stats=CallStats())
        with pytest.raises(UnauthenticatedError) as info:
            await client.list_pipelines()
        assert SECRET not in str(info.value)


def _mock(status: int, body: bytes, headers: dict[str, str] | None = None) -> PipedriveClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers=headers or {})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return PipedriveClient(
        http, Secret(SECRET), base_url="http://p", stats=CallStats(), guard=_single_attempt()
    )


def _single_attempt() -> UpstreamGuard:
    """A guard that never retries: these tests map one upstream answer to one error."""
    return UpstreamGuard(retry=RetryPolicy(max_attempts=1))


@pytest.mark.parametrize(
    ("status", "body", "headers", "error", "message"),
    [
        (401, b'{"success":false,"error":"unauthorized access"}', {}, UnauthenticatedError, None),
        (403, b"<html>Attention Required! | Cloudflare</html>", {}, ForbiddenError, None),
        (403, b'{"success":false,"error":"Scope and URL mismatch"}', {}, ForbiddenError, "Scope"),
        (404, b'{"success":false,"error":"Entity was not found"}', {}, NotFoundError, "Entity"),
        (400, b'{"success":false,"error":"Name must be given."}', {}, BadUserInputError, "Name"),
        (422, b'{"success":false,"error":"limit reached"}', {}, BadUserInputError, "limit"),
        (429, b'{"success":false,"error":"x"}', {"retry-after": "7"}, RateLimitedError, None),
        (500, b'{"success":false,"error":"internal"}', {}, UpstreamUnavailableError, None),
        (502, b"<html>bad gateway</html>", {}, UpstreamUnavailableError, None),
        (200, b"{not json", {}, UpstreamUnavailableError, None),
    ],
)
async def test_error_mapping(
    status: int,
    body: bytes,
    headers: dict[str, str],
    error: type[GatewayError],
    message: str | None,
) -> None:
    client = _mock(status, body, headers)
    with pytest.raises(error) as info:
        await client.get_person(1)
    assert SECRET not in info.value.message
    if message is not None:
        assert message in info.value.message
    assert client.stats.requests == 1


async def test_rate_limit_falls_back_to_ratelimit_reset() -> None:
    client = _mock(429, b"{}", {"x-ratelimit-reset": "2"})
    with pytest.raises(RateLimitedError) as info:
        await client.list_persons()
    assert info.value.retry_after == 2.0
    assert info.value.extensions == {"retryAfter": 2}


async def test_upstream_message_never_echoes_the_credential() -> None:
    client = _mock(400, b'{"success":false,"error":"bad token super-secret-token-value"}')
    with pytest.raises(BadUserInputError) as info:
        await client.get_deal(1)
    assert SECRET not in info.value.message


@pytest.mark.parametrize(
    "exc", [httpx.ConnectError("refused"), httpx.ReadTimeout("slow")], ids=["connect", "timeout"]
)
async def test_transport_failures_are_upstream_unavailable(exc: Exception) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    stats = CallStats()
    client = PipedriveClient(
        http, Secret(SECRET), base_url="http://p", stats=stats, guard=_single_attempt()
    )
    with pytest.raises(UpstreamUnavailableError):
        await client.get_person(1)
    with pytest.raises(UpstreamUnavailableError) as info:
        await client.add_person(PersonInput(name="x"))
    # a refused connection never carried the write; a read timeout may have
    unsent = isinstance(exc, httpx.ConnectError)
    assert info.value.extensions == ({} if unsent else {"writeOutcome": "unknown"})


async def test_bearer_mode_sends_authorization_header() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"success": True, "data": []})

    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    client = PipedriveClient(
        http, Secret(SECRET), base_url="http://p", stats=CallStats(), auth_scheme="bearer"
    )
    await client.list_users()
    assert seen[0].headers["authorization"] == f"Bearer {SECRET}"
    assert "x-api-token" not in seen[0].headers
    assert SECRET not in str(seen[0].url)
    assert seen[0].url.path == "/api/v1/users"
