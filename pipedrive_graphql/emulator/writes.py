"""v2 write bodies: strict type checks and the derived fields Pipedrive fills in."""

from __future__ import annotations

from typing import Any

from .clock import utc_now, v2_time
from .entities import UNSET_ACTIVITY_TEXT, Record
from .envelopes import bad_request
from .seed_lifecycle import EMPTY_ADDRESS
from .store import Store

_INT, _NUM, _BOOL, _STR, _LIST, _OBJ = "integer", "number", "boolean", "string", "array", "object"
_NULLABLE = {
    "probability",
    "lost_reason",
    "close_time",
    "org_id",
    "person_id",
    "expected_close_date",
    "won_time",
    "lost_time",
    "website",
    "linkedin",
    "industry",
    "annual_revenue",
    "employee_count",
    "address",
    "due_date",
    "due_time",
    "duration",
    "note",
    "deal_id",
    "location",
    "priority",
    "public_description",
    "custom_fields",
}
BODY_FIELDS: dict[str, dict[str, str]] = {
    "persons": {
        "name": _STR,
        "owner_id": _INT,
        "org_id": _INT,
        "add_time": _STR,
        "emails": _LIST,
        "phones": _LIST,
        "visible_to": _INT,
        "label_ids": _LIST,
        "custom_fields": _OBJ,
        "marketing_status": _STR,
        "first_name": _STR,
        "last_name": _STR,
    },
    "deals": {
        "title": _STR,
        "owner_id": _INT,
        "person_id": _INT,
        "org_id": _INT,
        "pipeline_id": _INT,
        "stage_id": _INT,
        "value": _NUM,
        "currency": _STR,
        "is_deleted": _BOOL,
        "is_archived": _BOOL,
        "archive_time": _STR,
        "status": _STR,
        "probability": _NUM,
        "lost_reason": _STR,
        "visible_to": _INT,
        "close_time": _STR,
        "won_time": _STR,
        "lost_time": _STR,
        "expected_close_date": _STR,
        "label_ids": _LIST,
        "custom_fields": _OBJ,
    },
    "organizations": {
        "name": _STR,
        "owner_id": _INT,
        "add_time": _STR,
        "visible_to": _INT,
        "label_ids": _LIST,
        "address": _OBJ,
        "website": _STR,
        "linkedin": _STR,
        "industry": _INT,
        "annual_revenue": _INT,
        "employee_count": _INT,
        "custom_fields": _OBJ,
    },
    "activities": {
        "subject": _STR,
        "type": _STR,
        "owner_id": _INT,
        "deal_id": _INT,
        "person_id": _INT,
        "org_id": _INT,
        "due_date": _STR,
        "due_time": _STR,
        "duration": _STR,
        "busy": _BOOL,
        "done": _BOOL,
        "location": _OBJ,
        "participants": _LIST,
        "public_description": _STR,
        "priority": _INT,
        "note": _STR,
    },
}
_REQUIRED = {"persons": "name", "deals": "title", "organizations": "name", "activities": None}


def _type_ok(value: Any, kind: str) -> bool:
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _NUM:
        return isinstance(value, int | float) and not isinstance(value, bool)
    expected = {_BOOL: bool, _STR: str, _LIST: list, _OBJ: dict}[kind]
    return isinstance(value, expected)


def check_body(table: str, body: Any, *, creating: bool) -> dict[str, Any]:
    """Validate a JSON body strictly (no string numbers, no 0/1 booleans)."""
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    fields = BODY_FIELDS[table]
    for key, value in body.items():
        kind = fields.get(key)
        if kind is None:
            continue  # undeclared fields are the strict middleware's business
        if value is None and key in _NULLABLE:
            continue
        if not _type_ok(value, kind):
            raise bad_request(
                "Validation failed", f'"{key}" must be {"an" if kind[0] in "aeiou" else "a"} {kind}'
            )
    required = _REQUIRED[table]
    named = table == "persons" and body.get("first_name") and body.get("last_name")
    if creating and required and not body.get(required) and not named:
        raise bad_request(f"{required.capitalize()} must be given.")
    return {k: v for k, v in body.items() if k in fields}


