"""GraphiQL in headless Chromium: a subscription in one tab shows a mutation made in another."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
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


def mutation(title: str) -> str:
    """A deal 1 title change, as another GraphiQL tab would send it."""
    return f'mutation {{ updateDeal(dealId: 1, title: "{title}") {{ id title }} }}'


FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]


def chromium() -> str:
    """Chromium's path; in CI a missing browser fails the test instead of skipping it."""
    if CHROMIUM is not None:
        return CHROMIUM
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("chromium is not installed; CI must run the browser tests")
    pytest.skip("chromium is not installed")


@contextlib.contextmanager
def graphiql(env: dict[str, str]) -> Iterator[tuple[str, Any, Any]]:
    """A server started with `env` and a Chromium page: (base URL, page, Playwright's API)."""
    executable = chromium()
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    port = free_port()
    with (
        running(cli_command(port), port, env) as base,
        tempfile.TemporaryDirectory() as profile,
        sync_api.sync_playwright() as pw,
    ):
        browser = pw.chromium.launch_persistent_context(
            profile, executable_path=executable, headless=True, args=FLAGS
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(45_000)  # GraphiQL is 3.5 MB of script on 2 cores
            yield base, page, sync_api
        finally:
            browser.close()


def test_graphiql_receives_a_subscription_event_from_the_embedded_emulator() -> None:
    with graphiql(embedded_env()) as (base, page, sync_api):
        page.goto(f"{base}/graphql?" + urlencode({"query": SUBSCRIPTION}))
        page.wait_for_selector(".graphiql-execute-button")
        page.click(".graphiql-execute-button")
        result = page.locator(".graphiql-response")
        # the other tab: mutations over HTTP until one lands after the subscription started
        # (GraphiQL opens the socket and subscribes asynchronously after the click)
        for attempt in range(20):
            title = f"Renewal signed {attempt}"
            answer = httpx.post(f"{base}/graphql", json={"query": mutation(title)}, timeout=10)
            assert answer.json()["data"]["updateDeal"]["title"] == title
            try:
                result.get_by_text(title, exact=False).first.wait_for(timeout=3_000)
            except sync_api.TimeoutError:
                continue
            break
        text = result.inner_text()
    assert '"action": "changed"' in text
    assert '"title"' in text
    assert "Renewal signed" in text
    assert "deal" in text


def test_graphiql_shows_a_refused_credential_at_once_without_retrying() -> None:
    # a credential in the headers tab is refused when the server allows only its own
    with graphiql(embedded_env(ALLOW_REQUEST_CREDENTIALS="false")) as (base, page, _):
        sockets: list[str] = []
        page.on("websocket", lambda socket: sockets.append(socket.url))
        page.goto(f"{base}/graphql?" + urlencode({"query": SUBSCRIPTION}))
        page.wait_for_selector(".graphiql-execute-button")
        page.click('button:has-text("Headers")')
        page.locator(".graphiql-editor-tool .graphiql-editor").last.click()
        # the editor closes the brace itself
        page.keyboard.type('{"X-Pipedrive-Api-Token": "a-token-of-another-account"')
        page.click(".graphiql-execute-button")
        result = page.locator(".graphiql-response")
        # graphql-ws's default retries a 4403 five times over about 30 s, with a spinner
        result.get_by_text("FORBIDDEN", exact=False).first.wait_for(timeout=10_000)
        page.wait_for_timeout(2_000)  # no reconnection follows
        text = result.inner_text()
    assert "subscription socket closed (4403)" in text
    assert '"code": "FORBIDDEN"' in text
    assert "a-token-of-another-account" not in text
    assert len(sockets) == 1
