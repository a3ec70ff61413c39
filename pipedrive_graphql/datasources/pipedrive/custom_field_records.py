"""Custom field definitions: their records, the endpoints that list them, and their parsing.

Pipedrive describes each account's own fields in `GET /api/v2/{deal,person,organization,
activity}Fields` (10 tokens a page, cursor paged); values travel in an entity's `custom_fields`
object keyed by the field's 40-character `field_code`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Entity = Literal["deal", "person", "organization", "activity"]
FIELD_PATHS: Mapping[Entity, str] = {
    "deal": "/dealFields",
    "person": "/personFields",
    "organization": "/organizationFields",
    "activity": "/activityFields",
}
# The v2 list paths whose `custom_fields=` parameter selects values (at most 15 keys).
VALUE_PATHS: Mapping[str, Entity] = {
    "/deals": "deal",
    "/persons": "person",
    "/organizations": "organization",
}
MAX_SELECTED_KEYS = 15


@dataclass(frozen=True, slots=True)
class FieldOption:
    """One option of an `enum` or `set` field."""

    id: int
    label: str


@dataclass(frozen=True, slots=True)
class FieldDefinition:
    """One custom field of an account: its key (`field_code`), name, type and options."""

    key: str
    name: str
    field_type: str
    options: tuple[FieldOption, ...] = ()

    def option(self, option_id: int) -> FieldOption | None:
        """The option with this id, or None (it may have been deleted)."""
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class FieldDefinitions:
    """The custom fields of one entity type of one account, in the account's field order."""

    entity: Entity
    fields: tuple[FieldDefinition, ...]
    by_key: Mapping[str, FieldDefinition] = field(init=False)
    by_name: Mapping[str, FieldDefinition] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {f.key: f for f in self.fields})
        # The first of two fields sharing a name wins, as in Pipedrive's own field order.
        names: dict[str, FieldDefinition] = {}
        for definition in self.fields:
            names.setdefault(definition.name.casefold(), definition)
        object.__setattr__(self, "by_name", names)

    def find(self, *, name: str | None = None, key: str | None = None) -> FieldDefinition | None:
        """The field with this key, or with this name (case-insensitive), or None."""
        if key is not None:
            return self.by_key.get(key)
        if name is not None:
            return self.by_name.get(name.strip().casefold())
        return None


def parse_definition(obj: dict[str, Any]) -> FieldDefinition | None:
    """A v2 field object; None for Pipedrive's built-in fields (`is_custom_field` false)."""
    if obj.get("is_custom_field") is not True:
        return None
    key, name, kind = obj.get("field_code"), obj.get("field_name"), obj.get("field_type")
    if not isinstance(key, str) or not isinstance(name, str) or not isinstance(kind, str):
        return None
    options = tuple(
        FieldOption(option["id"], str(option.get("label") or ""))
        for option in obj.get("options") or ()
        if isinstance(option, dict) and type(option.get("id")) is int
    )
    return FieldDefinition(key, name, kind, options)
