"""The uvicorn server: its options, and the connection-level limits uvicorn does not have.

uvicorn closes idle keep-alive connections (`timeout_keep_alive`) but never a connection that
is silent or slow before its headers are complete, and it accepts connections without bound
(`limit_concurrency` answers 503 only once a request's headers have arrived). Silent
connections therefore pile up until the process runs out of file descriptors and refuses
everyone. The protocol below adds a header read timeout (408, then close), a header size limit
(431, counted before httptools parses: it has none) and connection caps (a 503 with a GraphQL
error body, code `SERVER_BUSY`). The body read timeout is ASGI-level, in
`http_request.read_body`.

HTTP connections and WebSocket (subscription) connections are capped apart: uvicorn keeps both
in one set, and a thousand idle subscribers would otherwise refuse every request and health
probe. Past the HTTP cap, a small reserve of connections still serves the probes (`/healthz`,
`/readyz`, `/metrics`) so an orchestrator does not restart a process for being busy.
"""

from __future__ import annotations

import asyncio

import orjson
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from pipedrive_graphql.errors import ErrorCode
from pipedrive_graphql.settings import Settings

APP_FACTORY = "pipedrive_graphql.app:create_app"
# How long a connection refused at the cap is read (and its bytes dropped) before it is closed.
REFUSAL_LINGER_SECONDS = 1.0
# Connections past MAX_CONNECTIONS that may still carry health and metrics requests.
PROBE_RESERVE = 16
PROBE_PATHS = frozenset({b"/healthz", b"/readyz", b"/metrics"})
RETRY_AFTER_SECONDS = 1


