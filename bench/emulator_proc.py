"""Run the emulator standalone for benchmarks: the `pipedrive-graphql emulator` app, no access log.

The CLI's uvicorn writes one access-log line per request; on a 2-core machine that CPU is taken
from the server under test, so the benchmark runs the same `Emulator` app with logging off.
"""

from __future__ import annotations

import argparse

import uvicorn

from pipedrive_graphql.emulator import Emulator, EmulatorConfig


def main() -> None:
    """Parse the flags of `pipedrive-graphql emulator` and serve until SIGTERM."""
    parser = argparse.ArgumentParser(prog="python -m bench.emulator_proc")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dataset", default="demo")
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--rate-limit", default=None)
    args = parser.parse_args()
    config = EmulatorConfig(
        dataset=args.dataset, latency_ms=args.latency_ms, rate_limit=args.rate_limit
    )
    emulator = Emulator(config)
    uvicorn.run(
        emulator.app,
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        backlog=4096,
    )


if __name__ == "__main__":
    main()
