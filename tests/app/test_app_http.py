"""GraphQL over HTTP: GET and POST, GraphiQL, health and readiness, malformed requests."""

from __future__ import annotations

import httpx

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator
from tests.conftest import make_settings

QUERY = "query($id: Int!) { person(personId: $id) { id name organization { name } } }"


async def test_post_runs_a_nested_query(http: httpx.AsyncClient, upstream: Emulator) -> None:
    response = await http.post("/graphql", json={"query": QUERY, "variables": {"id": 12345}})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["data"]["person"] == {
        "id": 12345,
        "name": "John Doe",
        "organization": {"name": "Acme Corp"},
    }
    cost = body["extensions"]["cost"]
    assert cost["upstreamRequests"] == len(upstream.log.entries) == 2
    assert cost["pipedriveTokens"] == sum(e.token_cost for e in upstream.log.entries)


async def test_get_runs_a_query_with_json_variables(
    http: httpx.AsyncClient, upstream: Emulator
) -> None:
    params = {"query": QUERY, "variables": '{"id": 12345}'}
    response = await http.get("/graphql", params=params)
    assert response.status_code == 200
    assert response.json()["data"]["person"]["name"] == "John Doe"


async def test_get_refuses_mutations_without_calling_upstream(
    http: httpx.AsyncClient, upstream: Emulator
) -> None:
    mutation = 'mutation { addPerson(name: "Over GET") { id } }'
    response = await http.get("/graphql", params={"query": mutation})
    assert response.status_code == 405
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert upstream.log.entries == []


async def test_browser_gets_graphiql_with_local_assets(http: httpx.AsyncClient) -> None:
    page = await http.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "GraphiQL" in page.text
    assert "unpkg.com" not in page.text  # works without internet access
    for asset in ("graphiql.min.js", "graphiql.min.css", "react.production.min.js"):
        assert f"/static/{asset}" in page.text
        served = await http.get(f"/static/{asset}")
        assert served.status_code == 200
        assert len(served.content) > 1000


async def test_malformed_requests_are_bad_user_input(
    http: httpx.AsyncClient, upstream: Emulator
) -> None:
    cases = [
        await http.post(
            "/graphql", content=b"{not json", headers={"content-type": "application/json"}
        ),
        await http.post("/graphql", json=["not", "an", "object"]),
        await http.post("/graphql", json={"variables": {}}),
        await http.post("/graphql", json={"query": "{ person(personId: 1) { id }"}),
        await http.post("/graphql", json={"query": "{ nosuchfield }"}),
        await http.post("/graphql", json={"query": QUERY, "variables": {"id": "twelve"}}),
    ]
    for response in cases:
        errors = response.json()["errors"]
        assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"] * len(errors)
        assert errors
    # Not a GraphQL request (body, shape) is 400; a GraphQL request whose document or variables
    # fail is, in application/json, a 200 with the errors in the body (GraphQL over HTTP).
    assert [r.status_code for r in cases] == [400, 400, 400, 200, 200, 200]
    assert ["data" in r.json() for r in cases] == [False] * 6
    assert upstream.log.entries == []


async def test_healthz_and_readyz(http: httpx.AsyncClient, upstream: Emulator) -> None:
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    ready = await http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"
    assert [e.path for e in upstream.log.entries] == ["/api/v1/users/me"]
    await http.get("/readyz")
    assert len(upstream.log.entries) == 1  # probed at most every few seconds, not per call


async def test_readyz_is_503_when_pipedrive_is_unreachable() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    app = create_app(
        make_settings(),
        upstream_transport=httpx.MockTransport(refuse),
        upstream_base_url="http://pipedrive.test",
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://s") as client:
            response = await client.get("/readyz")
            assert (await client.get("/healthz")).status_code == 200
    assert response.status_code == 503
    assert response.json()["code"] == "UPSTREAM_UNAVAILABLE"


async def test_batching_off_turns_off_sharing_between_requests() -> None:
    app = create_app(make_settings(batching=False))
    async with app.router.lifespan_context(app):
        assert app.state.runtime.guard.coalesce is False
    app = create_app(make_settings())
    async with app.router.lifespan_context(app):
        assert app.state.runtime.guard.coalesce is True
