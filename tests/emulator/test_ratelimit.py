"""Burst windows, the search cap and the daily token budget, on a fake clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.emulator.ratelimit import (
    Credential,
    RateLimiter,
    RateLimitMiddleware,
    credential_of,
)
from tests.emulator.traffic_support import Echo, FakeClock, TrafficConfig, TrafficState, as_state

TOKEN = {"x-api-token": "rate-test-token"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def state(clock: FakeClock) -> TrafficState:
    return TrafficState(config=TrafficConfig(rate_limit="lite"), limiter=RateLimiter(clock))


@pytest.fixture
async def client(state: TrafficState) -> AsyncIterator[httpx.AsyncClient]:
    app = RateLimitMiddleware(Echo().app, as_state(state))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
        yield http


async def test_burst_window_refuses_the_21st_request_with_headers(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    for sent in range(1, 21):
        response = await client.get("/api/v2/persons/1", headers=TOKEN)
        assert response.status_code == 200
        assert response.headers["x-ratelimit-limit"] == "20"
        assert response.headers["x-ratelimit-remaining"] == str(20 - sent)
        assert response.headers["x-ratelimit-reset"] == "2"
    refused = await client.get("/api/v2/persons/1", headers=TOKEN)
    assert refused.status_code == 429
    assert refused.json() == {"success": False, "error": "Request over limit", "errorCode": 429}
    assert refused.headers["retry-after"] == "2"
    assert refused.headers["x-ratelimit-remaining"] == "0"
    clock.advance(1.0)
    assert (await client.get("/api/v2/persons/1", headers=TOKEN)).status_code == 429
    clock.advance(1.01)  # the window rolls past the first 20 requests
    assert (await client.get("/api/v2/persons/1", headers=TOKEN)).status_code == 200


async def test_windows_are_per_credential_and_oauth_gets_four_times_more(
    client: httpx.AsyncClient,
) -> None:
    for _ in range(20):
        await client.get("/api/v2/deals/1", headers=TOKEN)
    other = await client.get("/api/v2/deals/1", headers={"x-api-token": "another-token"})
    assert other.status_code == 200
    bearer = await client.get("/api/v2/deals/1", headers={"authorization": "Bearer oauth-x"})
    assert bearer.headers["x-ratelimit-limit"] == "80"


async def test_search_is_capped_at_ten_per_two_seconds(
    client: httpx.AsyncClient, clock: FakeClock
) -> None:
    for _ in range(10):
        ok = await client.get("/api/v2/persons/search?term=jo", headers=TOKEN)
        assert ok.status_code == 200
        assert ok.headers["x-ratelimit-limit"] == "10"
    assert (await client.get("/api/v2/persons/search?term=jo", headers=TOKEN)).status_code == 429
    assert (await client.get("/api/v2/persons", headers=TOKEN)).status_code == 200
    clock.advance(2.5)
    assert (await client.get("/api/v2/deals/search?term=jo", headers=TOKEN)).status_code == 200


async def test_daily_budget_is_charged_by_token_cost(
    client: httpx.AsyncClient, state: TrafficState, clock: FakeClock
) -> None:
    state.config.rate_limit = None
    state.config.daily_token_budget = 25
    listed = await client.get("/api/v2/persons", headers=TOKEN)  # x-token-cost 10
    assert listed.headers["x-daily-ratelimit-token-limit"] == "25"
    assert listed.headers["x-daily-ratelimit-token-remaining"] == "15"
    got = await client.get("/api/v2/persons/1", headers=TOKEN)  # x-token-cost 1
    assert got.headers["x-daily-ratelimit-token-remaining"] == "14"
    notes = await client.get("/v1/notes", headers=TOKEN)  # x-token-cost 20: the last one served
    assert notes.status_code == 200
    assert notes.headers["x-daily-ratelimit-token-remaining"] == "0"
    refused = await client.get("/api/v2/persons/1", headers=TOKEN)
    assert refused.status_code == 429
    assert refused.json() == {
        "success": False,
        "error": "daily request budget exceeded",
        "errorCode": 429,
    }
    to_midnight = 86_400 - clock.now % 86_400
    assert int(refused.headers["retry-after"]) == pytest.approx(to_midnight, abs=1)
    clock.advance(to_midnight + 1)  # a new UTC day: a fresh budget
    assert (await client.get("/api/v2/persons/1", headers=TOKEN)).status_code == 200


async def test_reset_forgets_windows_and_budget(
    client: httpx.AsyncClient, state: TrafficState
) -> None:
    state.config.daily_token_budget = 10
    assert (await client.get("/api/v2/persons", headers=TOKEN)).status_code == 200
    assert (await client.get("/api/v2/persons", headers=TOKEN)).status_code == 429
    state.limiter.reset()
    assert (await client.get("/api/v2/persons", headers=TOKEN)).status_code == 200


async def test_off_by_default_and_control_routes_are_never_limited(state: TrafficState) -> None:
    state.config.rate_limit = None
    app = RateLimitMiddleware(Echo().app, as_state(state))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://e") as c:
        response = await c.get("/api/v2/persons", headers=TOKEN)
        assert "x-ratelimit-limit" not in response.headers
        state.config.rate_limit = "lite"
        for _ in range(30):
            assert (await c.get("/_emulator/log", headers=TOKEN)).status_code == 200


async def test_the_emulator_app_limits_real_routes_and_logs_the_cost() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo", rate_limit="lite", daily_token_budget=12))
    emu.limiter.clock = FakeClock()
    transport = httpx.ASGITransport(app=emu.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
        listed = await http.get("/api/v2/deals", headers=TOKEN)
        assert listed.status_code == 200
        assert listed.json()["success"] is True
        assert listed.headers["x-ratelimit-limit"] == "20"
        assert listed.headers["x-daily-ratelimit-token-remaining"] == "2"
        note = await http.get("/api/v1/notes/98765", headers=TOKEN)  # cost 2: the last tokens
        assert note.headers["x-daily-ratelimit-token-remaining"] == "0"
        refused = await http.get("/api/v2/persons/12345", headers=TOKEN)
        assert refused.status_code == 429
        assert refused.json()["error"] == "daily request budget exceeded"
    assert [(e.path, e.token_cost, e.status) for e in emu.log.entries] == [
        ("/api/v2/deals", 10, 200),
        ("/api/v1/notes/98765", 2, 200),
        ("/api/v2/persons/12345", 1, 429),
    ]
    emu.reset()
    assert emu.limiter.spent(credential_of_token()) == 0


def credential_of_token() -> Credential:
    """The limiter's key for TOKEN, derived the way the middleware derives it."""
    scope = {"type": "http", "headers": [(b"x-api-token", TOKEN["x-api-token"].encode())]}
    found = credential_of(scope)
    assert found is not None
    return found
