"""An operator is told: why Pipedrive cannot be reached, retries, breaker changes, a bad token.

The unreachable upstreams are real sockets on 127.0.0.1: a closed port (refused), a plain-HTTP
listener reached with https (TLS), a listener that never answers (timeout).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import ssl
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from pipedrive_graphql.app import create_app
from pipedrive_graphql.datasources.resilience.breaker import CircuitBreaker
from pipedrive_graphql.datasources.resilience.incidents import failure_cause
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.logs import JsonFormatter, RequestIdFilter
from pipedrive_graphql.settings import Secret, Settings
from pipedrive_graphql.startup_check import check_server_credential
from tests.production.server_process import REPO, cli_command, embedded_env, free_port, running

TOKEN = "operator-secret-token-1234"
QUERY = "{ person(personId: 12345) { id name } }"
UPSTREAM = "pipedrive_graphql.upstream"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # closed again: connecting is refused


@contextlib.asynccontextmanager
async def listener(reply: bytes | None) -> AsyncIterator[int]:
    """A loopback TCP server that writes `reply` and closes, or (None) never answers."""
    held: list[asyncio.StreamWriter] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if reply is None:
            held.append(writer)
            return
        await reader.read(1024)
        writer.write(reply)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


@contextlib.asynccontextmanager
async def server(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app: Starlette = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://server.test") as client:
            yield client


def unreachable(base_url: str, client: str) -> Settings:
    return Settings(
        api_token=Secret(TOKEN),
        base_url=base_url,
        upstream_client=client,
        connect_timeout=0.5,
        read_timeout=0.5,
        request_deadline=4.0,
        retry_max_attempts=3,
        retry_min_time=0.1,
    )


@pytest.fixture
def logged(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Capture everything, stamped with the request id the way the server's handler does."""
    caplog.set_level(logging.DEBUG)
    caplog.handler.addFilter(RequestIdFilter())
    return caplog


def warnings_about_reaching(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        r
        for r in caplog.records
        if r.name == UPSTREAM and r.levelno == logging.WARNING and "cannot be reached" in r.msg
    ]


def assert_no_credential(caplog: pytest.LogCaptureFixture) -> None:
    formatter = JsonFormatter()
    for record in caplog.records:
        assert TOKEN not in formatter.format(record)


@pytest.mark.parametrize("client", ["aiohttp", "httpx"])
async def test_connection_refused_is_logged_once_per_incident_with_the_request_id(
    client: str, logged: pytest.LogCaptureFixture
) -> None:
    base = f"http://127.0.0.1:{closed_port()}"
    async with server(unreachable(base, client)) as http:
        first = await http.post("/graphql", json={"query": QUERY}, headers={"X-Request-Id": "r-1"})
        second = await http.post("/graphql", json={"query": QUERY}, headers={"X-Request-Id": "r-2"})
    assert first.json()["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert second.json()["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    [warning] = warnings_about_reaching(logged)  # six failed attempts, one incident
    assert warning.getMessage() == (
        f"Pipedrive at {base} cannot be reached: connection refused (GET /api/v2/persons/12345)"
    )
    assert warning.request_id == "r-1"  # type: ignore[attr-defined]
    retries = [r for r in logged.records if r.getMessage().startswith("retrying GET")]
    assert [r.request_id for r in retries] == ["r-1", "r-1", "r-2", "r-2"]  # type: ignore[attr-defined]
    assert "(attempt 2 of 3)" in retries[0].getMessage()
    assert_no_credential(logged)


async def test_tls_failure_and_timeout_are_named(logged: pytest.LogCaptureFixture) -> None:
    plain = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n"
    async with (
        listener(plain) as port,
        server(unreachable(f"https://127.0.0.1:{port}", "aiohttp")) as http,
    ):
        await http.post("/graphql", json={"query": QUERY})
    async with (
        listener(None) as port,
        server(unreachable(f"http://127.0.0.1:{port}", "httpx")) as http,
    ):
        await http.post("/graphql", json={"query": QUERY})
    causes = [r.cause for r in warnings_about_reaching(logged)]  # type: ignore[attr-defined]
    assert causes == ["TLS handshake failed", "read timeout"]
    assert_no_credential(logged)


def caused_by(cause: BaseException) -> httpx.ConnectError:
    """A ConnectError raised `from cause`, as the transports raise them."""
    error = httpx.ConnectError(str(cause))
    error.__cause__ = cause
    return error


def test_dns_and_certificate_failures_are_named_from_the_exception_chain() -> None:
    dns = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    assert failure_cause(caused_by(dns)) == "DNS lookup failed"
    certificate = ssl.SSLCertVerificationError("certificate verify failed")
    assert failure_cause(caused_by(certificate)) == "TLS handshake failed"
    assert failure_cause(caused_by(ConnectionRefusedError(111, "refused"))) == "connection refused"


async def test_the_incident_ends_with_one_line_when_pipedrive_answers_again(
    logged: pytest.LogCaptureFixture,
) -> None:
    emulator = Emulator(EmulatorConfig(dataset="demo"))
    reachable = True

    async def flaky(request: httpx.Request) -> httpx.Response:
        if not reachable:
            raise httpx.ConnectError("[Errno 111] Connection refused")
        return await httpx.ASGITransport(app=emulator.app).handle_async_request(request)

    settings = unreachable("http://pipedrive.test", "httpx")
    app = create_app(settings, upstream_transport=httpx.MockTransport(flaky))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://s") as http,
    ):
        reachable = False
        await http.post("/graphql", json={"query": QUERY})
        reachable = True
        answer = await http.post("/graphql", json={"query": QUERY})
    assert answer.json()["data"]["person"]["name"] == "John Doe"
    lines = [
        r.getMessage() for r in logged.records if r.name == UPSTREAM and r.levelno >= logging.INFO
    ]
    assert [line for line in lines if not line.startswith("retrying")] == [
        "Pipedrive at http://pipedrive.test cannot be reached: connect failed "
        "(GET /api/v2/persons/12345)",
        "Pipedrive at http://pipedrive.test answers again after 3 failed attempt(s) "
        "(connect failed)",
    ]


