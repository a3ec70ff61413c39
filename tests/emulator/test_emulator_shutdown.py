"""The standalone emulator stops on SIGTERM even while `hang` faults hold connections open."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from tests.production.server_process import REPO, free_port


def _wait_until_listening(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the emulator exited on its own"
        try:
            httpx.get(f"{base}/_emulator/faults", timeout=1.0)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the emulator never listened")


def test_sigterm_ends_hung_responses_and_exits() -> None:
    port = free_port()
    exe = Path(sys.executable).with_name("pipedrive-graphql")
    command = [str(exe), "emulator", "--port", str(port)]
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    hung_outcomes: list[str] = []

    def hang() -> None:
        try:
            response = httpx.get(f"{base}/api/v2/persons", params={"api_token": "t"}, timeout=30)
            hung_outcomes.append(str(response.status_code))
        except httpx.HTTPError as error:
            hung_outcomes.append(type(error).__name__)

    try:
        _wait_until_listening(base, proc)
        rule = {"path": "/api/v2/persons", "kind": "hang"}
        assert httpx.post(f"{base}/_emulator/faults", json=rule).status_code == 201
        clients = [threading.Thread(target=hang) for _ in range(3)]
        for client in clients:
            client.start()
        time.sleep(0.5)  # the three requests are hanging inside the emulator
        assert hung_outcomes == []
        proc.send_signal(signal.SIGTERM)
        # generous: the grace period is 1 s; before, the process never exited
        returncode = proc.wait(timeout=8)
        for client in clients:
            client.join(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        assert proc.stderr is not None
        proc.stderr.close()
    assert returncode in (0, -signal.SIGTERM)  # uvicorn re-raises the signal once stopped
    assert len(hung_outcomes) == 3  # each hung response ended (cut short), none hangs on
    assert "200" not in hung_outcomes
