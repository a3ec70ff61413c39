"""A real `redis-server` for tests: a free loopback port, no persistence, killed at the end.

Redis cannot bind port 0 and report the port it got, so a free port is picked and the start
retried on a collision. Outside CI a machine without `redis-server` skips the Redis tests
with the reason; in CI (`CI=true`) that is a failure (`.ci/run` installs Debian's package).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import redis

STARTUP_SECONDS = 10.0


def redis_binary() -> str:
    """The path of `redis-server`; fails in CI and skips elsewhere when it is missing."""
    found = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if found is not None:
        return found
    reason = "redis-server is not installed (Debian: apt-get install redis-server)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + "; CI must run the Redis tests")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    """One `redis-server` process on 127.0.0.1; `stop()` and `start()` simulate an outage."""

    def __init__(self, binary: str) -> None:
        self._binary = binary
        self._dir = tempfile.TemporaryDirectory(prefix="pgql-redis-")
        self.port = 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        """Whether the process is up."""
        return self._process is not None and self._process.poll() is None

    @property
    def url(self) -> str:
        """`redis://127.0.0.1:{port}/0`."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start on the same port as before (a restart), or on a free one the first time."""
        for _ in range(5):
            port = self.port or _free_port()
            process = subprocess.Popen(
                [
                    self._binary,
                    "--port", str(port),
                    "--bind", "127.0.0.1",
                    "--save", "",
                    "--appendonly", "no",
                    "--dir", self._dir.name,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            if self._ready(port, process):
                self.port, self._process = port, process
                return
            process.kill()
            process.wait()
        raise RuntimeError("redis-server did not start on a free loopback port")

    def stop(self) -> None:
        """Kill the server at once (SIGKILL: like a crash, nothing is flushed)."""
        if self._process is not None:
            self._process.send_signal(signal.SIGCONT)  # a frozen process must die too
            self._process.kill()
            self._process.wait()
            self._process = None

    def freeze(self) -> None:
        """Stop the process without closing its sockets (SIGSTOP): Redis hangs, not refuses."""
        if self._process is not None:
            self._process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        """Let a frozen server run again (SIGCONT)."""
        if self._process is not None:
            self._process.send_signal(signal.SIGCONT)

    def close(self) -> None:
        """Stop the server and remove its directory."""
        self.stop()
        self._dir.cleanup()

    def flush(self) -> None:
        """Forget every key (between tests sharing the server)."""
        with redis.Redis.from_url(self.url) as client:
            client.flushall()

    @staticmethod
    def _ready(port: int, process: subprocess.Popen[bytes]) -> bool:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False  # exited: most likely the port was taken meanwhile
            try:
                with redis.Redis(host="127.0.0.1", port=port, socket_timeout=0.5) as client:
                    if client.ping():
                        return True
            except redis.RedisError:
                time.sleep(0.05)
        return False
