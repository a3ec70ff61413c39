"""Real sockets under uvicorn: clients that go away, connections that are slow, silent or many."""

from __future__ import annotations

import asyncio
import time

import httpx
import orjson
import pytest

from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from tests.app.live_server import live_server
from tests.conftest import make_settings

# Three rounds one after another: deals, then their persons, then those persons' organizations.
THREE_ROUNDS = "{ deals(limit: 5) { results { person { organization { name } } } } }"
LATENCY_MS = 300


@pytest.fixture
def slow_upstream() -> Emulator:
    """The demo account answering each call after LATENCY_MS."""
    return Emulator(EmulatorConfig(dataset="demo", latency_ms=LATENCY_MS))


async def test_client_gone_cancels_pending_and_future_upstream_calls(
    slow_upstream: Emulator,
) -> None:
    async with live_server(make_settings(), slow_upstream) as (host, port):
        async with httpx.AsyncClient(timeout=httpx.Timeout(5, read=0.45)) as client:
            with pytest.raises(httpx.ReadTimeout):  # the client gives up during round two
                await client.post(f"http://{host}:{port}/graphql", json={"query": THREE_ROUNDS})
        await asyncio.sleep(3 * LATENCY_MS / 1000)  # longer than the rest of the work would take
    paths = [entry.path for entry in slow_upstream.log.entries]
    assert paths[0] == "/api/v2/deals"
    assert not any(path.startswith("/api/v2/organizations") for path in paths)
    # round two (persons) was in flight and is cut short (logged as it is abandoned)
    assert {path.rsplit("/", 1)[0] for path in paths[1:]} == {"/api/v2/persons"}
    # nothing started after the client was gone: round three (organizations) never began,
    # and round two was not retried; no wall-clock margin for a loaded machine to break
    assert len(paths) == 1 + len(set(paths[1:]))


async def test_client_gone_never_cuts_off_a_write_already_sent(slow_upstream: Emulator) -> None:
    mutation = 'mutation { createDeal(title: "Sent before the client left") { id } }'
    async with live_server(make_settings(), slow_upstream) as (host, port):
        async with httpx.AsyncClient(timeout=httpx.Timeout(5, read=0.1)) as client:
            with pytest.raises(httpx.ReadTimeout):
                await client.post(f"http://{host}:{port}/graphql", json={"query": mutation})
        await asyncio.sleep(3 * LATENCY_MS / 1000)
    writes = [e for e in slow_upstream.log.entries if e.method == "POST"]
    assert [(e.path, e.status) for e in writes] == [("/api/v2/deals", 200)]
    titles = [deal["title"] for deal in slow_upstream.store.all("deals")]
    assert titles.count("Sent before the client left") == 1


async def _read_all(reader: asyncio.StreamReader) -> bytes:
    async with asyncio.timeout(10):
        return await reader.read()


