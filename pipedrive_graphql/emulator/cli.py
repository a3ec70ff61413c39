"""The standalone emulator: `pipedrive-graphql emulator --host H --port P ...`."""

from __future__ import annotations

import uvicorn

from . import Emulator, EmulatorConfig

# A `hang` fault never answers; without a bound, uvicorn waits for it forever on SIGTERM.
SHUTDOWN_GRACE_SECONDS = 1


def run_emulator(
    host: str = "127.0.0.1",
    port: int = 8100,
    dataset: str = "demo",
    latency_ms: float = 0.0,
    token: str | None = None,
    rate_limit: str | None = None,
    strict: bool = True,
) -> None:
    """Serve an emulator with uvicorn until interrupted (strict: unknown parameters are 400)."""
    config = EmulatorConfig(
        dataset=dataset, token=token, latency_ms=latency_ms, rate_limit=rate_limit, strict=strict
    )
    emulator = Emulator(config)
    uvicorn.run(
        emulator.app,
        host=host,
        port=port,
        log_level="info",
        timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
    )
