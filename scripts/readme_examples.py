"""README examples are real answers: each query runs on the embedded emulator, its answer is kept.

`python -m scripts.readme_examples` (`make readme`) rewrites README.md; `--check` exits 1 and
prints the difference when README.md is not what the server answers (the test suite runs it,
so an example cannot go stale). An example is a region of README.md:

    <!-- example {"variables": {"dealId": 54321}, "show": "response"} -->
    ```sh        optional: rewritten as the curl command that sends the query below
    ```graphql   the query: the source of truth, never rewritten
    ...prose...
    ```json      rewritten: the response ("response"), its data or its extensions
    <!-- /example -->

Options: `variables` (default none), `show` ("response", "data" or "extensions"), `headers` (extra
curl headers, shown only), `now` (the server clock, ISO 8601; default `FIXED_NOW`). Every example
runs on a fresh server and emulator (demo dataset), as the first request after `make serve`.
"""

from __future__ import annotations

import argparse
import asyncio
import difflib
import json
import re
import sys
from pathlib import Path
from typing import Any

import httpx

from pipedrive_graphql.app import create_app
from pipedrive_graphql.clock import parse_iso
from pipedrive_graphql.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"
# time-based figures (computedAt, daysInStage, rottenSince) are shown at this server clock
FIXED_NOW = "2025-06-30T09:00:00Z"
WIDTH = 100  # README lines stay readable: what fits on a line stays on it

_REGION = re.compile(r"(<!-- example (\{.*?\}) -->\n)(.*?)(<!-- /example -->)", re.DOTALL)
_BLOCK = re.compile(r"```(\w+)\n(.*?)\n```", re.DOTALL)


class ExampleError(ValueError):
    """A README example region that cannot be run (no query, bad options)."""


async def answer(query: str, variables: dict[str, Any] | None, now: str) -> dict[str, Any]:
    """POST the query to a fresh server on the embedded emulator; the JSON response."""
    moment = parse_iso(now)
    if moment is None:
        raise ExampleError(f"'now' must be an ISO 8601 time; got {now!r}")
    app = create_app(Settings())
    async with app.router.lifespan_context(app):
        app.state.runtime.clock = lambda: moment
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            response = await http.post(
                "/graphql", json={"query": query, "variables": variables or {}}
            )
    body: dict[str, Any] = response.json()
    return body


def render_json(value: object, indent: int = 0, used: int = 0) -> str:
    """Indented JSON; a value that fits on its line (`used` characters taken) stays on it."""
    flat = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, dict | list) or indent + used + len(flat) <= WIDTH - 4:
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            head = f"{json.dumps(key, ensure_ascii=False)}: "
            items.append(pad + head + render_json(item, indent + 2, len(head)))
        return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"
    items = [pad + render_json(item, indent + 2) for item in value]
    return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"


def curl(query: str, variables: dict[str, Any] | None, headers: list[str]) -> str:
    """The shell command that sends `query` to a local `make serve`."""
    one_line = " ".join(query.split())
    payload = {"query": one_line, **({"variables": variables} if variables else {})}
    data = json.dumps(payload, ensure_ascii=False)
    if "'" in data:
        raise ExampleError("a query with a single quote cannot be shown in a curl command")
    lines = ["curl -s http://127.0.0.1:8000/graphql \\", "  -H 'content-type: application/json' \\"]
    lines += [f'  -H "{header}" \\' for header in headers]
    lines.append(f"  -d '{data}'")
    return "\n".join(lines)


def rewrite_region(options_text: str, body: str) -> str:
    """The region's body with its curl command and its response block regenerated."""
    options: dict[str, Any] = json.loads(options_text)
    unknown = set(options) - {"variables", "show", "headers", "now"}
    if unknown:
        raise ExampleError(f"unknown example options {sorted(unknown)}")
    blocks = list(_BLOCK.finditer(body))
    queries = [b for b in blocks if b.group(1) == "graphql"]
    answers = [b for b in blocks if b.group(1) == "json"]
    if len(queries) != 1 or not answers:
        raise ExampleError("an example needs one ```graphql block and a ```json block after it")
    query, variables = queries[0].group(2), options.get("variables")
    body_json = asyncio.run(answer(query, variables, options.get("now", FIXED_NOW)))
    show = options.get("show", "response")
    if show == "extensions":
        shown = '"extensions": ' + render_json(body_json["extensions"])
    elif show == "data":
        shown = render_json({"data": body_json["data"]})
    elif show == "response":
        shown = render_json(body_json)
    else:
        raise ExampleError(f"'show' must be response, data or extensions; got {show!r}")
    replacements = {answers[-1].span(2): shown}
    for block in blocks:
        if block.group(1) == "sh" and block.group(2).startswith("curl"):
            replacements[block.span(2)] = curl(query, variables, options.get("headers", []))
    for (start, end), text in sorted(replacements.items(), reverse=True):
        body = body[:start] + text + body[end:]
    return body


def render(readme: str) -> str:
    """README text with every example region regenerated."""

    def one(match: re.Match[str]) -> str:
        return match.group(1) + rewrite_region(match.group(2), match.group(3)) + match.group(4)

    return _REGION.sub(one, readme)


def regions(readme: str) -> int:
    """How many example regions README text holds."""
    return len(_REGION.findall(readme))


def main(argv: list[str] | None = None) -> int:
    """Rewrite README.md, or with --check report (exit 1) whether it is stale."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if stale")
    args = parser.parse_args(argv)
    current = README.read_text()
    fresh = render(current)
    if args.check:
        if fresh == current:
            return 0
        diff = difflib.unified_diff(
            current.splitlines(), fresh.splitlines(), "README.md", "regenerated", lineterm=""
        )
        sys.stdout.write("\n".join(diff) + "\nREADME examples are stale: run `make readme`\n")
        return 1
    README.write_text(fresh)
    sys.stdout.write(f"README.md: {regions(current)} examples regenerated\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
