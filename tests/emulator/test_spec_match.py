"""Concrete request paths are matched to the compact spec's operations."""

from __future__ import annotations

import pytest

from pipedrive_graphql.emulator.spec import load_spec


@pytest.mark.parametrize(
    ("method", "path", "operation_id", "cost", "template", "params"),
    [
        ("GET", "/api/v2/persons", "getPersons", 10, "/persons", {}),
        ("GET", "/api/v2/persons/12", "getPerson", 1, "/persons/{id}", {"id": "12"}),
        ("GET", "/api/v2/persons/search", "searchPersons", 20, "/persons/search", {}),
        ("PATCH", "/api/v2/deals/7", "updateDeal", 5, "/deals/{id}", {"id": "7"}),
        ("GET", "/v1/notes/3", "getNote", 2, "/notes/{id}", {"id": "3"}),
        ("GET", "/api/v1/notes", "getNotes", 20, "/notes", {}),
        ("GET", "/v1/users/me", "getCurrentUser", 2, "/users/me", {}),
        ("GET", "/v1/users/5", "getUser", 2, "/users/{id}", {"id": "5"}),
        ("GET", "/api/v1/mailbox/mailMessages/11111", "getMailMessage", 2, None, {"id": "11111"}),
        ("GET", "/v1/deals/1/mailMessages", "getDealMailMessages", 20, None, {"id": "1"}),
        ("POST", "/v1/webhooks", "addWebhook", 10, "/webhooks", {}),
    ],
)
def test_paths_match_their_operation(
    method: str,
    path: str,
    operation_id: str,
    cost: int,
    template: str | None,
    params: dict[str, str],
) -> None:
    match = load_spec().match(method, path)
    assert match is not None
    assert (match.operation_id, match.token_cost, match.path_params) == (
        operation_id,
        cost,
        params,
    )
    if template is not None:
        assert match.path_template == template
    assert match.operation is not None
    assert match.version == ("v2" if path.startswith("/api/v2") else "v1")


def test_unused_operations_are_priced_but_not_detailed() -> None:
    match = load_spec().match("GET", "/api/v2/products/3")
    assert match is not None
    assert (match.operation_id, match.token_cost, match.operation) == ("getProduct", 1, None)
    assert match.parameters == ()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v2/nothing"),
        ("PUT", "/api/v2/persons/1"),  # v2 updates are PATCH
        ("GET", "/v2/persons"),  # v2 lives under /api/v2 only
        ("GET", "/_emulator/log"),
    ],
)
def test_paths_outside_the_spec_do_not_match(method: str, path: str) -> None:
    assert load_spec().match(method, path) is None


def test_operations_expose_parameters_body_and_response_schemas() -> None:
    op = load_spec().operation("addPerson")
    assert op.method == "POST"
    assert op.request_body is not None
    assert "emails" in op.request_body["properties"]
    schema = op.response_schema(200)
    assert schema is not None
    assert op.response_schema(418) is None
    names = {p.name for p in load_spec().operation("getPersons").parameters}
    assert {"ids", "owner_id", "cursor", "limit", "sort_by"} <= names