def _contacts(items: list[Any], name: str) -> list[Record]:
    out = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("value"), str):
            raise bad_request("Validation failed", f'"{name}" items need a string "value"')
        out.append(
            {
                "value": item["value"],
                "primary": bool(item.get("primary", False)),
                "label": item.get("label") or "work",
            }
        )
    if out and not any(i["primary"] for i in out):
        out[0]["primary"] = True
    return out


def prepare(
    store: Store, table: str, body: dict[str, Any], current: Record | None
) -> dict[str, Any]:
    """Turn a validated body into record changes, deriving what Pipedrive derives."""
    now = v2_time(utc_now())
    changes: dict[str, Any] = dict(body)
    changes["update_time"] = now
    if current is None:
        changes.setdefault("add_time", now)
    if table == "persons":
        if "name" in body:
            first, _, last = body["name"].partition(" ")
            changes.setdefault("first_name", first)
            changes.setdefault("last_name", last)
        elif "first_name" in body or "last_name" in body:
            first = body.get("first_name", (current or {}).get("first_name", ""))
            last = body.get("last_name", (current or {}).get("last_name", ""))
            changes["name"] = f"{first} {last}".strip()
        for key in ("emails", "phones"):
            if key in body:
                changes[key] = _contacts(body[key], key)
    elif table == "deals":
        _deal_changes(store, changes, current, now)
    elif table == "activities":
        # Clearing a text field stores "" and clearing the location stores the empty address
        # object: Pipedrive answers these as "" / an object, never null.
        for key in UNSET_ACTIVITY_TEXT:
            if key in body and body[key] is None:
                changes[key] = ""
        if "location" in body and body["location"] is None:
            changes["location"] = dict(EMPTY_ADDRESS)
        if "done" in body:
            changes["marked_as_done_time"] = now if body["done"] else None
        if "participants" in body:
            primary = [p for p in body["participants"] if isinstance(p, dict) and p.get("primary")]
            chosen = (primary or body["participants"] or [{}])[0]
            changes["person_id"] = chosen.get("person_id") if isinstance(chosen, dict) else None
        elif "person_id" in body:
            # `person_id` alone makes that person the primary participant, keeping the others.
            others = [
                {**p, "primary": False}
                for p in (current or {}).get("participants", [])
                if p.get("person_id") != body["person_id"]
            ]
            changes["participants"] = [{"person_id": body["person_id"], "primary": True}, *others]
    return changes


def _deal_changes(store: Store, changes: dict[str, Any], current: Record | None, now: str) -> None:
    stage_id = changes.get("stage_id")
    if stage_id is not None and (current is None or current["stage_id"] != stage_id):
        stage = store.get("stages", stage_id)
        if stage is None:
            raise bad_request("Stage not found", f'"stage_id" {stage_id} does not exist')
        changes["pipeline_id"] = stage["pipeline_id"]
        changes["stage_change_time"] = now
    elif current is None and "pipeline_id" in changes:
        first = min(
            (s for s in store.all("stages") if s["pipeline_id"] == changes["pipeline_id"]),
            key=lambda s: s["order_nr"],
            default=None,
        )
        if first is None:
            raise bad_request("Pipeline not found")
        changes["stage_id"] = first["id"]
    status = changes.get("status")
    if status is not None:
        if status not in ("open", "won", "lost"):
            raise bad_request('"status" must be one of [open, won, lost]')
        if current is None or current["status"] != status:
            changes["won_time"] = changes.get("won_time", now) if status == "won" else None
            changes["lost_time"] = changes.get("lost_time", now) if status == "lost" else None
            changes["close_time"] = None if status == "open" else changes.get("close_time", now)
            if status != "lost":
                changes["lost_reason"] = None
    if changes.get("lost_reason") and (status or (current or {}).get("status")) != "lost":
        raise bad_request("Lost reason can only be set if deal status is lost")
