"""JSON logs with a request id, and no credential in any log line even at DEBUG."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from pipedrive_graphql.emulator import Emulator
from pipedrive_graphql.logs import JsonFormatter, RequestIdFilter, request_id_from
from tests.conftest import TEST_TOKEN

REQUEST_TOKEN = "per-request-secret-token-42"
SEQUENCE: list[tuple[str, dict[str, object]]] = [
    (
        "query P($id: Int!) { person(personId: $id) { id name organization { name } } }",
        {"id": 12345},
    ),
    ("{ deals(limit: 5) { results { id person { name } stage { name } } } }", {}),
    ("{ person(personId: 424242) { id } }", {}),  # NOT_FOUND, logged at INFO
    ('mutation { addPerson(name: "Log Test", email: "log@example.com") { id } }', {}),
    (
        'mutation U($id: Int!) { updatePerson(personId: $id, name: "Renamed") { id } }',
        {"id": 12345},
    ),
    ('mutation { createDeal(title: "Logged deal", value: 10) { id } }', {}),
    ('mutation { createNote(content: "a note", dealId: 54321) { id } }', {}),
    ("{ nosuchfield }", {}),
]


async def test_no_credential_in_any_log_line_at_debug(
    http: httpx.AsyncClient, upstream: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "pipedrive_graphql", "uvicorn"):
        caplog.set_level(logging.DEBUG, logger=name)
    bodies = []
    for index, (query, variables) in enumerate(SEQUENCE):
        headers = {"X-Pipedrive-Api-Token": REQUEST_TOKEN} if index % 2 else {}
        response = await http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        bodies.append(response.text)
    await http.get("/readyz")
    assert len(upstream.log.entries) >= 8  # both credentials really went upstream
    writes = [(e.method, e.path, e.status) for e in upstream.log.entries if e.method != "GET"]
    assert [status for _, _, status in writes] == [200, 200, 200, 200]  # each write went through
    records = caplog.records
    assert any(r.name.startswith("httpx") for r in records)  # the client did log at DEBUG
    assert any(r.name == "pipedrive_graphql.requests" for r in records)
    formatter = JsonFormatter()
    for record in records:
        line = formatter.format(record)
        assert "\n" not in line
        for secret in (TEST_TOKEN, REQUEST_TOKEN):
            assert secret not in line, record.name
            assert secret not in repr(record.args), record.name
    for body in bodies:
        assert TEST_TOKEN not in body
        assert REQUEST_TOKEN not in body


async def test_request_id_is_echoed_and_in_every_line_of_the_request(
    http: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="pipedrive_graphql")
    caplog.handler.addFilter(RequestIdFilter())  # as on the handler configure_logging installs
    response = await http.post(
        "/graphql",
        json={"query": "query Lost { person(personId: 424242) { id } }"},
        headers={"X-Request-Id": "trace-abc.123"},
    )
    assert response.headers["x-request-id"] == "trace-abc.123"
    lines = [
        json.loads(JsonFormatter().format(r))
        for r in caplog.records
        if r.name == "pipedrive_graphql.requests"
    ]
    assert lines
    line = lines[-1]
    assert line["request_id"] == "trace-abc.123"
    assert line["level"] == "INFO"
    assert line["outcome"] == "NOT_FOUND"
    assert line["operation"] == "Lost"
    assert {"time", "logger", "message", "duration_ms"} <= set(line)

    generated = await http.get("/healthz", headers={"X-Request-Id": "bad id!" + "x" * 80})
    rid = generated.headers["x-request-id"]
    assert len(rid) == 32
    assert rid.isalnum()
    again = await http.get("/healthz")
    assert again.headers["x-request-id"] != rid


def test_request_id_validation() -> None:
    assert request_id_from("abc-DEF_1.2:3") == "abc-DEF_1.2:3"
    for bad in (None, "", "a" * 65, "has space", "new\nline", 'quote"'):
        made = request_id_from(bad)
        assert made != bad
        assert len(made) == 32
