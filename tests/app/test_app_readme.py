"""The README's HTTP recipes work as written: the APQ hash and `serve` outside `make`."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import httpx

from pipedrive_graphql.apq import sha256_hex

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _recipe_hashes() -> tuple[str, str, str]:
    """(query, hash by the shell recipe, hash by the Python one-liner), as the README gives them."""
    recipe = re.search(r"printf '%s' '([^']+)' \\\n\s*\| sha256sum", README)
    assert recipe is not None
    query = recipe.group(1)
    shell = subprocess.run(
        ["sh", "-c", f"printf '%s' '{query}' | sha256sum | cut -d' ' -f1"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    python = subprocess.run(
        [
            sys.executable,
            "-c",
            "import hashlib,sys; print(hashlib.sha256(sys.argv[1].encode()).hexdigest())",
            query,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return query, shell, python


async def test_readme_apq_hash_recipe_gives_the_hash_the_server_accepts(
    http: httpx.AsyncClient,
) -> None:
    query, shell, python = await asyncio.to_thread(_recipe_hashes)
    assert shell == python == sha256_hex(query)
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": shell}}
    unknown = await http.post("/graphql", json={"extensions": extensions})
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    variables = {"personId": 12345}
    body = {"query": query, "variables": variables, "extensions": extensions}
    registered = await http.post("/graphql", json=body)
    assert registered.json()["data"] == {"person": {"name": "John Doe"}}
    by_hash = await http.post("/graphql", json={"extensions": extensions, "variables": variables})
    assert by_hash.json()["data"] == {"person": {"name": "John Doe"}}


def test_readme_says_how_to_run_serve_outside_make() -> None:
    assert ".venv/bin/pipedrive-graphql serve" in README
    assert "source .venv/bin/activate" in README
    command = Path(sys.executable).with_name("pipedrive-graphql")
    assert command.exists()  # what `make install` puts in .venv/bin
    shown = subprocess.run(
        [str(command), "serve", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "--port" in shown
