"""Run the real server as a subprocess on a free 127.0.0.1 port, for browser and Docker tests."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A port the OS just had free on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def embedded_env(**extra: str) -> dict[str, str]:
    """The environment of a server on the embedded emulator (no token, no base URL)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIPEDRIVE_", "OTEL_"))}
    env.update(extra)
    return env


@contextlib.contextmanager
def running(
    command: Sequence[str],
    port: int,
    env: dict[str, str],
    timeout: float = 20.0,
    stderr_path: Path | None = None,
) -> Iterator[str]:
    """Start `command`, wait for /healthz on `port`, yield the base URL, then stop it.

    The process's stderr goes to `stderr_path` (a temporary file when not given).
    """
    log_path = stderr_path or Path(tempfile.mkstemp(suffix=".log")[1])
    log = log_path.open("wb")
    proc = subprocess.Popen(list(command), cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                err = log_path.read_text(errors="replace")
                raise RuntimeError(f"server exited with {proc.returncode}: {err[-2000:]}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not answer /healthz in time")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        if stderr_path is None:
            log_path.unlink(missing_ok=True)


def cli_command(port: int) -> list[str]:
    """`pipedrive-graphql serve --port P` with this interpreter's environment."""
    exe = Path(sys.executable).with_name("pipedrive-graphql")
    if exe.exists():
        return [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port)]
    return [sys.executable, "-m", "pipedrive_graphql", "serve", "--port", str(port)]
