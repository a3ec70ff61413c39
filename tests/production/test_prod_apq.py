"""Automatic persisted queries (Apollo protocol) over POST and GET, and the known-only mode."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx

from pipedrive_graphql.emulator import Emulator
from tests.conftest import make_settings
from tests.production.prod_support import serve

QUERY = "query Person($id: Int!) { person(personId: $id) { id name organization { name } } }"
DIGEST = hashlib.sha256(QUERY.encode()).hexdigest()


def pq(digest: str = DIGEST) -> dict[str, object]:
    """The `extensions` of an APQ request."""
    return {"persistedQuery": {"version": 1, "sha256Hash": digest}}


async def test_unknown_hash_is_persisted_query_not_found(
    http: httpx.AsyncClient, upstream: Emulator
) -> None:
    upstream.log.clear()
    response = await http.post("/graphql", json={"variables": {"id": 1}, "extensions": pq()})
    assert response.status_code == 200  # Apollo clients read the error and resend with the query
    error = response.json()["errors"][0]
    assert error["message"] == "PersistedQueryNotFound"
    assert error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert upstream.log.entries == []


async def test_register_then_run_by_hash_over_post_and_get(
    http: httpx.AsyncClient, upstream: Emulator
) -> None:
    variables = {"id": 12345}
    registered = await http.post(
        "/graphql", json={"query": QUERY, "variables": variables, "extensions": pq()}
    )
    expected = {"id": 12345, "name": "John Doe", "organization": {"name": "Acme Corp"}}
    assert registered.json()["data"]["person"] == expected

    by_post = await http.post("/graphql", json={"variables": variables, "extensions": pq()})
    assert by_post.json()["data"]["person"] == expected

    params = {"variables": json.dumps(variables), "extensions": json.dumps(pq())}
    upstream.log.clear()
    by_get = await http.get("/graphql", params=params)
    assert by_get.status_code == 200
    assert by_get.json()["data"]["person"] == expected
    assert len(upstream.log.entries) == 2  # really executed, not served from some cache
    assert by_get.headers["cache-control"] == "private"  # the answer depends on the credential
    assert "x-pipedrive-api-token" in by_get.headers["vary"].lower()
    assert "cache-control" not in by_post.headers


async def test_hash_that_does_not_match_the_query_is_refused(
    http: httpx.AsyncClient, upstream: Emulator
) -> None:
    upstream.log.clear()
    wrong = hashlib.sha256(b"something else").hexdigest()
    response = await http.post("/graphql", json={"query": QUERY, "extensions": pq(wrong)})
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    later = await http.post("/graphql", json={"extensions": pq(wrong)})
    assert later.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    malformed = await http.post("/graphql", json={"extensions": pq("not-a-hash")})
    assert malformed.status_code == 400
    assert upstream.log.entries == []


async def test_known_operations_only(tmp_path: Path, upstream: Emulator) -> None:
    manifest = tmp_path / "operations.json"
    manifest.write_text(json.dumps({DIGEST: QUERY}))
    settings = make_settings(persisted_queries_only=True, persisted_queries_file=str(manifest))
    async with serve(settings, upstream) as http:
        known = await http.post("/graphql", json={"variables": {"id": 12345}, "extensions": pq()})
        assert known.json()["data"]["person"]["id"] == 12345
        free_text = await http.post("/graphql", json={"query": "{ pipelines { results { id } } }"})
        assert free_text.status_code == 403
        assert free_text.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        other = "{ deals { results { id } } }"
        digest = hashlib.sha256(other.encode()).hexdigest()
        registering = await http.post("/graphql", json={"query": other, "extensions": pq(digest)})
        assert registering.status_code == 403
    paths = {e.path for e in upstream.log.entries}
    assert paths == {"/api/v2/persons/12345", "/api/v2/organizations/67890"}  # the known one only
