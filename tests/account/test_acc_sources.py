"""Every field of the schema has a source, and every record reads only keys the spec declares.

A field is read from its record (a dataclass attribute or property), followed as a link, or
computed by a resolver; a record is parsed from one Pipedrive endpoint, and the parser may read
only keys that endpoint's response schema declares (or its `include_fields` names): a key the
spec does not declare is a value a real account never sends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLObjectType
from strawberry.types.field import StrawberryField

from pipedrive_graphql.datasources.pipedrive import parse, records
from pipedrive_graphql.emulator.spec import JsonSchema, load_spec
from pipedrive_graphql.emulator.strict import _property_schema
from pipedrive_graphql.schema import build_schema


@dataclass(frozen=True)
class Source:
    """Where a GraphQL type's record comes from."""

    record: type
    parser: Callable[[dict[str, Any]], object]
    method_path: str  # an endpoint that returns the record (`GET /api/v2/persons/1`)


SOURCES: dict[str, Source] = {
    "Person": Source(records.PersonRecord, parse.person, "/api/v2/persons/1"),
    "Organization": Source(
        records.OrganizationRecord, parse.organization, "/api/v2/organizations/1"
    ),
    "Deal": Source(records.DealRecord, parse.deal, "/api/v2/deals/1"),
    "Activity": Source(records.ActivityRecord, parse.activity, "/api/v2/activities/1"),
    "Pipeline": Source(records.PipelineRecord, parse.pipeline, "/api/v2/pipelines/1"),
    "Stage": Source(records.StageRecord, parse.stage, "/api/v2/stages/1"),
    "Note": Source(records.NoteRecord, parse.note, "/api/v1/notes/1"),
    "User": Source(records.UserRecord, parse.user, "/api/v1/users/1"),
    "MailMessage": Source(
        records.MailMessageRecord, parse.mail_message, "/api/v1/mailbox/mailMessages/1"
    ),
}
# Records parsed inside another record, and what the schema reads through resolvers only.
NESTED = {
    "LabeledValue": records.LabeledValue,
    "MailAddress": records.MailParty,
    "ActivityParticipant": records.ParticipantRecord,
}
THREAD = Source(records.MailThreadRecord, parse.mail_thread, "/api/v1/mailbox/mailThreads/1")
MAIL_LIST = Source(
    records.MailMessageRecord,
    lambda item: parse.mail_list_item(item, parent=("deal", 1)),
    "/api/v1/deals/1/mailMessages",
)
# Types the schema builds itself from resolver results (windows, analytics figures, roots).
BUILT = {
    "Query", "Mutation", "ActivityList", "DealList", "MailMessageList", "NoteList",
    "OrganizationList", "PersonList", "PipelineList", "StageList", "RottenDealList",
    "DealSummary", "OpenDealsSummary", "ClosedDealsSummary", "CurrencyTotal", "ForecastBucket",
    "PipelineForecast", "PipelineConversion", "StageConversion",
    "CustomFieldValue", "CustomFieldOption", "CustomFieldAddress",
    "UserList", "DeleteResult",
    # subscription events read the webhook's ChangeEvent (pipedrive_graphql/live/events.py)
    "Subscription", "DealEvent", "PersonEvent", "OrganizationEvent", "ActivityEvent", "NoteEvent",
}  # fmt: skip


class Recording(dict[str, Any]):
    """A sample object that remembers which keys a parser reads (nested ones too)."""

    def __init__(self, values: dict[str, Any], path: str, reads: set[str]) -> None:
        super().__init__(values)
        self.path = path
        self.reads = reads

    def get(self, key: str, default: Any = None) -> Any:
        self.reads.add(f"{self.path}{key}")
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self.reads.add(f"{self.path}{key}")
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.reads.add(f"{self.path}{key}")
        return super().__contains__(key)


def _flat(schema: JsonSchema) -> tuple[str | None, dict[str, JsonSchema], JsonSchema | None]:
    """The type, properties and array items of a schema, combinators merged."""
    kind = schema.get("type")
    props: dict[str, JsonSchema] = dict(schema.get("properties", {}))
    items = schema.get("items")
    for combinator in ("allOf", "anyOf", "oneOf"):
        for branch in schema.get(combinator, []):
            sub_kind, sub_props, sub_items = _flat(branch)
            kind = kind or sub_kind
            props.update(sub_props)
            items = items or sub_items
    return kind, props, items


def _sample(schema: JsonSchema, path: str, reads: set[str], declared: set[str]) -> Any:
    """A value of `schema` whose objects record reads; `declared` collects the declared paths."""
    kind, props, items = _flat(schema)
    if props or kind == "object":
        values = {}
        for name, sub in props.items():
            declared.add(f"{path}{name}")
            values[name] = _sample(sub, f"{path}{name}.", reads, declared)
        return Recording(values, path, reads)
    if kind == "array":
        return [_sample(items or {}, path, reads, declared)]
    return {"integer": 1, "number": 1.5, "boolean": True}.get(str(kind), "2024-01-01T00:00:00Z")


def _reads_beyond_spec(source: Source) -> set[str]:
    spec = load_spec()
    match = spec.match("GET", source.method_path)
    assert match is not None, source.method_path
    response = match.response_schema(200)
    assert response is not None
    data = _property_schema(response, "data")
    assert data is not None
    reads: set[str] = set()
    declared: set[str] = set()
    sample = _sample(data, "", reads, declared)
    for item in sample if isinstance(sample, list) else [sample]:
        source.parser(item)
    for param in match.parameters:  # `include_fields` names are declared on the parameter
        if param.name == "include_fields":
            declared |= set(
                param.schema.get("enum") or param.schema.get("items", {}).get("enum", [])
            )
    return {key for key in reads if key not in declared}


def _fields(type_name: str) -> dict[str, tuple[str, bool]]:
    """GraphQL field name -> (Python name, has a resolver or link)."""
    graphql_type = build_schema()._schema.type_map[type_name]
    assert isinstance(graphql_type, GraphQLObjectType)
    out = {}
    for name, field in graphql_type.fields.items():
        definition = (field.extensions or {}).get("strawberry-definition")
        assert isinstance(definition, StrawberryField), f"{type_name}.{name}"
        out[name] = (definition.python_name, definition.base_resolver is not None)
    return out


def test_every_type_is_classified() -> None:
    schema = build_schema()._schema
    objects = {
        name
        for name, t in schema.type_map.items()
        if isinstance(t, GraphQLObjectType) and not name.startswith("__")
    }
    assert objects - set(SOURCES) - set(NESTED) - BUILT == set()


def test_every_field_has_a_source() -> None:
    missing = []
    for type_name, record in [*((n, s.record) for n, s in SOURCES.items()), *NESTED.items()]:
        for name, (python_name, resolved) in _fields(type_name).items():
            if not resolved and not hasattr(record, python_name):
                missing.append(f"{type_name}.{name} ({record.__name__}.{python_name})")
    assert missing == []


def test_records_read_only_keys_the_spec_declares() -> None:
    beyond = {
        type_name: sorted(_reads_beyond_spec(source))
        for type_name, source in [
            *SOURCES.items(),
            ("MailThread", THREAD),
            ("MailMessage in a list", MAIL_LIST),
        ]
    }
    assert {name: keys for name, keys in beyond.items() if keys} == {}


def test_the_walk_catches_an_undeclared_key() -> None:
    def reads_is_admin(obj: dict[str, Any]) -> object:
        return obj.get("is_admin")

    source = Source(records.UserRecord, reads_is_admin, "/api/v1/users/1")
    assert _reads_beyond_spec(source) == {"is_admin"}
