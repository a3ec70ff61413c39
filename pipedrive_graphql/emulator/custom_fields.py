"""Custom fields: the v2 and v1 field-definition endpoints and `custom_fields=` on v2 lists.

Definitions live in the store's `field_definitions` table, one record per custom field:
`{id, entity ("deal" | "person" | "organization" | "activity"), field_code, field_name,
field_type, options: [{id, label}], deleted_options: [{id, label}], order_nr}`. Pipedrive's
built-in fields are listed before them (`is_custom_field: false`), as the live API does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .entities import Record
from .envelopes import bad_request, v1_list, v2_list
from .pagination import offset_cursor, offset_from_cursor
from .params import int_param, limit_param
from .requests import store_of
from .store import Store

TABLE = "field_definitions"
ROUTES = {
    "dealFields": "deal",
    "personFields": "person",
    "organizationFields": "organization",
    "activityFields": "activity",
}
ENTITY_OF_TABLE = {"deals": "deal", "persons": "person", "organizations": "organization"}
MAX_KEYS = 15  # the spec's limit on `custom_fields=` ("A maximum of 15 keys is allowed.")
# A few built-in fields per entity, so that clients must tell them apart from custom ones.
BUILT_IN: dict[str, tuple[tuple[str, str, str], ...]] = {
    "deal": (("title", "Title", "varchar"), ("value", "Value", "monetary")),
    "person": (("name", "Name", "varchar"), ("phones", "Phone", "phone")),
    "organization": (("name", "Name", "varchar"), ("address", "Address", "address")),
    "activity": (("subject", "Subject", "varchar"), ("due_date", "Due date", "date")),
}
SUBFIELDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "monetary": (("value", "Amount", "double"), ("currency", "Currency", "varchar")),
    "daterange": (("value", "Start", "date"), ("until", "End", "date")),
    "timerange": (("value", "Start", "time"), ("until", "End", "time")),
    "address": (
        ("value", "Address", "varchar"),
        ("street_number", "Street number", "varchar"),
        ("route", "Street", "varchar"),
        ("sublocality", "District", "varchar"),
        ("locality", "City", "varchar"),
        ("admin_area_level_1", "State", "varchar"),
        ("admin_area_level_2", "Region", "varchar"),
        ("country", "Country", "varchar"),
        ("postal_code", "ZIP", "varchar"),
        ("formatted_address", "Full address", "varchar"),
    ),
}


def definitions(store: Store, entity: str) -> list[Record]:
    """The custom fields of `entity`, in the account's field order."""
    rows = [d for d in store.all(TABLE) if d["entity"] == entity]
    return sorted(rows, key=lambda d: (d.get("order_nr", 0), d["id"]))


def _v2_view(definition: Record) -> Record:
    kind = definition["field_type"]
    options = definition.get("options") or []
    subfields = SUBFIELDS.get(kind)
    return {
        "field_name": definition["field_name"],
        "field_code": definition["field_code"],
        "description": definition.get("description", ""),
        "field_type": kind,
        "options": (
            [{"id": o["id"], "label": o["label"], "color": None} for o in options]
            if kind in ("enum", "set")
            else None
        ),
        "subfields": (
            [{"field_code": c, "field_name": n, "field_type": t} for c, n, t in subfields]
            if subfields
            else None
        ),
        "is_custom_field": True,
        "is_optional_response_field": False,
    }


def _v2_built_in(code: str, name: str, kind: str) -> Record:
    return {
        "field_name": name,
        "field_code": code,
        "description": "",
        "field_type": kind,
        "options": None,
        "subfields": None,
        "is_custom_field": False,
        "is_optional_response_field": False,
    }


def _v1_view(definition: Record) -> Record:
    kind = definition["field_type"]
    view: Record = {
        "id": definition["id"],
        "key": definition["field_code"],
        "name": definition["field_name"],
        "order_nr": definition.get("order_nr", 0),
        "field_type": kind,
        "add_time": "2024-01-01T00:00:00Z",  # the schema types it date-time
        "update_time": "2024-01-01T00:00:00Z",
        "last_updated_by_user_id": 1,
        "created_by_user_id": 1,
        "active_flag": True,
        "edit_flag": True,
        "important_flag": False,
        "bulk_edit_allowed": True,
        "searchable_flag": kind in SEARCHABLE,
        "mandatory_flag": False,
        "options": list(definition.get("options") or []) if kind in ("enum", "set") else None,
    }
    if definition.get("deleted_options"):
        view["options_deleted"] = list(definition["deleted_options"])
    return view


