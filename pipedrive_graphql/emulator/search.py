"""v2 `/persons/search`, `/deals/search`, `/organizations/search`: matching, scores, item shapes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from .custom_fields import custom_match
from .entities import Record
from .envelopes import bad_request, json_response
from .pagination import offset_cursor, offset_from_cursor
from .params import bool_param, int_param, limit_param
from .requests import store_of
from .store import Store

SEARCH_FIELDS = {
    "persons": ("custom_fields", "email", "notes", "phone", "name"),
    "deals": ("custom_fields", "notes", "title"),
    "organizations": ("address", "custom_fields", "notes", "name"),
}


def _values(record: Record, field: str) -> list[str]:
    if field in ("name", "title"):
        return [str(record.get(field) or "")]
    if field == "email":
        return [e["value"] for e in record.get("emails", [])]
    if field == "phone":
        return [p["value"] for p in record.get("phones", [])]
    if field == "address":
        address = (record.get("address") or {}).get("value")
        return [address] if address else []
    return []


def score(record: Record, fields: tuple[str, ...], term: str, exact: bool) -> float:
    """Relevance of `record` for `term` (0 when it does not match)."""
    needle = term.lower()
    best = 0.0
    for field in fields:
        for value in _values(record, field):
            text = value.lower()
            if text == needle:
                best = max(best, 1.0)
            elif not exact and text.startswith(needle):
                best = max(best, 0.8)
            elif not exact and needle in text:
                best = max(best, 0.5)
    return best


def _item(store: Store, table: str, r: Record) -> Record:
    owner = {"id": r["owner_id"]}
    if table == "persons":
        org = store.get("organizations", r["org_id"]) if r["org_id"] else None
        return {
            "id": r["id"],
            "type": "person",
            "name": r["name"],
            "phones": [p["value"] for p in r["phones"]],
            "emails": [e["value"] for e in r["emails"]],
            "visible_to": r["visible_to"],
            "owner": owner,
            "organization": _org_ref(org),
            "custom_fields": [],
            "notes": [],
        }
    if table == "organizations":
        return {
            "id": r["id"],
            "type": "organization",
            "name": r["name"],
            "address": (r.get("address") or {}).get("value"),
            "visible_to": r["visible_to"],
            "owner": owner,
            "custom_fields": [],
            "notes": [],
        }
    stage = store.get("stages", r["stage_id"])
    person = store.get("persons", r["person_id"]) if r["person_id"] else None
    org = store.get("organizations", r["org_id"]) if r["org_id"] else None
    return {
        "id": r["id"],
        "type": "deal",
        "title": r["title"],
        "value": _whole(r["value"]),
        "currency": r["currency"],
        "status": r["status"],
        "visible_to": r["visible_to"],
        "owner": owner,
        "stage": {"id": r["stage_id"], "name": stage["name"] if stage else ""},
        "person": {"id": person["id"], "name": person["name"]} if person else None,
        "organization": {"id": org["id"], "name": org["name"]} if org else None,
        "custom_fields": [],
        "notes": [],
        "is_archived": r["is_archived"],
    }


def _whole(value: float) -> float:
    # The search item schema types `value` as an integer.
    return int(value) if float(value).is_integer() else value


def _org_ref(org: Record | None) -> Record | None:
    if org is None:
        return None
    return {
        "id": org["id"],
        "name": org["name"],
        "address": org["address"]["value"] if org.get("address") else None,
    }


def _filters(table: str, query: QueryParams) -> dict[str, object]:
    wanted: dict[str, object] = {}
    org_id = int_param(query, "organization_id")
    if org_id is not None and table != "organizations":
        wanted["org_id"] = org_id
    if table == "deals":
        person_id = int_param(query, "person_id")
        if person_id is not None:
            wanted["person_id"] = person_id
        status = query.get("status")
        if status:
            if status not in ("open", "won", "lost"):
                raise bad_request('"status" must be one of [open, won, lost]')
            wanted["status"] = status
    return wanted


def _hit(
    store: Store,
    table: str,
    fields: tuple[str, ...],
    score: float,
    record: Record,
    term: str,
    exact: bool,
) -> Record:
    item = _item(store, table, record)
    if "custom_fields" in fields:
        item["custom_fields"] = custom_match(store, table, record, term, exact)[1]
    return {"result_score": score, "item": item}


def search_route(table: str) -> Callable[[Request], Awaitable[Response]]:
    """GET /api/v2/{table}/search."""

    async def handler(request: Request) -> Response:
        query = request.query_params
        term = (query.get("term") or "").strip()
        exact = bool_param(query, "exact_match") or False
        if len(term) < (1 if exact else 2):
            raise bad_request("Validation failed", '"term" must be at least 2 characters long')
        allowed = SEARCH_FIELDS[table]
        fields = tuple(f.strip() for f in (query.get("fields") or ",".join(allowed)).split(","))
        if not set(fields) <= set(allowed):
            raise bad_request(f'"fields" must be one of [{", ".join(allowed)}]')
        limit = limit_param(query)
        offset = offset_from_cursor(query.get("cursor"))
        wanted = _filters(table, query)
        store = store_of(request)
        hits = []
        for record in store.all(table):
            if record["is_deleted"] or any(record.get(k) != v for k, v in wanted.items()):
                continue
            value = score(record, fields, term, exact)
            if "custom_fields" in fields:
                value = max(value, custom_match(store, table, record, term, exact)[0])
            if value > 0:
                hits.append((value, record))
        hits.sort(key=lambda h: (-h[0], h[1]["id"]))
        page = hits[offset : offset + limit]
        items = [_hit(store, table, fields, s, r, term, exact) for s, r in page]
        more = offset + limit < len(hits)
        next_cursor = offset_cursor(offset + limit) if more else None
        body = {
            "success": True,
            "data": {"items": items},
            "additional_data": {"next_cursor": next_cursor},
        }
        return json_response(body)

    return handler
