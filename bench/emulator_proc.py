"""Run the emulator standalone for benchmarks: the `pipedrive-graphql emulator` app, no access log.

The CLI's uvicorn writes one access-log line per request; on a 2-core machine that CPU is taken
from the server under test, so the benchmark runs the same `Emulator` app with logging off.

With its rate limiter off the emulator sends no `x-ratelimit-*` headers, and the server then
paces every credential at its plan preset (growth: 40 calls per 2 s), which would cap every
throughput figure at Pipedrive's burst limit instead of measuring the server. Real Pipedrive
always sends the headers, so here an account without burst limits says so in them
(`--advertise-limit`); with `--rate-limit` the emulator's own headers are left untouched.
"""

from __future__ import annotations

import argparse

import uvicorn
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipedrive_graphql.emulator import Emulator, EmulatorConfig


class AdvertiseLimit:
    """Adds `x-ratelimit-limit/remaining/reset` to answers that carry none."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        """Wrap `app`; `limit` is the burst limit per 2 s to announce."""
        self.app = app
        self.headers = [
            (b"x-ratelimit-limit", str(limit).encode()),
            (b"x-ratelimit-remaining", str(limit).encode()),
            (b"x-ratelimit-reset", b"2"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass through, adding the headers to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"x-ratelimit-limit" for name, _ in headers):
                    message = {**message, "headers": headers + self.headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def main() -> None:
    """Parse the flags of `pipedrive-graphql emulator` and serve until SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m bench.emulator_proc")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dataset", default="demo")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--rate-limit", default=None)
    parser.add_argument("--advertise-limit", type=int, default=None)
    args = parser.parse_args()
    config = EmulatorConfig(
        dataset=args.dataset, latency_ms=args.latency_ms, rate_limit=args.rate_limit
    )
    emulator = Emulator(config)
    app: ASGIApp = emulator.app
    if args.advertise_limit and not args.rate_limit:
        app = AdvertiseLimit(app, args.advertise_limit)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        backlog=4096,
    )


if __name__ == "__main__":
    main()
