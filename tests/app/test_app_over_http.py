"""GraphQL over HTTP to the letter: media types, status codes, refusals with error bodies."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest

from pipedrive_graphql.emulator import Emulator
from tests.conftest import TEST_TOKEN, make_settings
from tests.production.prod_support import serve

MUTATION = 'mutation { addPerson(name: "Cross Site") { id name } }'
QUERY = "{ person(personId: 12345) { name } }"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def codes(response: httpx.Response) -> list[str]:
    """The `extensions.code` of each error in a GraphQL error body."""
    return [e["extensions"]["code"] for e in response.json()["errors"]]


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        None,
    ],
)
async def test_a_post_a_browser_sends_without_preflight_never_runs(
    http: httpx.AsyncClient, upstream: Emulator, content_type: str | None
) -> None:
    upstream.log.clear()
    headers = {"origin": "https://evil.example"}
    if content_type is not None:
        headers["content-type"] = content_type
    body = f'{{"query": "{MUTATION.replace(chr(34), chr(92) + chr(34))}"}}'
    response = await http.post("/graphql", content=body.encode(), headers=headers)
    assert response.status_code == 415
    assert codes(response) == ["BAD_USER_INPUT"]
    assert "application/json" in response.json()["errors"][0]["message"]
    assert upstream.log.entries == []


async def test_both_json_body_types_run(http: httpx.AsyncClient, upstream: Emulator) -> None:
    for content_type in ("application/json", "application/graphql-response+json; charset=utf-8"):
        response = await http.post(
            "/graphql", content=f'{{"query": "{QUERY}"}}', headers={"content-type": content_type}
        )
        assert response.status_code == 200
        assert response.json()["data"] == {"person": {"name": "John Doe"}}


async def test_cross_site_get_is_refused_before_any_work(
    http: httpx.AsyncClient, upstream: Emulator
) -> None:
    upstream.log.clear()
    cases = [
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"origin": "https://evil.example"},
        {"origin": "null"},
    ]
    for headers in cases:
        response = await http.get("/graphql", params={"query": QUERY}, headers=headers)
        assert response.status_code == 403, headers
        assert codes(response) == ["FORBIDDEN"]
    assert upstream.log.entries == []
    own = {"sec-fetch-site": "same-origin", "origin": "http://server.test"}
    response = await http.get("/graphql", params={"query": QUERY}, headers=own)
    assert response.json()["data"] == {"person": {"name": "John Doe"}}


async def test_get_from_an_allowed_origin_runs(upstream: Emulator) -> None:
    origin = "https://dashboard.example"
    async with serve(make_settings(cors_origins=(origin,)), upstream) as http:
        response = await http.get(
            "/graphql",
            params={"query": QUERY},
            headers={"origin": origin, "sec-fetch-site": "cross-site"},
        )
    assert response.status_code == 200
    assert response.json()["data"] == {"person": {"name": "John Doe"}}


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
async def test_other_methods_are_405_with_a_graphql_error(
    http: httpx.AsyncClient, upstream: Emulator, method: str
) -> None:
    upstream.log.clear()
    response = await http.request(method, "/graphql", json={"query": MUTATION})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert response.headers["content-type"].startswith("application/json")
    assert codes(response) == ["BAD_USER_INPUT"]
    assert upstream.log.entries == []


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        (None, "application/json"),
        (f"application/json;q=0.5, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.2, application/json", "application/json"),
        (f"{GRAPHQL_RESPONSE}, application/json, multipart/mixed", GRAPHQL_RESPONSE),
    ],
)
async def test_response_type_follows_accept(
    http: httpx.AsyncClient, accept: str | None, expected: str
) -> None:
    headers = {"accept": accept} if accept else {}
    response = await http.post("/graphql", json={"query": QUERY}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{expected}; charset=utf-8"
    assert response.json()["data"] == {"person": {"name": "John Doe"}}


async def test_unacceptable_accept_is_406(http: httpx.AsyncClient, upstream: Emulator) -> None:
    upstream.log.clear()
    response = await http.post("/graphql", json={"query": QUERY}, headers={"accept": "text/csv"})
    assert response.status_code == 406
    assert codes(response) == ["BAD_USER_INPUT"]
    assert upstream.log.entries == []


REQUEST_ERRORS = [
    ("{ person(personId: 1) { id }", None),  # parse
    ("{ nosuchfield }", None),  # validation
    ("query($id: Int!) { person(personId: $id) { id } }", {"id": "twelve"}),  # coercion
]


@pytest.mark.parametrize(("query", "variables"), REQUEST_ERRORS)
async def test_request_errors_per_media_type(
    http: httpx.AsyncClient, upstream: Emulator, query: str, variables: dict[str, str] | None
) -> None:
    upstream.log.clear()
    body = {"query": query, "variables": variables}
    modern = await http.post("/graphql", json=body, headers={"accept": GRAPHQL_RESPONSE})
    legacy = await http.post("/graphql", json=body, headers={"accept": "application/json"})
    assert (modern.status_code, legacy.status_code) == (400, 200)
    for response in (modern, legacy):
        assert "data" not in response.json()  # no execution happened
        assert codes(response) == ["BAD_USER_INPUT"]
    assert upstream.log.entries == []


async def test_body_over_the_limit_is_413_before_parsing(upstream: Emulator) -> None:
    upstream.log.clear()
    async with serve(make_settings(max_body_bytes=1000), upstream) as http:
        padding = " " * 1000
        response = await http.post("/graphql", json={"query": QUERY + padding})
        assert response.status_code == 413
        assert codes(response) == ["BAD_USER_INPUT"]
        assert "1000 bytes" in response.json()["errors"][0]["message"]

        async def chunked() -> AsyncIterator[bytes]:  # no content-length: counted as it streams in
            for _ in range(20):
                yield b" " * 100

        streamed = await http.post(
            "/graphql", content=chunked(), headers={"content-type": "application/json"}
        )
        assert streamed.status_code == 413
        small = await http.post("/graphql", json={"query": QUERY})
        assert small.json()["data"] == {"person": {"name": "John Doe"}}
    assert len(upstream.log.entries) == 1


async def test_long_search_term_is_bad_user_input(
    http: httpx.AsyncClient, upstream: Emulator
) -> None:
    upstream.log.clear()
    query = "query($t: String!) { searchPersons(term: $t) { results { id } } }"
    response = await http.post("/graphql", json={"query": query, "variables": {"t": "x" * 100_000}})
    body = response.json()
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    assert upstream.log.entries == []


@pytest.mark.parametrize("header", ["x-pipedrive-api-token", "authorization"])
async def test_non_ascii_credential_is_unauthenticated_and_never_logged(
    http: httpx.AsyncClient,
    upstream: Emulator,
    caplog: pytest.LogCaptureFixture,
    header: str,
) -> None:
    upstream.log.clear()
    secret = "s3cr\xe9tT0ken"
    value = f"Bearer {secret}" if header == "authorization" else secret
    caplog.set_level(logging.DEBUG)
    response = await http.post(
        "/graphql", json={"query": QUERY}, headers={header.encode(): value.encode("latin-1")}
    )
    assert response.status_code == 401
    assert codes(response) == ["UNAUTHENTICATED"]
    assert upstream.log.entries == []
    logged = caplog.text + response.text
    for part in ("s3cr", "T0ken", "\xe9", "\\xe9"):
        assert part not in logged


async def test_favicon_is_served(http: httpx.AsyncClient) -> None:
    response = await http.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in response.content
    page = await http.get("/graphql", headers={"accept": "text/html"})
    assert 'rel="icon" href="/favicon.ico"' in page.text


async def test_server_token_still_works_with_valid_credentials(
    http: httpx.AsyncClient, upstream: Emulator
) -> None:
    upstream.log.clear()
    response = await http.post(
        "/graphql", json={"query": QUERY}, headers={"x-pipedrive-api-token": TEST_TOKEN}
    )
    assert response.json()["data"] == {"person": {"name": "John Doe"}}
    assert len(upstream.log.entries) == 1
