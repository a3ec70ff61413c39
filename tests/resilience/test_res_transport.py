"""The upstream transports over real sockets: both pools, the same answers and the same safety.

Everything else in the suite talks to the emulator through `httpx.ASGITransport`; here the
emulator is served by uvicorn on a 127.0.0.1 port the OS picks, and the app builds its own
pooled transport (`UPSTREAM_CLIENT`: aiohttp or httpx). A dropped connection must never be
reported as "not sent": a write it hit is not retried, a read is.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from pipedrive_graphql.app import create_app, default_transport
from pipedrive_graphql.datasources.pipedrive.transport import environment_proxy, mapped_error
from pipedrive_graphql.datasources.resilience.guard import UpstreamGuard
from pipedrive_graphql.datasources.resilience.retry import transport_kind
from pipedrive_graphql.emulator import Emulator, EmulatorConfig, FaultRule
from pipedrive_graphql.settings import UPSTREAM_CLIENTS, Settings
from tests.conftest import TEST_TOKEN, GraphQLResult, make_settings

NESTED_READ = """{ person(personId: 12345) { name
  organization { name } deals { results { id title } } } }"""
CREATE_DEAL = 'mutation { createDeal(title: "Socket deal", value: 10) { id title } }'
UPDATE_NOTE = 'mutation { updateNote(noteId: 98765, content: "over a socket") { id content } }'


async def _instant(_seconds: float) -> None:
    await asyncio.sleep(0)


@pytest.fixture
async def served(upstream: Emulator) -> AsyncIterator[str]:
    """The emulator behind uvicorn on an OS-chosen loopback port; yields its base URL."""
    config = uvicorn.Config(
        upstream.app,
        host="127.0.0.1",
        port=0,
        log_level="critical",
        lifespan="off",
        timeout_graceful_shutdown=1,  # a `hang` fault's request never ends by itself
    )
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    try:
        for _ in range(500):
            if server.started:
                break
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await serving


async def _app(base_url: str, client: str) -> Starlette:
    settings = make_settings(base_url=base_url, upstream_client=client, read_timeout=0.5)
    return create_app(settings)


async def _ask(app: Starlette, query: str) -> GraphQLResult:
    async with app.router.lifespan_context(app):
        runtime = app.state.runtime
        runtime.guard = UpstreamGuard(plan="growth", attempt_timeout=2.0, sleep=_instant)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://server.test") as http:
            response = await http.post("/graphql", json={"query": query})
    body: dict[str, Any] = response.json()
    return GraphQLResult(
        response.status_code, body.get("data"), body.get("errors", []), body.get("extensions", {})
    )


@pytest.fixture
def upstream() -> Emulator:
    """A strict emulator on the demo dataset."""
    return Emulator(EmulatorConfig(dataset="demo", strict=True))


@pytest.fixture
def applied(upstream: Emulator) -> list[tuple[str, str]]:
    """Every write the emulator's store applied: (entity, action)."""
    writes: list[tuple[str, str]] = []
    upstream.store.subscribe(lambda action, entity, *_: writes.append((entity, action)))
    return writes


@pytest.mark.parametrize("client", UPSTREAM_CLIENTS)
async def test_nested_read_and_writes_over_sockets(
    served: str, upstream: Emulator, client: str
) -> None:
    app = await _app(served, client)
    result = await _ask(app, NESTED_READ)
    assert result.errors == []
    assert result.data["person"]["organization"] == {"name": "Acme Corp"}
    assert result.data["person"]["deals"]["results"]
    reads = [(e.method, e.path) for e in upstream.log.entries]
    assert ("GET", "/api/v2/persons/12345") in reads
    assert all(TEST_TOKEN not in str(e.query) for e in upstream.log.entries)  # a header only
    assert {e.credential_id for e in upstream.log.entries} != {None}

    upstream.log.clear()
    created = await _ask(app, CREATE_DEAL)
    assert created.errors == []
    assert created.data["createDeal"]["title"] == "Socket deal"
    [write] = upstream.log.entries
    assert (write.method, write.path) == ("POST", "/api/v2/deals")
    assert write.body == {"title": "Socket deal", "value": 10}