def test_breaker_openings_and_closings_are_logged(logged: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    breaker = CircuitBreaker(
        min_calls=4,
        window=30.0,
        cool_down=15.0,
        clock=lambda: now[0],
        name="http://p v2 notes read",
    )
    for failed in (False, True, True, True):
        ticket = breaker.admit()
        assert ticket is not None
        breaker.record(ticket, failed=failed)
    now[0] = 16.0
    probe = breaker.admit()
    assert probe == "probe"
    breaker.record(probe, failed=True)
    now[0] = 32.0
    probe = breaker.admit()
    assert probe == "probe"
    breaker.record(probe, failed=False)
    lines = [(r.levelname, r.getMessage()) for r in logged.records if r.name == UPSTREAM]
    assert lines == [
        (
            "WARNING",
            "circuit breaker for http://p v2 notes read opened: 3 of 4 calls failed in 30 s; "
            "its calls are refused for 15 s",
        ),
        (
            "WARNING",
            "circuit breaker for http://p v2 notes read stays open: the probe call failed; "
            "next probe in 15 s",
        ),
        ("INFO", "circuit breaker for http://p v2 notes read closed: the probe call succeeded"),
    ]


async def test_a_wrong_server_token_is_logged_at_start_and_makes_readyz_not_ready(
    logged: pytest.LogCaptureFixture,
) -> None:
    emulator = Emulator(EmulatorConfig(dataset="demo", token="the-right-token"))
    settings = Settings(api_token=Secret(TOKEN), base_url="http://pipedrive.test")
    app = create_app(
        settings,
        upstream_transport=httpx.ASGITransport(app=emulator.app),
        check_credential=True,
    )
    async with app.router.lifespan_context(app):
        assert await check_server_credential(app.state.runtime) is False
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://s"
        ) as http:
            ready = await http.get("/readyz")
    assert ready.status_code == 503
    body = ready.json()
    assert {k: body[k] for k in ("status", "detail", "code", "reason")} == {
        "status": "unavailable",
        "detail": "PIPEDRIVE_API_TOKEN was refused: Pipedrive refused the credential",
        "code": "UNAUTHENTICATED",
        "reason": "credential_refused",
    }
    errors = [r.getMessage() for r in logged.records if r.levelno == logging.ERROR]
    assert errors[0] == (
        "Pipedrive at http://pipedrive.test refused PIPEDRIVE_API_TOKEN (UNAUTHENTICATED): "
        "requests without their own credential will fail until the token is fixed"
    )
    assert TOKEN not in ready.text
    assert_no_credential(logged)


def test_serve_without_a_token_says_first_that_it_serves_demo_data(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    with running(cli_command(port), port, embedded_env(LOG_FORMAT="text"), stderr_path=log):
        pass
    first = log.read_text().splitlines()[:3]
    assert first == [
        "WARNING pipedrive_graphql: DEMO DATA: no PIPEDRIVE_API_TOKEN is set, so "
        "pipedrive-graphql serves the 'demo' dataset of its embedded Pipedrive emulator, "
        "not a real account",
        "WARNING pipedrive_graphql: to use your Pipedrive account: PIPEDRIVE_API_TOKEN=your-token "
        "PIPEDRIVE_BASE_URL=https://yourcompany.pipedrive.com pipedrive-graphql serve",
        f"WARNING pipedrive_graphql: GraphiQL at http://127.0.0.1:{port}/graphql",
    ]
    serve_recipe = (REPO / "Makefile").read_text().split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert "pipedrive-graphql serve" in serve_recipe  # `make serve` is this command


def test_serve_checks_its_token_at_start_against_a_real_listener(tmp_path: Path) -> None:
    emulator_port, port = free_port(), free_port()
    emulator = subprocess.Popen(
        [*cli_command(emulator_port)[:1], "emulator", "--port", str(emulator_port)],
        env={**embedded_env(), "EMULATOR_TOKEN": "the-right-token"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        upstream = f"http://127.0.0.1:{emulator_port}"
        wait_for(f"{upstream}/api/v1/users/me")
        env = embedded_env(PIPEDRIVE_API_TOKEN=TOKEN, PIPEDRIVE_BASE_URL=upstream)
        log = tmp_path / "serve.log"
        with running(cli_command(port), port, env, stderr_path=log) as base:
            ready = httpx.get(f"{base}/readyz", timeout=10)
            wait_for_line(log, "refused PIPEDRIVE_API_TOKEN")
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    assert ready.status_code == 503
    assert ready.json()["reason"] == "credential_refused"
    records = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    [refused] = [r for r in records if "refused PIPEDRIVE_API_TOKEN" in r["message"]]
    assert refused["level"] == "ERROR"
    assert TOKEN not in log.read_text()
    assert TOKEN not in ready.text


def wait_for(url: str, timeout: float = 20.0) -> None:
    """Until something answers HTTP at `url`."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def wait_for_line(log: Path, text: str, timeout: float = 20.0) -> None:
    """Until `text` appears in the log file (the start-up check runs in the background)."""
    deadline = time.monotonic() + timeout
    while text not in log.read_text():
        assert time.monotonic() < deadline, f"no log line with {text!r}"
        time.sleep(0.1)
