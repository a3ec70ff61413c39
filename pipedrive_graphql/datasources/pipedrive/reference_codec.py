"""Reference records as plain JSON for the shared cache: data only, nothing that can run.

A shared reference entry is a JSON array of `[type, fields]` pairs, one per record:
`["pipeline", {...}]`, `["stage", {...}]`, `["user", {...}]` carry every field of the frozen
record by name (scalars only); `["fields", {"entity": ..., "fields": [{"key", "name", "type",
"options": [{"id", "label"}]}]}]` carries one entity's custom field definitions. Decoding is
strict: an unknown type, a missing or extra field, or a value of the wrong JSON type makes the
whole entry unreadable (None), which the cache treats as a miss. That is also what an entry
written by another version of the server, whose records had other fields, becomes.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Mapping
from dataclasses import fields
from typing import Any, get_args, get_type_hints

from pipedrive_graphql.datasources.pipedrive.custom_field_records import (
    FIELD_PATHS,
    FieldDefinition,
    FieldDefinitions,
    FieldOption,
)
from pipedrive_graphql.datasources.pipedrive.records import (
    PipelineRecord,
    StageRecord,
    UserRecord,
)

FlatRecord = PipelineRecord | StageRecord | UserRecord
_FLAT: Mapping[str, type[FlatRecord]] = {
    "pipeline": PipelineRecord,
    "stage": StageRecord,
    "user": UserRecord,
}
_TAGS: Mapping[type, str] = {cls: tag for tag, cls in _FLAT.items()}
_DEFINITIONS = "fields"
_SCALARS = (int, str, bool, float, type(None))


def _scalar_types(hint: object) -> tuple[type, ...]:
    """`int` -> (int,), `str | None` -> (str, NoneType); anything else is not a scalar field."""
    options = get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    if not options or not all(option in _SCALARS for option in options):
        raise TypeError(f"{hint!r} is not a scalar field type the shared cache can carry")
    return typing.cast("tuple[type, ...]", options)


# field name -> the exact Python types its JSON value may decode to, per record type
_SCHEMAS: Mapping[type[FlatRecord], Mapping[str, tuple[type, ...]]] = {
    cls: {name: _scalar_types(hint) for name, hint in get_type_hints(cls).items()}
    for cls in _FLAT.values()
}


class ReferenceRecords:
    """The codec `SharedMemory` uses for reference lists (see the module docstring)."""

    @staticmethod
    def encode(items: tuple[object, ...]) -> str:
        """JSON text for a tuple of reference records; TypeError for any other object."""
        return json.dumps([_encode(item) for item in items], separators=(",", ":"))

    @staticmethod
    def decode(text: str) -> tuple[object, ...] | None:
        """The records `encode` wrote, or None when `text` is not exactly such an entry."""
        try:
            entries = json.loads(text)
        except ValueError:
            return None
        if not isinstance(entries, list):
            return None
        records = [_decode(entry) for entry in entries]
        if any(record is None for record in records):
            return None
        return tuple(records)


def _encode(item: object) -> list[object]:
    if isinstance(item, FieldDefinitions):
        return [_DEFINITIONS, _encode_definitions(item)]
    tag = _TAGS.get(type(item))
    if tag is None:
        raise TypeError(f"{type(item).__name__} is not a shared reference record")
    record = typing.cast("FlatRecord", item)
    return [tag, {f.name: getattr(record, f.name) for f in fields(record)}]


def _encode_definitions(definitions: FieldDefinitions) -> dict[str, object]:
    return {
        "entity": definitions.entity,
        "fields": [
            {
                "key": field.key,
                "name": field.name,
                "type": field.field_type,
                "options": [{"id": option.id, "label": option.label} for option in field.options],
            }
            for field in definitions.fields
        ],
    }


def _decode(entry: object) -> object | None:
    if not isinstance(entry, list) or len(entry) != 2 or not isinstance(entry[1], dict):
        return None
    tag, values = entry
    if tag == _DEFINITIONS:
        return _decode_definitions(values)
    cls = _FLAT.get(tag) if isinstance(tag, str) else None
    if cls is None:
        return None
    schema = _SCHEMAS[cls]
    if values.keys() != schema.keys():
        return None
    if any(type(values[name]) not in allowed for name, allowed in schema.items()):
        return None
    return cls(**values)


def _decode_definitions(values: dict[str, Any]) -> FieldDefinitions | None:
    entity = next((known for known in FIELD_PATHS if known == values.get("entity")), None)
    listed = values.get("fields")
    if entity is None or not isinstance(listed, list) or len(values) != 2:
        return None
    decoded = [_decode_definition(item) for item in listed]
    if any(item is None for item in decoded):
        return None
    return FieldDefinitions(entity, tuple(typing.cast("list[FieldDefinition]", decoded)))


def _decode_definition(item: object) -> FieldDefinition | None:
    if not isinstance(item, dict) or item.keys() != {"key", "name", "type", "options"}:
        return None
    key, name, kind, options = item["key"], item["name"], item["type"], item["options"]
    if not all(isinstance(text, str) for text in (key, name, kind)):
        return None
    if not isinstance(options, list):
        return None
    decoded: list[FieldOption] = []
    for option in options:
        if not isinstance(option, dict) or option.keys() != {"id", "label"}:
            return None
        if type(option["id"]) is not int or not isinstance(option["label"], str):
            return None
        decoded.append(FieldOption(option["id"], option["label"]))
    return FieldDefinition(key, name, kind, tuple(decoded))
