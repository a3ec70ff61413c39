"""DELETE routes: v2 persons, deals, organizations, activities and v1 notes (soft deletes).

Pipedrive keeps a deleted record for 30 days: v2 marks it `is_deleted` (lists leave it out, a
single GET still returns it), v1 notes get `active_flag: false` (and are then not found).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .envelopes import json_response, not_found_v1, not_found_v2
from .requests import path_id, store_of

DELETABLE_V2 = ("persons", "deals", "organizations", "activities")


def delete_v2(table: str) -> Callable[[Request], Awaitable[Response]]:
    """DELETE /api/v2/{table}/{id}: `{"success": true, "data": {"id": …}}`."""

    async def handler(request: Request) -> Response:
        store = store_of(request)
        entity_id = path_id(request)
        current = store.get(table, entity_id)
        if current is None or current.get("is_deleted"):
            raise not_found_v2()
        store.soft_delete(table, entity_id, {"is_deleted": True})
        return json_response({"success": True, "data": {"id": entity_id}})

    return handler


async def delete_note(request: Request) -> Response:
    """DELETE /v1/notes/{id}: `{"success": true, "data": true}`."""
    store = store_of(request)
    note_id = path_id(request)
    current = store.get("notes", note_id)
    if current is None or not current["active_flag"]:
        raise not_found_v1("note")
    store.soft_delete("notes", note_id, {"active_flag": False})
    return json_response({"success": True, "data": True})


def lifecycle_routes() -> list[Route]:
    """The DELETE routes (method-specific, next to the GET/PATCH routes of the same paths)."""
    routes = [
        Route(f"/api/v2/{table}/{{id:int}}", delete_v2(table), methods=["DELETE"])
        for table in DELETABLE_V2
    ]
    routes += [
        Route(f"{prefix}/notes/{{id:int}}", delete_note, methods=["DELETE"])
        for prefix in ("/v1", "/api/v1")
    ]
    return routes
