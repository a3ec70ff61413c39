"""GraphiQL in headless Chromium against the real server process, used as a person would.

One session: a shared link runs a query with variables; the docs panel opens, a type search
finds `Deal` and shows its fields; the editor's autocomplete offers root fields; a mutation runs
and its note exists afterwards; editing keeps the URL a link that reopens the same operation.
Screenshots of each step go to `docs/`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.production.server_process import REPO, cli_command, embedded_env, free_port, running

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
DOCS = REPO / "docs"
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
MUTATION = """mutation NoteFromGraphiQL {
  createNote(content: "Written from GraphiQL", dealId: DEAL_ID) { id content deal { title } }
}"""
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
EDITOR = ".graphiql-query-editor .CodeMirror"


def _require_browser() -> Any:
    """playwright's sync API and Chromium; in CI (`CI=true`) missing either fails, never skips."""
    missing = []
    if CHROMIUM is None:
        missing.append("chromium")
    sync_api: Any = None
    try:
        from playwright import sync_api
    except ImportError:
        missing.append("playwright")
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"the browser test needs {' and '.join(missing)} in CI")
        pytest.skip(f"{' and '.join(missing)} not installed")
    return sync_api


def screenshot_path(tmp_path: Path, name: str) -> Path:
    """docs/NAME in CI, when missing or asked for (UPDATE_SCREENSHOT=1), else a temp file.

    Re-rendering the committed images on every local run would leave changed binaries behind.
    """
    committed = DOCS / name
    if os.environ.get("CI") or os.environ.get("UPDATE_SCREENSHOT") or not committed.exists():
        return committed
    return tmp_path / name


@pytest.fixture
def server() -> Iterator[str]:
    """The CLI's server on the embedded emulator, on a free port."""
    port = free_port()
    with running(cli_command(port), port, embedded_env()) as base:
        yield base


def _link(base: str, query: str, variables: str | None = None) -> str:
    params = {"query": query} | ({"variables": variables} if variables else {})
    return f"{base}/graphql?" + urlencode(params)


def _run_and_wait(page: Page, text: str) -> str:
    page.click(".graphiql-execute-button")
    result = page.locator(".graphiql-response")
    result.get_by_text(text, exact=False).first.wait_for()
    return str(result.inner_text())


def _shoot(page: Page, tmp_path: Path, name: str) -> Path:
    shot = screenshot_path(tmp_path, name)
    shot.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    return shot


