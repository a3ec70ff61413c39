"""The ids a write body names must exist: Pipedrive refuses a write that links to nothing.

A body's reference to a missing (or deleted) person, organization, deal, user, pipeline or
stage is a request Pipedrive does not accept: 400 with its validation error shape (the status
for a request "not understood"; 404 is kept for the entity in the path), the same as this
emulator's answer to an unknown `stage_id`. Nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .envelopes import bad_request
from .store import Store

# body key -> (table it names, the name Pipedrive's message uses)
_TARGETS: dict[str, tuple[str, str]] = {
    "person_id": ("persons", "Person"),
    "org_id": ("organizations", "Organization"),
    "deal_id": ("deals", "Deal"),
    "owner_id": ("users", "User"),
    "user_id": ("users", "User"),
    "creator_user_id": ("users", "User"),
    "pipeline_id": ("pipelines", "Pipeline"),
    "stage_id": ("stages", "Stage"),
}
# which keys each table's writes may carry (v2 bodies, v1 notes)
REFERENCES: dict[str, tuple[str, ...]] = {
    "persons": ("owner_id", "org_id"),
    "deals": ("owner_id", "person_id", "org_id", "pipeline_id", "stage_id"),
    "organizations": ("owner_id",),
    "activities": ("owner_id", "deal_id", "person_id", "org_id"),
    "notes": ("deal_id", "person_id", "org_id", "user_id"),
}


def _exists(store: Store, table: str, entity_id: int) -> bool:
    record = store.get(table, entity_id)
    return record is not None and not record.get("is_deleted")


def check_references(store: Store, table: str, body: Mapping[str, Any]) -> None:
    """Raise a 400 for the first id of `body` that names no live record (None unlinks)."""
    for key in REFERENCES[table]:
        value = body.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            _check(store, key, value)
    participants = body.get("participants") if table == "activities" else None
    for participant in participants if isinstance(participants, list) else ():
        person_id = participant.get("person_id") if isinstance(participant, dict) else None
        if isinstance(person_id, int) and not isinstance(person_id, bool):
            _check(store, "person_id", person_id)


def _check(store: Store, key: str, entity_id: int) -> None:
    target, name = _TARGETS[key]
    if not _exists(store, target, entity_id):
        raise bad_request(f"{name} not found", f'"{key}" {entity_id} does not exist')