async def test_silent_and_slow_header_connections_are_timed_out() -> None:
    upstream = Emulator(EmulatorConfig(dataset="demo"))
    settings = make_settings(header_read_timeout=0.3, keep_alive_timeout=1)
    async with live_server(settings, upstream) as (host, port):
        silent_reader, silent_writer = await asyncio.open_connection(host, port)
        slow_reader, slow_writer = await asyncio.open_connection(host, port)
        slow_writer.write(b"POST /graphql HTTP/1.1\r\nhost: x\r\n")  # headers never finished
        started = time.monotonic()
        silent_answer = await _read_all(silent_reader)
        slow_answer = await _read_all(slow_reader)
        waited = time.monotonic() - started
        for writer in (silent_writer, slow_writer):
            writer.close()
    for answer in (silent_answer, slow_answer):
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 408 ")
        assert orjson.loads(body)["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert waited < 5  # closed by the server after 0.3 s, not left open
    assert upstream.log.entries == []


async def test_oversized_headers_are_refused_with_431() -> None:
    upstream = Emulator(EmulatorConfig(dataset="demo"))
    async with live_server(make_settings(max_header_bytes=4096), upstream) as (host, port):
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(b"POST /graphql HTTP/1.1\r\nhost: x\r\n")
        for i in range(100):  # 100 headers of 100 bytes, never finished
            writer.write(f"x-filler-{i:03d}: {'y' * 84}\r\n".encode())
        answer = await _read_all(reader)
        writer.close()
        async with httpx.AsyncClient() as client:  # an ordinary request is still served
            ok = await client.post(
                f"http://{host}:{port}/graphql", json={"query": "{ __typename }"}
            )
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 ")
    assert "4096 bytes" in orjson.loads(body)["errors"][0]["message"]
    assert ok.json()["data"] == {"__typename": "Query"}
    assert upstream.log.entries == []


async def _exchange(host: str, port: int, *requests: bytes) -> bytes:
    reader, writer = await asyncio.open_connection(host, port)
    for request in requests:
        writer.write(request)
    answer = await _read_all(reader)
    writer.close()
    return answer


def _post(headers: bytes, body: bytes, *, close: bool) -> bytes:
    connection = b"close" if close else b"keep-alive"
    return (
        b"POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
        + headers
        + b"connection: "
        + connection
        + b"\r\ncontent-length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )


async def test_one_large_header_is_refused_at_the_default_limit() -> None:
    # a complete head reaching the server in two reads used to finish parsing before it was
    # counted: 70 KB and 100 KB headers were served, only 130 KB ones refused
    upstream = Emulator(EmulatorConfig(dataset="demo"))
    query = b'{"query": "{ __typename }"}'
    padded = orjson.dumps({"query": "{ __typename }", "variables": {"pad": "x" * 300_000}})
    async with live_server(make_settings(), upstream) as (host, port):
        answers = [
            await _exchange(
                host, port, _post(b"x-big: " + b"y" * size + b"\r\n", query, close=True)
            )
            for size in (70_000, 100_000)
        ]
        # the second request on a kept-alive connection is counted from its own first byte
        answers.append(
            await _exchange(
                host,
                port,
                _post(b"", query, close=False),
                _post(b"x-big: " + b"y" * 70_000 + b"\r\n", query, close=True),
            )
        )
        # a small head followed by a large body in the same reads is not a large head
        body_only = await _exchange(host, port, _post(b"", padded, close=True))
    statuses = [
        [line[9:12] for line in a.split(b"\r\n") if line.startswith(b"HTTP/1.1 ")] for a in answers
    ]
    # the pipelined request before the refused one may go unanswered: the connection closes
    assert [status[-1] for status in statuses] == [b"431"] * 3
    assert all(b"request headers exceed 65536 bytes" in answer for answer in answers)
    assert body_only.startswith(b"HTTP/1.1 200 ")
    assert orjson.loads(body_only.partition(b"\r\n\r\n")[2])["data"] == {"__typename": "Query"}


async def test_slow_body_is_timed_out_with_408() -> None:
    upstream = Emulator(EmulatorConfig(dataset="demo"))
    settings = make_settings(body_read_timeout=0.3)
    async with live_server(settings, upstream) as (host, port):
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(
            b"POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
            b'content-length: 100\r\n\r\n{"query": '
        )
        answer = await _read_all(reader)
        writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 ")
    assert b"connection: close" in head.lower()  # the unread rest of the body ends the connection
    assert orjson.loads(body)["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert upstream.log.entries == []


async def test_connections_past_the_cap_are_refused_clearly() -> None:
    upstream = Emulator(EmulatorConfig(dataset="demo"))
    settings = make_settings(max_connections=3)
    async with live_server(settings, upstream) as (host, port):
        held = [await asyncio.open_connection(host, port) for _ in range(3)]
        reader, writer = await asyncio.open_connection(host, port)
        writer.write(b"GET /graphql?query={__typename} HTTP/1.1\r\nhost: x\r\n\r\n")
        refused = await _read_all(reader)
        writer.close()
        for _, held_writer in held:
            held_writer.close()
        await asyncio.sleep(0.2)  # the server sees the held connections close
        async with httpx.AsyncClient() as client:
            response = await client.post(
                f"http://{host}:{port}/graphql", json={"query": "{ __typename }"}
            )
    head, _, body = refused.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 503 ")
    error = orjson.loads(body)["errors"][0]
    assert "limit of 3 connections" in error["message"]
    # this server is busy, not Pipedrive: a code of its own, and when to try again
    assert error["extensions"] == {"code": "SERVER_BUSY", "retryAfter": 1}
    assert b"retry-after: 1" in head.lower()
    assert response.json() == {
        "data": {"__typename": "Query"},
        "extensions": response.json()["extensions"],
    }


async def test_a_request_sent_past_the_cap_reads_the_503() -> None:
    # refused and closed at once, the request still unread made the kernel reset the
    # connection: the client saw a broken pipe, not the 503
    upstream = Emulator(EmulatorConfig(dataset="demo"))
    body = orjson.dumps({"query": "{ __typename }", "variables": {"pad": "x" * 200_000}})
    async with live_server(make_settings(max_connections=3), upstream) as (host, port):
        held = [await asyncio.open_connection(host, port) for _ in range(3)]
        async with httpx.AsyncClient() as client:
            responses = [
                await client.post(
                    f"http://{host}:{port}/graphql",
                    content=body,
                    headers={"content-type": "application/json"},
                )
                for _ in range(3)
            ]
        for _, held_writer in held:
            held_writer.close()
    for response in responses:
        assert response.status_code == 503
        assert "limit of 3 connections" in response.json()["errors"][0]["message"]
    assert upstream.log.entries == []