@pytest.mark.parametrize("client", UPSTREAM_CLIENTS)
async def test_a_read_cut_off_is_retried(served: str, upstream: Emulator, client: str) -> None:
    upstream.faults.add(FaultRule(path="/api/v2/organizations*", kind="reset", times=1))
    result = await _ask(await _app(served, client), NESTED_READ)
    assert result.errors == []
    assert result.data["person"]["organization"] == {"name": "Acme Corp"}
    assert result.extensions["cost"]["retries"] >= 1


@pytest.mark.parametrize("client", UPSTREAM_CLIENTS)
async def test_a_read_that_hangs_times_out_and_is_retried(
    served: str, upstream: Emulator, client: str
) -> None:
    upstream.faults.add(FaultRule(path="/api/v2/organizations*", kind="hang", times=1))
    result = await _ask(await _app(served, client), NESTED_READ)
    assert result.errors == []
    assert result.data["person"]["organization"] == {"name": "Acme Corp"}
    assert result.extensions["cost"]["retries"] >= 1


@pytest.mark.parametrize("client", UPSTREAM_CLIENTS)
@pytest.mark.parametrize(
    ("mutation", "method", "path", "entity", "action"),
    [
        (CREATE_DEAL, "POST", "/api/v2/deals", "deal", "create"),
        (UPDATE_NOTE, "PUT", "/api/v1/notes/98765", "note", "change"),
    ],
)
@pytest.mark.parametrize("after_apply", [False, True])
async def test_a_write_cut_off_is_not_retried(
    served: str,
    upstream: Emulator,
    applied: list[tuple[str, str]],
    client: str,
    mutation: str,
    method: str,
    path: str,
    entity: str,
    action: str,
    after_apply: bool,
) -> None:
    rule = FaultRule(path=path, kind="reset", method=method, times=1, after_apply=after_apply)
    upstream.faults.add(rule)
    result = await _ask(await _app(served, client), mutation)
    assert list(result.data.values()) == [None]  # nullable mutation result
    assert result.codes() == ["UPSTREAM_UNAVAILABLE"]
    assert result.errors[0]["extensions"]["writeOutcome"] == "unknown"
    assert applied.count((entity, action)) == (1 if after_apply else 0)
    assert [(e.method, e.path) for e in upstream.log.entries].count((method, path)) <= 1


@pytest.mark.parametrize("client", UPSTREAM_CLIENTS)
async def test_a_refused_connection_is_unsent_so_even_a_write_is_retried(client: str) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, never listening: connections are refused
        result = await _ask(await _app(f"http://127.0.0.1:{port}", client), CREATE_DEAL)
    assert result.codes() == ["UPSTREAM_UNAVAILABLE"]
    assert result.extensions["cost"]["retries"] >= 1  # "unsent": safe to try again
    assert "writeOutcome" not in result.errors[0]["extensions"]


class Misbehaving(asyncio.Protocol):
    """Reads each request whole, then breaks it as `behaviour` says; counts what arrived."""

    received: list[bytes]
    behaviour: str

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        self.transport = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        head, sep, rest = self.buffer.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        if not sep or len(rest) < length:
            return
        self.received.append(head.split(b"\r\n")[0])
        self.buffer = b""
        if self.behaviour == "close":  # applied, then the connection is lost before any answer
            self.transport.close()
        elif self.behaviour == "cut":  # the answer starts, then the connection is lost
            self.transport.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                b'content-length: 100\r\n\r\n{"success": true, "data": {"id'
            )
            self.transport.close()
        # "silent": never answers


