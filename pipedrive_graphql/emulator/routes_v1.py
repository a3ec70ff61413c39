"""v1 routes: notes, users, mail messages (served under `/v1` and `/api/v1`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .clock import utc_now, v1_time
from .entities import Record
from .envelopes import bad_request, json_response, not_found_v1, v1_list, v1_single
from .params import bool_param, int_param
from .references import check_references
from .requests import json_body, path_id, store_of
from .store import Store, public

Handler = Callable[[Request], Awaitable[Response]]
NOTE_SORT = (
    "id",
    "user_id",
    "deal_id",
    "person_id",
    "org_id",
    "content",
    "add_time",
    "update_time",
)
PIN_FLAGS = ("lead", "deal", "organization", "person", "project", "task")
NOTE_LINKS = ("deal_id", "person_id", "org_id", "lead_id", "project_id", "task_id")


def offset_params(request: Request) -> tuple[int, int]:
    """v1 `start` (default 0) and `limit` (default 100, capped at 500)."""
    start = int_param(request.query_params, "start") or 0
    limit = int_param(request.query_params, "limit") or 100
    if start < 0 or limit < 1:
        raise bad_request('"start" and "limit" must be positive')
    return start, min(limit, 500)


def note_view(store: Store, note: Record) -> Record:
    """A note as v1 returns it, with the embedded deal/person/organization/user."""
    deal = store.get("deals", note["deal_id"]) if note["deal_id"] else None
    person = store.get("persons", note["person_id"]) if note["person_id"] else None
    org = store.get("organizations", note["org_id"]) if note["org_id"] else None
    user = store.get("users", note["user_id"])
    me = store.company.get("me_user_id", 1)
    # The spec's note examples carry `deal`, `person`, `organization` only for linked records
    # and no `task_id` when no task is linked: left out here likewise, never sent as null.
    linked = {
        "deal": {"title": deal["title"]} if deal else None,
        "person": {"name": person["name"]} if person else None,
        "organization": {"name": org["name"]} if org else None,
    }
    view = public(note)
    if view.get("task_id") is None:
        view.pop("task_id", None)
    return {
        **view,
        **{key: value for key, value in linked.items() if value is not None},
        "user": {
            "email": user["email"],
            "icon_url": user["icon_url"] or "",
            "is_you": user["id"] == me,
            "name": user["name"],
        }
        if user
        else None,
    }


def _sort_notes(rows: list[Record], sort: str | None) -> list[Record]:
    keys = [("id", False)]
    if sort:
        keys = []
        for part in sort.split(","):
            field, _, order = part.strip().partition(" ")
            if field not in NOTE_SORT or order.strip().upper() not in ("", "ASC", "DESC"):
                raise bad_request(f'"sort" field {field!r} is not sortable')
            keys.append((field, order.strip().upper() == "DESC"))
    for field, desc in reversed([*keys, ("id", False)]):
        rows.sort(key=_sort_key(field), reverse=desc)
    return rows


def _sort_key(field: str) -> Callable[[Record], tuple[bool, Any]]:
    return lambda r: (r.get(field) is not None, r.get(field) or 0)


async def list_notes(request: Request) -> Response:
    """GET /v1/notes."""
    store, query = store_of(request), request.query_params
    start, limit = offset_params(request)
    wanted = {k: int_param(query, k) for k in ("user_id", "deal_id", "person_id", "org_id")}
    pins = {
        f"pinned_to_{p}_flag": bool_param(query, f"pinned_to_{p}_flag", numeric=True)
        for p in PIN_FLAGS
    }
    rows = [
        n
        for n in store.all("notes")
        if n["active_flag"]
        and all(v is None or n.get(k) == v for k, v in {**wanted, **pins}.items())
    ]
    rows = _sort_notes(rows, query.get("sort"))
    page = rows[start : start + limit]
    return v1_list([note_view(store, n) for n in page], start, limit, start + limit < len(rows))


async def get_note(request: Request) -> Response:
    """GET /v1/notes/{id}."""
    store = store_of(request)
    note = store.get("notes", path_id(request))
    if note is None or not note["active_flag"]:
        raise not_found_v1("note")
    return v1_single(note_view(store, note))


def _note_changes(body: Any, creating: bool) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    changes: dict[str, Any] = {}
    if "content" in body or creating:
        if not isinstance(body.get("content"), str) or not body["content"].strip():
            raise bad_request("Content must be given.")
        changes["content"] = body["content"]
    for key in ("deal_id", "person_id", "org_id", "user_id", "project_id", "task_id"):
        if key in body:
            value = body[key]
            if not isinstance(value, int) or isinstance(value, bool):
                raise bad_request("provided dataset is not valid", f'"{key}" must be a number')
            changes[key] = value
    if "lead_id" in body:
        changes["lead_id"] = body["lead_id"]
    for pin in PIN_FLAGS:
        key = f"pinned_to_{pin}_flag"
        if key in body:
            if body[key] not in (0, 1) or isinstance(body[key], bool):
                raise bad_request("provided dataset is not valid", f'"{key}" must be one of [0, 1]')
            changes[key] = bool(body[key])
    if creating and not any(changes.get(k) for k in NOTE_LINKS):
        raise bad_request(
            "Note must be attached to a deal, person, organization, lead, project or task."
        )
    return changes


async def create_note(request: Request) -> Response:
    """POST /v1/notes (200)."""
    store = store_of(request)
    changes = _note_changes(await json_body(request), creating=True)
    check_references(store, "notes", changes)
    now = v1_time(utc_now())
    changes.setdefault("user_id", store.company.get("me_user_id", 1))
    created = store.create(
        "notes",
        {**changes, "add_time": now, "update_time": now, "last_update_user_id": changes["user_id"]},
    )
    return v1_single(note_view(store, created))


async def update_note(request: Request) -> Response:
    """PUT /v1/notes/{id}."""
    store = store_of(request)
    note_id = path_id(request)
    if store.get("notes", note_id) is None:
        raise not_found_v1("note")
    changes = _note_changes(await json_body(request), creating=False)
    check_references(store, "notes", changes)
    changes["update_time"] = v1_time(utc_now())
    return v1_single(note_view(store, store.update("notes", note_id, changes)))


async def notes_collection(request: Request) -> Response:
    """Dispatch /v1/notes by method."""
    return await (create_note if request.method == "POST" else list_notes)(request)


async def note_item(request: Request) -> Response:
    """Dispatch /v1/notes/{id} by method."""
    return await (update_note if request.method == "PUT" else get_note)(request)


def user_view(store: Store, user: Record, *, me: bool = False) -> Record:
    """A user as v1 returns it; `/users/me` adds the company fields."""
    view = {**public(user), "is_you": user["id"] == store.company.get("me_user_id", 1)}
    if me:
        view.update({k: v for k, v in store.company.items() if k != "me_user_id"})
    return view


async def list_users(request: Request) -> Response:
    """GET /v1/users (all users, no pagination)."""
    store = store_of(request)
    return json_response(
        {"success": True, "data": [user_view(store, u) for u in store.all("users")]}
    )


async def get_user(request: Request) -> Response:
    """GET /v1/users/{id}."""
    store = store_of(request)
    user = store.get("users", path_id(request))
    if user is None:
        raise not_found_v1("user")
    return v1_single(user_view(store, user))


async def get_me(request: Request) -> Response:
    """GET /v1/users/me."""
    store = store_of(request)
    user = store.get("users", store.company.get("me_user_id", 1))
    if user is None:
        raise not_found_v1("user")
    return v1_single(user_view(store, user, me=True))


def v1_routes() -> list[Route]:
    """Every v1 route, under both `/v1` and `/api/v1`."""
    from .routes_mail import mail_routes

    routes: list[Route] = []
    for prefix in ("/v1", "/api/v1"):
        routes += [
            Route(f"{prefix}/notes", notes_collection, methods=["GET", "POST"]),
            Route(f"{prefix}/notes/{{id}}", note_item, methods=["GET", "PUT"]),
            Route(f"{prefix}/users", list_users, methods=["GET"]),
            Route(f"{prefix}/users/me", get_me, methods=["GET"]),
            Route(f"{prefix}/users/{{id}}", get_user, methods=["GET"]),
            *mail_routes(prefix),
        ]
    return routes
