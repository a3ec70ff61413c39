"""GraphiQL in headless Chromium: a subscription in one tab shows a mutation made in another."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from tests.production.server_process import cli_command, embedded_env, free_port, running

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
SUBSCRIPTION = """subscription WatchDeal {
  dealChanged(dealId: 1) {
    action
    changedFields
    previous
    deal { title value person { name } stage { name } }
  }
}"""
MUTATION = 'mutation { updateDeal(dealId: 1, title: "Renewal signed") { id title } }'
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]


def chromium() -> str:
    """Chromium's path; in CI a missing browser fails the test instead of skipping it."""
    if CHROMIUM is not None:
        return CHROMIUM
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("chromium is not installed; CI must run the browser tests")
    pytest.skip("chromium is not installed")


def test_graphiql_receives_a_subscription_event_from_the_embedded_emulator() -> None:
    executable = chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    port = free_port()
    with (
        running(cli_command(port), port, embedded_env()) as base,
        tempfile.TemporaryDirectory() as profile,
        sync_api.sync_playwright() as pw,
    ):
        browser = pw.chromium.launch_persistent_context(
            profile, executable_path=executable, headless=True, args=FLAGS
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(45_000)  # GraphiQL is 3.5 MB of script on 2 cores
            page.goto(f"{base}/graphql?" + urlencode({"query": SUBSCRIPTION}))
            page.wait_for_selector(".graphiql-execute-button")
            with page.expect_websocket() as opened:
                page.click(".graphiql-execute-button")
            socket = opened.value
            socket.wait_for_event("framereceived")  # connection_ack: the credential is checked
            page.wait_for_timeout(500)  # GraphiQL sends subscribe right after the ack
            # the other tab: a mutation over HTTP
            answer = httpx.post(f"{base}/graphql", json={"query": MUTATION}, timeout=10)
            assert answer.json()["data"]["updateDeal"]["title"] == "Renewal signed"
            result = page.locator(".graphiql-response")
            result.get_by_text("Renewal signed", exact=False).first.wait_for()
            text = result.inner_text()
        finally:
            browser.close()
    assert '"action": "changed"' in text
    assert '"title"' in text
    assert "Onboarding #1" in text  # previous.title
