"""Each fault knob breaks requests the way the real edge does, and only where asked."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn

from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.emulator.faults import (
    EmulatedConnectionResetError,
    FaultInjector,
    FaultMiddleware,
    FaultRule,
)
from tests.emulator.traffic_support import Echo, TrafficState, as_state


@pytest.fixture
def echo() -> Echo:
    return Echo()


@pytest.fixture
def state() -> TrafficState:
    return TrafficState()


@pytest.fixture
async def client(echo: Echo, state: TrafficState) -> AsyncIterator[httpx.AsyncClient]:
    app = FaultMiddleware(echo.app, as_state(state))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
        yield http


@pytest.mark.parametrize(
    ("kind", "status", "content_type", "fragment"),
    [
        ("burst_429", 429, "application/json", '"Request over limit"'),
        ("daily_429", 429, "application/json", '"daily request budget exceeded"'),
        ("http_500", 500, "application/json", '"An internal server error occurred"'),
        ("http_502", 502, "text/html", "502 Bad Gateway"),
        ("http_503", 503, "application/json", '"success":false'),
        ("html_403", 403, "text/html", "Cloudflare"),
    ],
)
async def test_canned_faults_answer_before_the_routes(
    client: httpx.AsyncClient,
    echo: Echo,
    state: TrafficState,
    kind: str,
    status: int,
    content_type: str,
    fragment: str,
) -> None:
    state.faults.add(FaultRule("/api/v2/persons", kind))  # type: ignore[arg-type]
    response = await client.get("/api/v2/persons/5")
    assert response.status_code == status
    assert response.headers["content-type"].startswith(content_type)
    assert fragment in response.text
    assert echo.received == []
    if kind.endswith("429"):
        assert int(response.headers["retry-after"]) >= 1


async def test_rules_match_method_prefix_pattern_and_times(
    client: httpx.AsyncClient, echo: Echo, state: TrafficState
) -> None:
    state.faults.add(FaultRule("/api/v2/*/search", "http_500", method="GET", times=2))
    state.faults.add(FaultRule("/v1/notes", "http_503", method="POST"))
    assert (await client.get("/api/v2/persons/search?term=ab")).status_code == 500
    assert (await client.get("/api/v2/persons")).status_code == 200
    assert (await client.get("/api/v2/deals/search?term=ab")).status_code == 500
    assert (await client.get("/api/v2/deals/search?term=ab")).status_code == 200  # times used up
    assert (await client.get("/v1/notes")).status_code == 200  # rule is for POST only
    assert (await client.post("/v1/notes", json={})).status_code == 503
    assert [(f.kind, f.path) for f in state.faults.fired] == [
        ("http_500", "/api/v2/persons/search"),
        ("http_500", "/api/v2/deals/search"),
        ("http_503", "/v1/notes"),
    ]
    state.faults.clear()
    assert (await client.post("/v1/notes", json={})).status_code == 200
    assert state.faults.fired == []


def test_probability_is_reproducible_with_a_seed() -> None:
    def pattern() -> list[bool]:
        injector = FaultInjector()
        injector.add(FaultRule("/api", "http_500", probability=0.3, seed=42))
        return [injector.take("GET", "/api/v2/persons") is not None for _ in range(200)]

    first = pattern()
    assert first == pattern()
    assert 30 < sum(first) < 90


async def test_after_apply_runs_the_write_then_fails(
    client: httpx.AsyncClient, echo: Echo, state: TrafficState
) -> None:
    state.faults.add(FaultRule("/api/v2/persons", "http_502", after_apply=True, times=1))
    state.faults.add(FaultRule("/api/v2/deals", "http_502", times=1))
    lost = await client.post("/api/v2/persons", json={"name": "Ann"})
    assert lost.status_code == 502
    assert [r[1] for r in echo.received] == ["/api/v2/persons"]  # the write happened
    refused = await client.post("/api/v2/deals", json={"title": "T"})
    assert refused.status_code == 502
    assert [r[1] for r in echo.received] == ["/api/v2/persons"]  # this one never arrived


async def test_malformed_json_truncates_the_body(
    client: httpx.AsyncClient, echo: Echo, state: TrafficState
) -> None:
    state.faults.add(FaultRule("/api/v2/persons", "malformed_json", times=1))
    state.faults.add(FaultRule("/api/v2/deals", "malformed_json", after_apply=True, times=1))
    for url in ("/api/v2/persons", "/api/v2/deals"):
        response = await client.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        with pytest.raises(json.JSONDecodeError):
            json.loads(response.content)
    assert [r[1] for r in echo.received] == ["/api/v2/deals"]


async def test_hang_never_answers(client: httpx.AsyncClient, state: TrafficState) -> None:
    state.faults.add(FaultRule("/api/v2/persons", "hang"))
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(client.get("/api/v2/persons"), timeout=0.2)
    assert len(state.faults.fired) == 1


async def test_reset_surfaces_as_a_transport_error(
    client: httpx.AsyncClient, state: TrafficState
) -> None:
    state.faults.add(FaultRule("/api/v2/persons", "reset", times=1))
    with pytest.raises(httpx.TransportError) as caught:
        await client.get("/api/v2/persons")
    assert isinstance(caught.value, EmulatedConnectionResetError)
    assert (await client.get("/api/v2/persons")).status_code == 200


async def test_control_paths_are_never_faulted(
    client: httpx.AsyncClient, state: TrafficState
) -> None:
    state.faults.add(FaultRule("*", "http_500"))
    assert (await client.get("/_emulator/log")).status_code == 200
    assert (await client.get("/api/v2/persons")).status_code == 500


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        FaultRule("/api", "teapot")  # type: ignore[arg-type]


async def test_control_routes_drive_faults_reset_and_log_without_auth() -> None:
    emu = Emulator(EmulatorConfig(dataset="demo"))
    transport = httpx.ASGITransport(app=emu.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
        rule = {"path": "/api/v2/persons", "kind": "http_503", "method": "GET", "times": 1}
        added = await http.post("/_emulator/faults", json=rule)
        assert added.status_code == 201
        assert emu.faults.rules == [FaultRule("/api/v2/persons", "http_503", "GET", 1)]
        bad = await http.post("/_emulator/faults", json={"path": "/", "kind": "teapot"})
        assert bad.status_code == 400
        token = {"x-api-token": "control-test"}
        assert (await http.get("/api/v2/persons", headers=token)).status_code == 503
        assert (await http.get("/api/v2/persons", headers=token)).status_code == 200
        log = (await http.get("/_emulator/log?path_prefix=/api/v2")).json()["data"]
        assert [(e["path"], e["status"]) for e in log] == [
            ("/api/v2/persons", 503),
            ("/api/v2/persons", 200),
        ]
        assert "control-test" not in str(log)
        await http.post("/_emulator/faults", json={"path": "/api", "kind": "http_500"})
        cleared = await http.delete("/_emulator/faults")
        assert cleared.json()["data"] == {"cleared": 1}
        assert emu.log.count("/_emulator") == 0  # control calls are not logged
        assert (await http.post("/_emulator/reset")).status_code == 200
        assert emu.log.entries == []


async def test_reset_under_uvicorn_closes_the_connection_mid_response() -> None:
    state = TrafficState()
    state.faults.add(FaultRule("/api/v2/persons", "reset", times=1))
    app = FaultMiddleware(Echo().app, as_state(state))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="critical", lifespan="off")
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    try:
        for _ in range(500):  # up to 5 s for the socket to bind
            if server.started:
                break
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            with pytest.raises(httpx.RemoteProtocolError):
                await http.get("/api/v2/persons")
            assert (await http.get("/api/v2/persons")).status_code == 200
    finally:
        server.should_exit = True
        await serving