# Pipedrive searches custom fields of these types only (v2 itemSearch `fields` description).
SEARCHABLE = frozenset(
    {"address", "varchar", "text", "varchar_auto", "double", "monetary", "phone"}
)


def v2_fields_route(entity: str) -> Callable[[Request], Awaitable[Response]]:
    """GET /api/v2/{entity}Fields: built-in then custom fields, cursor paged (≤ 500)."""

    async def handler(request: Request) -> Response:
        query = request.query_params
        limit = limit_param(query)
        offset = offset_from_cursor(query.get("cursor"))
        views = [_v2_built_in(*b) for b in BUILT_IN[entity]]
        views += [_v2_view(d) for d in definitions(store_of(request), entity)]
        if entity != "deal":  # only the dealFields schema declares a description
            views = [{k: v for k, v in view.items() if k != "description"} for view in views]
        page = views[offset : offset + limit]
        more = offset + limit < len(views)
        return v2_list(page, offset_cursor(offset + limit) if more else None)

    return handler


def v1_fields_route(entity: str) -> Callable[[Request], Awaitable[Response]]:
    """GET /v1/{entity}Fields: custom fields with `key`, `options` and `options_deleted`."""

    async def handler(request: Request) -> Response:
        query = request.query_params
        start = int_param(query, "start") or 0
        limit = limit_param(query)
        views = [_v1_view(d) for d in definitions(store_of(request), entity)]
        page = views[start : start + limit]
        return v1_list(page, start, limit, start + limit < len(views))

    return handler


def custom_field_routes() -> list[Route]:
    """The field-definition routes: v2 under `/api/v2`, v1 under `/v1` and `/api/v1`."""
    routes = [
        Route(f"/api/v2/{path}", v2_fields_route(entity), methods=["GET"])
        for path, entity in ROUTES.items()
    ]
    for prefix in ("/v1", "/api/v1"):
        routes += [
            Route(f"{prefix}/{path}", v1_fields_route(entity), methods=["GET"])
            for path, entity in ROUTES.items()
        ]
    return routes


def selected_keys(query: QueryParams) -> frozenset[str] | None:
    """The keys of `custom_fields=` (None when absent); more than 15 is a 400."""
    raw = query.get("custom_fields")
    if raw is None:
        return None
    keys = frozenset(k.strip() for k in raw.split(",") if k.strip())
    if len(keys) > MAX_KEYS:
        raise bad_request("Validation failed", f'"custom_fields" allows at most {MAX_KEYS} keys')
    return keys


def project(record: Record, keys: frozenset[str] | None) -> Record:
    """`record` with only the selected custom field values (all when `keys` is None)."""
    values = record.get("custom_fields")
    if keys is None or not isinstance(values, dict):
        return record
    return {**record, "custom_fields": {k: v for k, v in values.items() if k in keys}}


def custom_match(
    store: Store, table: str, record: Record, term: str, exact: bool
) -> tuple[float, list[str]]:
    """Relevance of `record`'s searchable custom values for `term`, and the values matched."""
    entity = ENTITY_OF_TABLE.get(table)
    values: dict[str, Any] = record.get("custom_fields") or {}
    if entity is None or not values:
        return 0.0, []
    needle = term.lower()
    best, found = 0.0, []
    for definition in definitions(store, entity):
        if definition["field_type"] not in SEARCHABLE:
            continue
        text = searchable_text(values.get(definition["field_code"]))
        if text is None:
            continue
        lowered = text.lower()
        relevance = (
            1.0
            if lowered == needle
            else 0.0
            if exact
            else 0.8
            if lowered.startswith(needle)
            else 0.5
            if needle in lowered
            else 0.0
        )
        if relevance:
            best = max(best, relevance)
            found.append(text)
    return best, found


def searchable_text(value: Any) -> str | None:
    """The text search matches for a value: address and monetary by their `value`."""
    if isinstance(value, dict):
        value = value.get("value")
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)
