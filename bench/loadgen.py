"""A light HTTP/1.1 load generator: keep-alive connections on raw asyncio protocols.

Each connection sends one pre-encoded request at a time and parses only the status line,
`content-length` and (for GraphQL error counting) bodies that contain `"errors"`. Its own CPU
time is measured, so a report can show that it was not the bottleneck.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

import orjson

from bench.stats import percentile


def encode_post(
    host: str, port: int, path: str, payload: object, headers: dict[str, str] | None = None
) -> bytes:
    """One `POST path` with a JSON body, as raw bytes ready to write on a socket."""
    body = orjson.dumps(payload)
    lines = [
        f"POST {path} HTTP/1.1",
        f"host: {host}:{port}",
        "content-type: application/json",
        "accept: application/json",
        f"content-length: {len(body)}",
        *(f"{name}: {value}" for name, value in (headers or {}).items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class _Connection(asyncio.Protocol):
    """One keep-alive connection with at most one request in flight."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._waiter: asyncio.Future[tuple[int, bytes]] | None = None
        self._transport: asyncio.Transport | None = None
        self._head_end = -1
        self._body_end = -1
        self._status = 0
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(ConnectionError("server closed the connection"))

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if self._head_end < 0:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self._buffer[:end]).decode("latin-1").lower()
            self._status = int(head[9:12])
            start = head.find("content-length:")
            if start < 0:
                self._fail(ValueError("response without content-length"))
                return
            stop = head.find("\r\n", start)
            length = int(head[start + 15 : stop if stop >= 0 else None])
            self._head_end = end + 4
            self._body_end = self._head_end + length
        if len(self._buffer) >= self._body_end:
            body = bytes(self._buffer[self._head_end : self._body_end])
            del self._buffer[: self._body_end]
            self._head_end = self._body_end = -1
            if self._waiter is not None and not self._waiter.done():
                self._waiter.set_result((self._status, body))

    def _fail(self, exc: Exception) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(exc)

    async def send(self, raw: bytes) -> tuple[int, bytes]:
        """Write one request and wait for its whole response."""
        assert self._transport is not None
        self._waiter = asyncio.get_running_loop().create_future()
        self._transport.write(raw)
        return await self._waiter

    def close(self) -> None:
        """Close the socket."""
        if self._transport is not None:
            self._transport.close()


@dataclass
class LoadResult:
    """What one load run measured."""

    concurrency: int
    elapsed: float
    latencies: list[float] = field(default_factory=list)
    http_errors: int = 0
    graphql_errors: int = 0
    error_codes: Counter[str] = field(default_factory=Counter)  # responses carrying each code
    error_entries: int = 0  # error objects across all responses
    client_cpu: float = 0.0
    connection_errors: int = 0

    @property
    def requests(self) -> int:
        """Completed requests (any status)."""
        return len(self.latencies)

    @property
    def rps(self) -> float:
        """Completed requests per second."""
        return self.requests / self.elapsed if self.elapsed else 0.0

    @property
    def client_cpu_share(self) -> float:
        """Fraction of one core the generator itself used during the run."""
        return self.client_cpu / self.elapsed if self.elapsed else 0.0

    def ms(self, q: float) -> float:
        """Latency percentile `q` (0-100) in milliseconds."""
        return percentile(self.latencies, q) * 1000


def _count_errors(result: LoadResult, status: int, body: bytes) -> None:
    if status >= 400:
        result.http_errors += 1
    if b'"errors"' not in body:
        return
    result.graphql_errors += 1
    try:
        errors = orjson.loads(body).get("errors") or []
    except orjson.JSONDecodeError:
        result.error_codes["<invalid JSON>"] += 1
        return
    result.error_entries += len(errors)
    codes = {str(((e or {}).get("extensions") or {}).get("code", "<no code>")) for e in errors}
    result.error_codes.update(codes)


async def _worker(
    host: str,
    port: int,
    raw: bytes,
    deadline: float,
    result: LoadResult,
    limit: int | None,
    pace: float,
) -> None:
    loop = asyncio.get_running_loop()
    _, conn = await loop.create_connection(_Connection, host, port)
    clock = time.perf_counter
    try:
        while clock() < deadline and (limit is None or result.requests < limit):
            started = clock()
            try:
                status, body = await conn.send(raw)
            except (ConnectionError, ValueError):
                result.connection_errors += 1
                conn.close()
                try:
                    _, conn = await loop.create_connection(_Connection, host, port)
                except OSError:
                    return  # the server is gone: this client stops, the error is counted
                continue
            result.latencies.append(clock() - started)
            if status != 200 or b'"errors"' in body:
                _count_errors(result, status, body)
            if pace:
                await asyncio.sleep(max(0.0, started + pace - clock()))
    finally:
        conn.close()


async def run_load(
    host: str,
    port: int,
    raw: bytes,
    concurrency: int,
    duration: float,
    max_requests: int | None = None,
    pace: float = 0.0,
) -> LoadResult:
    """Drive `concurrency` connections for `duration` seconds (or `max_requests` in all).

    `pace`: least seconds between the starts of one connection's requests (0: back to back).
    """
    result = LoadResult(concurrency=concurrency, elapsed=0.0)
    cpu0, started = time.process_time(), time.perf_counter()
    deadline = started + duration
    await asyncio.gather(
        *(
            _worker(host, port, raw, deadline, result, max_requests, pace)
            for _ in range(concurrency)
        )
    )
    result.elapsed = time.perf_counter() - started
    result.client_cpu = time.process_time() - cpu0
    return result


def load(
    host: str,
    port: int,
    raw: bytes,
    concurrency: int,
    duration: float,
    max_requests: int | None = None,
    pace: float = 0.0,
) -> LoadResult:
    """Synchronous wrapper around `run_load` (a fresh event loop per run)."""
    return asyncio.run(run_load(host, port, raw, concurrency, duration, max_requests, pace))