@pytest.mark.parametrize("client", UPSTREAM_CLIENTS)
@pytest.mark.parametrize("behaviour", ["close", "cut", "silent"])
async def test_connection_lost_after_sending(client: str, behaviour: str) -> None:
    """A write that reached the socket is sent once and reported unknown; a read is retried."""
    received: list[bytes] = []

    def protocol() -> Misbehaving:
        made = Misbehaving()
        made.received, made.behaviour = received, behaviour
        return made

    server = await asyncio.get_running_loop().create_server(protocol, "127.0.0.1", 0)
    async with server:
        base = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        write = await _ask(await _app(base, client), CREATE_DEAL)
        writes = list(received)
        received.clear()
        read = await _ask(await _app(base, client), "{ deal(dealId: 1) { id } }")
    assert writes == [b"POST /api/v2/deals HTTP/1.1"]  # never sent twice
    assert write.codes() == ["UPSTREAM_UNAVAILABLE"]
    assert write.errors[0]["extensions"]["writeOutcome"] == "unknown"
    assert len(received) >= 2  # a read is safe to send again
    assert set(received) == {b"GET /api/v2/deals/1 HTTP/1.1"}
    assert read.codes() == ["UPSTREAM_UNAVAILABLE"]


def _key() -> aiohttp.client_reqrep.ConnectionKey:
    return aiohttp.client_reqrep.ConnectionKey("h", 1, False, True, None, None, None)


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (aiohttp.ClientConnectorError(_key(), ConnectionRefusedError(111, "refused")), "unsent"),
        (aiohttp.ConnectionTimeoutError("connect"), "unsent"),
        (aiohttp.SocketTimeoutError("read"), "timeout"),
        (aiohttp.ServerTimeoutError("timeout"), "timeout"),
        (aiohttp.ServerDisconnectedError(), "dropped"),
        (aiohttp.ClientOSError(104, "Connection reset by peer"), "dropped"),
        (aiohttp.ClientPayloadError("Response payload is not completed"), "dropped"),
        (aiohttp.ClientConnectionError("anything else"), "dropped"),
    ],
)
def test_aiohttp_errors_say_whether_the_request_was_sent(error: Exception, kind: str) -> None:
    mapped = mapped_error(error)
    assert mapped is not None
    assert transport_kind(mapped) == kind


def test_other_errors_are_not_mapped() -> None:
    assert mapped_error(ValueError("not a transport failure")) is None


class Recording(asyncio.Protocol):
    """Records each request line and answers 200 with a small Pipedrive envelope."""

    lines: list[bytes]

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.WriteTransport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.lines.append(data.split(b"\r\n")[0])
        body = b'{"success": true, "data": {"id": 1}}'
        self.transport.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            + f"content-length: {len(body)}\r\n\r\n".encode()
            + body
        )


@pytest.mark.parametrize("client", UPSTREAM_CLIENTS)
async def test_a_configured_proxy_is_used(client: str, monkeypatch: pytest.MonkeyPatch) -> None:
    lines: list[bytes] = []

    def protocol() -> Recording:
        made = Recording()
        made.lines = lines
        return made

    server = await asyncio.get_running_loop().create_server(protocol, "127.0.0.1", 0)
    async with server:
        proxy = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        for name in ("HTTP_PROXY", "http_proxy"):
            monkeypatch.setenv(name, proxy)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        upstream = "http://pipedrive.invalid"
        transport = default_transport(Settings(base_url=upstream, upstream_client=client))
        async with httpx.AsyncClient(transport=transport) as http:
            response = await http.get("http://pipedrive.invalid/api/v2/deals/1")
    assert response.json() == {"success": True, "data": {"id": 1}}
    assert lines == [b"GET http://pipedrive.invalid/api/v2/deals/1 HTTP/1.1"]


@pytest.mark.parametrize(
    ("env", "url", "expected"),
    [
        ({"HTTPS_PROXY": "http://proxy:3128"}, "https://api.pipedrive.com", "http://proxy:3128"),
        ({"HTTPS_PROXY": "http://proxy:3128"}, "http://127.0.0.1:8100", None),
        ({"ALL_PROXY": "http://proxy:3128"}, "http://127.0.0.1:8100", "http://proxy:3128"),
        (
            {"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "pipedrive.com"},
            "https://api.pipedrive.com",
            None,
        ),
        ({}, "https://api.pipedrive.com", None),
    ],
)
def test_environment_proxy_follows_the_proxy_variables(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], url: str, expected: str | None
) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert environment_proxy(url) == expected
