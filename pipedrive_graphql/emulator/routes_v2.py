"""v2 entity routes: list (ids, filters, cursor), get, POST and PATCH."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .custom_field_writes import apply_custom_fields
from .custom_fields import project, selected_keys
from .envelopes import not_found_v2, v2_list, v2_single
from .included import requested, v2_view
from .listing import LISTS, select
from .pagination import keyset_page
from .params import choice_param, limit_param
from .references import check_references
from .requests import json_body, path_id, store_of
from .routes_lifecycle import lifecycle_routes
from .search import search_route
from .writes import check_body, prepare

Handler = Callable[[Request], Awaitable[Response]]
WRITABLE = ("persons", "deals", "organizations", "activities")


def list_handler(table: str, *, archived: bool = False) -> Handler:
    """GET /api/v2/{table} (for deals: `/deals`, or `/deals/archived` when `archived`)."""
    spec = LISTS[table]

    async def handler(request: Request) -> Response:
        query = request.query_params
        store = store_of(request)
        sort_by = choice_param(query, "sort_by", spec.sort_fields, "id")
        direction = choice_param(query, "sort_direction", ("asc", "desc"), "asc")
        limit = limit_param(query)
        keys = selected_keys(query)
        rows = select(store, spec, query, archived=archived)
        page, cursor = keyset_page(rows, sort_by, direction, query.get("cursor"), limit)
        names = requested(query)
        return v2_list([project(v2_view(store, table, r, names), keys) for r in page], cursor)

    return handler


def get_handler(table: str) -> Handler:
    """GET /api/v2/{table}/{id} (archived and deleted records too, as Pipedrive does)."""

    async def handler(request: Request) -> Response:
        store = store_of(request)
        record = store.get(table, path_id(request))
        if record is None:
            raise not_found_v2()
        return v2_single(v2_view(store, table, record, requested(request.query_params)))

    return handler


def create_handler(table: str) -> Handler:
    """POST /api/v2/{table} (200, the created entity)."""

    async def handler(request: Request) -> Response:
        store = store_of(request)
        body = check_body(table, await json_body(request), creating=True)
        check_references(store, table, body)
        apply_custom_fields(store, table, body, None)
        created = store.create(table, prepare(store, table, body, None))
        return v2_single(v2_view(store, table, created))

    return handler


def update_handler(table: str) -> Handler:
    """PATCH /api/v2/{table}/{id} (the updated entity)."""

    async def handler(request: Request) -> Response:
        store = store_of(request)
        entity_id = path_id(request)
        current = store.get(table, entity_id)
        if current is None or current.get("is_deleted"):
            raise not_found_v2()
        body = check_body(table, await json_body(request), creating=False)
        check_references(store, table, body)
        apply_custom_fields(store, table, body, current)
        updated = store.update(table, entity_id, prepare(store, table, body, current))
        return v2_single(v2_view(store, table, updated))

    return handler


def v2_routes() -> list[Route]:
    """Every v2 route, under `/api/v2`."""
    routes = [
        Route(f"/api/v2/{t}/search", search_route(t), methods=["GET"])
        for t in ("persons", "deals", "organizations")
    ]
    routes.append(
        Route("/api/v2/deals/archived", list_handler("deals", archived=True), methods=["GET"])
    )
    routes += lifecycle_routes()
    for table in LISTS:
        methods = ["GET", "POST"] if table in WRITABLE else ["GET"]
        routes.append(Route(f"/api/v2/{table}", _by_method(table, methods), methods=methods))
        item_methods = ["GET", "PATCH"] if table in WRITABLE else ["GET"]
        routes.append(Route(f"/api/v2/{table}/{{id}}", _item(table), methods=item_methods))
    return routes


def _by_method(table: str, methods: list[str]) -> Handler:
    lister, creator = list_handler(table), create_handler(table)

    async def handler(request: Request) -> Response:
        return await (creator if request.method == "POST" else lister)(request)

    return handler


def _item(table: str) -> Handler:
    getter, updater = get_handler(table), update_handler(table)

    async def handler(request: Request) -> Response:
        return await (updater if request.method == "PATCH" else getter)(request)

    return handler
