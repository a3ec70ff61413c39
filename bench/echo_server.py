"""A minimal HTTP/1.1 server answering every request with a fixed GraphQL body.

It measures the load generator's ceiling: whatever rate the generator reaches against this
server is far above what it needs for the GraphQL server under test.
"""

from __future__ import annotations

import argparse
import asyncio

BODY = b'{"data":{"__typename":"Query"}}'
RESPONSE = (
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
    + f"content-length: {len(BODY)}\r\n\r\n".encode()
    + BODY
)


class _Echo(asyncio.Protocol):
    """Answers each complete request (headers + content-length body) with RESPONSE."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(self._buffer[:end]).lower()
            start = head.find(b"content-length:")
            length = 0
            if start >= 0:
                stop = head.find(b"\r\n", start)
                length = int(head[start + 15 : stop if stop >= 0 else None])
            if len(self._buffer) < end + 4 + length:
                return
            del self._buffer[: end + 4 + length]
            if self._transport is not None:
                self._transport.write(RESPONSE)


async def _serve(host: str, port: int) -> None:
    server = await asyncio.get_running_loop().create_server(_Echo, host, port, backlog=4096)
    async with server:
        await server.serve_forever()


def main() -> None:
    """Serve on --host/--port until killed."""
    parser = argparse.ArgumentParser(prog="python -m bench.echo_server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    asyncio.run(_serve(args.host, args.port))


if __name__ == "__main__":
    main()
