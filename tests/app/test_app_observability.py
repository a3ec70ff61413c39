"""Text log lines keep the request id."""

from __future__ import annotations

import io
import logging

import httpx

from pipedrive_graphql.logs import RequestIdFilter, TextFormatter


async def test_text_log_lines_carry_the_request_id(http: httpx.AsyncClient) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(TextFormatter())
    requests_logger = logging.getLogger("pipedrive_graphql.requests")
    requests_logger.addHandler(handler)
    previous = requests_logger.level
    requests_logger.setLevel(logging.INFO)
    try:
        await http.post(
            "/graphql",
            json={"query": "query Missing { person(personId: 424242) { id } }"},
            headers={"x-request-id": "req-text-42"},
        )
    finally:
        requests_logger.removeHandler(handler)
        requests_logger.setLevel(previous)
    assert stream.getvalue().splitlines() == [
        "INFO pipedrive_graphql.requests [req-text-42]: graphql query Missing: NOT_FOUND"
    ]
    outside = logging.makeLogRecord({"name": "x", "levelname": "INFO", "msg": "startup"})
    assert TextFormatter().format(outside) == "INFO x: startup"