def test_graphiql_explores_and_runs_operations_in_chromium(server: str, tmp_path: Path) -> None:
    sync_api = _require_browser()
    expected = httpx.post(
        f"{server}/graphql", json={"query": QUERY, "variables": {"limit": 3}}, timeout=10
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
            failed: list[str] = []
            page.on("requestfailed", lambda r: failed.append(r.url))
            page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)

            # A shared link opens a query with variables; running it shows the server's values.
            page.goto(_link(server, QUERY, VARIABLES))
            page.wait_for_selector(".graphiql-execute-button")
            text = _run_and_wait(page, expected[-1]["title"])
            for deal in expected:
                assert deal["title"] in text
                assert deal["person"]["name"] in text
            _shoot(page, tmp_path, "graphiql.png")

            # The docs panel loads the schema (GraphiQL's own introspection query) and finds Deal.
            page.click('button[aria-label="Show Documentation Explorer"]')
            explorer = page.locator(".graphiql-doc-explorer")
            explorer.get_by_text("Root Types").wait_for()
            page.fill(".graphiql-doc-explorer-search-input input", "Deal")
            found = page.locator(".graphiql-doc-explorer-search-type")
            found.filter(has_text=re.compile(r"^\s*Deal\s*$")).first.click()
            page.locator(".graphiql-doc-explorer-title").filter(
                has_text=re.compile(r"^\s*Deal\s*$")
            ).wait_for()
            fields = explorer.inner_text()
            for field in ("title", "value", "person", "stage"):
                assert field in fields
            _shoot(page, tmp_path, "graphiql-docs.png")

            # Autocomplete in the editor offers the root fields that match what was typed.
            page.evaluate(f"document.querySelector('{EDITOR}').CodeMirror.setValue('')")
            page.click(EDITOR)
            page.keyboard.type("{ pers")
            hints = page.locator(".CodeMirror-hints .CodeMirror-hint")
            hints.first.wait_for()
            offered = hints.all_inner_texts()
            assert {"person", "persons", "searchPersons"} <= set(offered)
            _shoot(page, tmp_path, "graphiql-autocomplete.png")
            page.keyboard.press("Escape")

            # A mutation runs from GraphiQL and its write is there afterwards.
            deal = httpx.post(
                f"{server}/graphql", json={"query": "{ deals(limit: 1) { results { id title } } }"}
            ).json()["data"]["deals"]["results"][0]
            page.goto(_link(server, MUTATION.replace("DEAL_ID", str(deal["id"]))))
            page.wait_for_selector(".graphiql-execute-button")
            text = _run_and_wait(page, "Written from GraphiQL")
            assert deal["title"] in text
            note_id = _created_note_id(text)
            stored = httpx.post(
                f"{server}/graphql",
                json={"query": f"{{ note(noteId: {note_id}) {{ content deal {{ id }} }} }}"},
                timeout=10,
            ).json()["data"]["note"]
            assert stored == {"content": "Written from GraphiQL", "deal": {"id": deal["id"]}}
            _shoot(page, tmp_path, "graphiql-mutation.png")

            # Editing keeps the URL a link to the current operation; the link reopens it.
            edited = "{ pipelines { results { name } } }"
            page.evaluate(f"document.querySelector('{EDITOR}').CodeMirror.setValue({edited!r})")
            page.wait_for_function(
                f"new URLSearchParams(location.search).get('query') === {edited!r}"
            )
            shared = page.url
            assert parse_qs(urlsplit(shared).query)["query"] == [edited]
            other = browser.new_page()
            other.set_default_timeout(45_000)
            other.goto(shared)
            other.wait_for_selector(".graphiql-execute-button")
            content = other.evaluate(f"document.querySelector('{EDITOR}').CodeMirror.getValue()")
            assert content == edited
            pipelines = httpx.post(f"{server}/graphql", json={"query": edited}, timeout=10)
            first_pipeline = pipelines.json()["data"]["pipelines"]["results"][0]["name"]
            _run_and_wait(other, first_pipeline)

            # A query pasted over a named one and run at once runs. For a moment after an edit
            # GraphiQL still names the operation the editor held ("Dashboard"), which the
            # server refuses as unknown; the page's fetcher names the sent document's own.
            pasted = "{ persons(limit: 3) { results { name } } }"
            people = httpx.post(f"{server}/graphql", json={"query": pasted}, timeout=10)
            first_person = people.json()["data"]["persons"]["results"][0]["name"]
            fresh = browser.new_page()
            fresh.set_default_timeout(45_000)
            sent: list[dict[str, Any]] = []
            fresh.on("request", lambda r: _keep_post(r, sent))
            fresh.goto(_link(server, "query Dashboard { deals(limit: 1) { results { id } } }"))
            fresh.wait_for_selector(".graphiql-execute-button")
            fresh.evaluate(
                f"document.querySelector('{EDITOR}').CodeMirror.setValue({pasted!r});"
                "document.querySelector('.graphiql-execute-button').click();"
            )
            response = fresh.locator(".graphiql-response")
            response.get_by_text(first_person, exact=False).first.wait_for()
            run = [body for body in sent if body.get("query") == pasted]
            assert run
            assert all("operationName" not in body for body in run), run
            assert "operationName" not in response.inner_text()
            assert failed == []  # no asset, favicon or request failed along the way
        finally:
            browser.close()


def _keep_post(request: Any, bodies: list[dict[str, Any]]) -> None:
    """Keep the JSON body of a GraphQL POST the page sends."""
    if request.method == "POST" and urlsplit(request.url).path == "/graphql":
        bodies.append(json.loads(request.post_data or "{}"))


def _created_note_id(response_text: str) -> int:
    """The id GraphiQL shows in the mutation's result (`"id": 123`)."""
    marker = '"id": '
    start = response_text.index(marker) + len(marker)
    digits = ""
    for char in response_text[start:]:
        if not char.isdigit():
            break
        digits += char
    return int(digits)
