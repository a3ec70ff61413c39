"""The reference GraphQL-over-HTTP audit (`graphql-http`'s `serverAudits`) against the server.

The npm package is pinned by package.json and package-lock.json beside this file and installed
with `npm ci` on first use. Without npm the test skips on a developer's machine; in CI
(`CI=true`) a missing npm or a failed install is a failure.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import orjson
import pytest

from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from tests.app.live_server import live_server
from tests.conftest import make_settings

HERE = Path(__file__).parent
INSTALLED = HERE / "node_modules" / ".package-lock.json"


def _node_tools() -> tuple[str, str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        if os.environ.get("CI"):
            pytest.fail("node and npm are required for the GraphQL-over-HTTP audit in CI")
        pytest.skip("node/npm not installed")
    return node, npm


def _install(npm: str) -> None:
    """`npm ci` when node_modules is missing or older than the lock file."""
    lock = HERE / "package-lock.json"
    if INSTALLED.exists() and INSTALLED.stat().st_mtime >= lock.stat().st_mtime:
        return
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=HERE,
        check=True,
        timeout=300,
    )


async def _audit(node: str, url: str) -> list[dict[str, Any]]:
    process = await asyncio.create_subprocess_exec(
        node,
        str(HERE / "audit.mjs"),
        url,
        cwd=HERE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(120):
        out, err = await process.communicate()
    assert process.returncode == 0, err.decode(errors="replace")
    results: list[dict[str, Any]] = orjson.loads(out)
    return results


async def test_every_graphql_over_http_audit_is_ok() -> None:
    node, npm = _node_tools()
    await asyncio.to_thread(_install, npm)
    upstream = Emulator(EmulatorConfig(dataset="demo"))
    async with live_server(make_settings(), upstream) as (host, port):
        results = await _audit(node, f"http://{host}:{port}/graphql")
    not_ok = [f"{r['id']} {r['status']}: {r['name']} ({r['reason']})" for r in results]
    not_ok = [line for line, r in zip(not_ok, results, strict=True) if r["status"] != "ok"]
    assert not_ok == []
    assert len(results) >= 60  # the package's full list ran (61 audits in graphql-http 1.23)
    assert upstream.log.entries == []  # the audits ask for __typename only: Pipedrive untouched