def refusal(status: int, reason: str, code: ErrorCode, message: str) -> bytes:
    """A complete HTTP/1.1 response with a GraphQL error body that closes the connection."""
    extensions: dict[str, object] = {"code": code.value}
    retry = ""
    if code is ErrorCode.SERVER_BUSY:
        extensions["retryAfter"] = RETRY_AFTER_SECONDS
        retry = f"retry-after: {RETRY_AFTER_SECONDS}\r\n"
    body = orjson.dumps({"errors": [{"message": message, "extensions": extensions}]})
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "content-type: application/json; charset=utf-8\r\n"
        f"content-length: {len(body)}\r\n"
        f"{retry}connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """httptools' protocol with a header read timeout and a cap on open connections."""

    header_timeout: float = 10.0
    max_connections: int = 800
    max_subscription_connections: int = 1000
    max_header_bytes: int = 65_536

    _header_timer: asyncio.TimerHandle | None = None
    _header_bytes: int = 0
    _awaiting_headers: bool = True  # the next bytes belong to a request's head
    _header_tail: bytes = b""  # the end of the previous chunk, for a blank line split in two
    _field_bytes: int = 0  # the parsed request line and header fields of the current request
    _refused: bool = False
    _probes_only: bool = False  # opened past the cap, in the reserve kept for probes

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Refuse past the cap and its probe reserve; otherwise start the header clock."""
        open_http = self._count(websocket=False)
        if open_http >= self.max_connections + PROBE_RESERVE:
            self._refuse_connection(transport)
            return
        super().connection_made(transport)
        self._probes_only = open_http >= self.max_connections
        self._arm_header_timer()

    def _count(self, *, websocket: bool) -> int:
        """Open HTTP connections, or open WebSocket ones (uvicorn keeps both in one set)."""
        return sum(1 for c in self.connections if isinstance(c, HttpToolsProtocol) != websocket)

    def _refuse_connection(
        self, transport: asyncio.Transport, what: str = "connections", limit: int | None = None
    ) -> None:
        """Answer 503, then read and drop what the client sends for a moment before closing.

        Closed at once, a request still unread in the socket makes the kernel reset the
        connection, and a client that was still sending sees a broken pipe instead of the 503.
        """
        self._cancel_header_timer()
        self._refused = True
        cap = self.max_connections if limit is None else limit
        message = f"the server is at its limit of {cap} {what}"
        transport.write(refusal(503, "Service Unavailable", ErrorCode.SERVER_BUSY, message))
        transport.write_eof()
        self.loop.call_later(REFUSAL_LINGER_SECONDS, transport.close)

    def handle_websocket_upgrade(self) -> None:
        """Refuse the upgrade past MAX_SUBSCRIPTION_CONNECTIONS, before the app sees it."""
        limit = self.max_subscription_connections
        if self._count(websocket=True) >= limit:
            self._refuse_connection(self.transport, "subscription connections", limit)
            return
        super().handle_websocket_upgrade()

    def data_received(self, data: bytes) -> None:
        """Count a request's head before httptools parses it, then parse.

        httptools sets no bound on header size, and buffers one header until it is complete:
        counted after parsing, a head that ends inside the chunk that carries it (a single
        100 KB header arrives in two reads) was never counted at all.
        """
        if self._refused or (self._awaiting_headers and not self._count_head(data)):
            return
        super().data_received(data)

    def _count_head(self, data: bytes) -> bool:
        """Add the head's bytes in `data` (up to its blank line); False when it is refused."""
        seen = self._header_tail + data
        end = seen.find(b"\r\n\r\n")
        self._header_bytes += len(data) if end < 0 else end + 4 - len(self._header_tail)
        self._header_tail = seen[-3:]
        if self._header_bytes <= self.max_header_bytes:
            return True
        self._refuse_head()
        return False

    def _refuse_head(self) -> None:
        self._cancel_header_timer()
        self._refused = True
        message = f"request headers exceed {self.max_header_bytes} bytes"
        self.transport.write(
            refusal(431, "Request Header Fields Too Large", ErrorCode.BAD_USER_INPUT, message)
        )
        self.transport.close()

    def on_url(self, url: bytes) -> None:
        """Count the request line (a pipelined request's head shares a chunk with others)."""
        self._field_bytes += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        """Count each header as written (`name: value` and its line end)."""
        self._field_bytes += len(name) + len(value) + 4
        super().on_header(name, value)

    def on_message_begin(self) -> None:
        """A request's first byte: its headers must be complete within the timeout."""
        super().on_message_begin()
        self._field_bytes = 0
        self._arm_header_timer()

    def on_headers_complete(self) -> None:
        """The headers arrived in time; refused when the fields alone pass the limit."""
        self._cancel_header_timer()
        self._awaiting_headers = False
        if self._refused or self._field_bytes > self.max_header_bytes:
            if not self._refused:
                self._refuse_head()
            return
        if self._probes_only and self.url.partition(b"?")[0] not in PROBE_PATHS:
            self._refuse_connection(self.transport)
            return
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        """Drop the body of a refused request."""
        if not self._refused:
            super().on_body(body)

    def on_message_complete(self) -> None:
        """What follows on this connection is the next request's head."""
        if self._refused:
            return
        self._awaiting_headers = True
        self._header_bytes = 0
        self._header_tail = b""
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock with the connection."""
        self._cancel_header_timer()
        if self.transport is None:  # refused in connection_made: nothing was set up
            return
        super().connection_lost(exc)

    def _arm_header_timer(self) -> None:
        self._cancel_header_timer()
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _cancel_header_timer(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing():
            return
        message = f"request headers not received within {self.header_timeout:g}s"
        self.transport.write(refusal(408, "Request Timeout", ErrorCode.BAD_USER_INPUT, message))
        self.transport.close()


def guarded_protocol(settings: Settings) -> type[GuardedHttpToolsProtocol]:
    """The protocol class with this server's header timeout and connection cap."""
    return type(
        "ConfiguredHttpToolsProtocol",
        (GuardedHttpToolsProtocol,),
        {
            "header_timeout": settings.header_read_timeout,
            "max_connections": settings.max_connections,
            "max_subscription_connections": settings.max_subscription_connections,
            "max_header_bytes": settings.max_header_bytes,
        },
    )


def server_config(
    settings: Settings, host: str, port: int, app: object = APP_FACTORY
) -> uvicorn.Config:
    """uvicorn's configuration for `app` (the factory path by default) under `settings`."""
    return uvicorn.Config(
        app,  # type: ignore[arg-type]
        factory=isinstance(app, str),
        host=host,
        port=port,
        http=guarded_protocol(settings),
        timeout_keep_alive=settings.keep_alive_timeout,
        # a WebSocket message is bounded like a request body (uvicorn's default is 16 MiB,
        # buffered and parsed before anyone looks at it); past it the socket closes with 1009
        ws_max_size=settings.max_body_bytes,
        log_config=None,  # logs.configure_logging routes uvicorn's loggers already
        log_level=settings.log_level.lower(),
        access_log=False,
    )
