"""Start the system under test: a standalone emulator and a uvicorn server pointed at it."""

from __future__ import annotations

from pathlib import Path

from bench.procs import HOST, Child, free_port, python_argv

RESULTS = Path(__file__).parent / "results"
LOGS = RESULTS / "logs"
UNLIMITED_BURST = 100_000  # calls per 2 s announced by an emulator without burst limits
SERVER_TOKEN = "bench-token"  # a made-up credential: the emulator accepts any non-empty one


def emulator(dataset: str, latency_ms: float = 0.0, rate_limit: str | None = None) -> Child:
    """A standalone emulator process (not yet started)."""
    port = free_port()
    argv = python_argv(
        "-m",
        "bench.emulator_proc",
        "--host",
        HOST,
        "--port",
        str(port),
        "--dataset",
        dataset,
        "--latency-ms",
        str(latency_ms),
    )
    if rate_limit:
        argv += ["--rate-limit", rate_limit]
    else:
        argv += ["--advertise-limit", str(UNLIMITED_BURST)]
    LOGS.mkdir(parents=True, exist_ok=True)
    name = f"emulator-{dataset}-{latency_ms:g}ms{'-' + rate_limit if rate_limit else ''}"
    return Child(
        name=name,
        argv=argv,
        port=port,
        ready_path="/_emulator/faults",
        log_path=LOGS / f"{name}.log",
    )


def server(upstream: Child, batching: bool = True, env: dict[str, str] | None = None) -> Child:
    """One uvicorn worker running the app factory against `upstream` (not yet started)."""
    port = free_port()
    argv = python_argv(
        "-m",
        "uvicorn",
        "--factory",
        "pipedrive_graphql.app:create_app",
        "--host",
        HOST,
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
        "--backlog",
        "4096",
    )
    LOGS.mkdir(parents=True, exist_ok=True)
    name = f"server-{'batching' if batching else 'nobatching'}-{upstream.name}"
    return Child(
        name=name,
        argv=argv,
        port=port,
        env={
            "PIPEDRIVE_BASE_URL": upstream.url,
            "PIPEDRIVE_API_TOKEN": SERVER_TOKEN,
            "BATCHING": "true" if batching else "false",
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        },
        ready_path="/healthz",
        log_path=LOGS / f"{name}.log",
    )
