"""GraphiQL in headless Chromium against the real server process: a nested query shows its data."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from tests.production.server_process import REPO, cli_command, embedded_env, free_port, running

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
SCREENSHOT = REPO / "docs" / "graphiql.png"
QUERY = """query DealsWithPeople($limit: Int!) {
  deals(limit: $limit) {
    results {
      title
      value
      currency
      person { name organization { name } }
      stage { name }
    }
    hasMore
    nextStart
  }
}"""
VARIABLES = '{"limit": 3}'
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")


def screenshot_path(tmp_path: Path) -> Path:
    """docs/graphiql.png in CI, when missing or asked for (UPDATE_SCREENSHOT=1), else a temp file.

    Re-rendering the committed image on every local run would leave a changed binary behind.
    """
    if os.environ.get("CI") or os.environ.get("UPDATE_SCREENSHOT") or not SCREENSHOT.exists():
        return SCREENSHOT
    return tmp_path / "graphiql.png"


def test_graphiql_runs_a_nested_query_in_chromium(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    shot = screenshot_path(tmp_path)
    port = free_port()
    with running(cli_command(port), port, embedded_env()) as base:
        expected = httpx.post(
            f"{base}/graphql", json={"query": QUERY, "variables": {"limit": 3}}, timeout=10
        ).json()["data"]["deals"]["results"]
        assert len(expected) == 3
        with tempfile.TemporaryDirectory() as profile, sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                headless=True,
                args=FLAGS,
                viewport={"width": 1400, "height": 820},
            )
            try:
                page = browser.new_page()
                # 3.5 MB of GraphiQL to parse on a busy 2-core machine: generous, not flaky
                page.set_default_timeout(45_000)
                page.goto(f"{base}/graphql?" + urlencode({"query": QUERY, "variables": VARIABLES}))
                page.wait_for_selector(".graphiql-execute-button")
                page.click(".graphiql-execute-button")
                result = page.locator(".graphiql-response")
                last_title = expected[-1]["title"]
                result.get_by_text(last_title, exact=False).first.wait_for()
                text = result.inner_text()
                for deal in expected:
                    assert deal["title"] in text
                    assert deal["person"]["name"] in text
                shot.parent.mkdir(exist_ok=True)
                page.screenshot(path=str(shot))
            finally:
                browser.close()
    assert shot.stat().st_size > 10_000
