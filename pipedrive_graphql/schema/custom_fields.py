"""Custom fields in the graph: `CustomFieldValue`, the fields on records, the write input."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry
from graphql import GraphQLResolveInfo
from strawberry.scalars import JSON

from pipedrive_graphql import pricing
from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.pipedrive.custom_field_records import Entity
from pipedrive_graphql.datasources.pipedrive.records import CustomValues
from pipedrive_graphql.errors import BadUserInputError
from pipedrive_graphql.execution.fast_paths import DIRECT
from pipedrive_graphql.pricing import PRICE
from pipedrive_graphql.resolvers import custom_fields as reads
from pipedrive_graphql.resolvers.custom_field_values import CustomValue
from pipedrive_graphql.schema.fields import Info, resolved, to_one

if TYPE_CHECKING:
    from pipedrive_graphql.schema.organizations import Organization
    from pipedrive_graphql.schema.persons import Person
    from pipedrive_graphql.schema.users import User

_ORGS = "pipedrive_graphql.schema.organizations"
_PERSONS = "pipedrive_graphql.schema.persons"
_USERS = "pipedrive_graphql.schema.users"


@strawberry.type(description="One option of a single- or multiple-option custom field.")
class CustomFieldOption:
    """An option id and its label from the field definition."""

    id: int = strawberry.field(description="The option ID.")
    label: str | None = strawberry.field(
        description="The option label; null when the option has been deleted from the field."
    )


@strawberry.type(description="The parts of an address custom field (Google's components).")
class CustomFieldAddress:
    """An address value split into parts; each is null when Pipedrive has none."""

    value: str | None = strawberry.field(description="The address as entered.")
    street_number: str | None = strawberry.field(description="The street number.")
    route: str | None = strawberry.field(description="The street name.")
    sublocality: str | None = strawberry.field(description="The district.")
    locality: str | None = strawberry.field(description="The city.")
    admin_area_level_1: str | None = strawberry.field(description="The state or county.")
    admin_area_level_2: str | None = strawberry.field(description="The region or municipality.")
    country: str | None = strawberry.field(description="The country.")
    postal_code: str | None = strawberry.field(description="The ZIP or postal code.")
    formatted_address: str | None = strawberry.field(description="The full formatted address.")


_LINKS = {"user": "User", "person": "Person", "organization": "Organization"}


def _linked_record(info: Info, target: str, linked_id: int) -> Awaitable[Any]:
    loaders = info.context.loaders
    loader: Any = {
        "user": loaders.user_by_id,
        "person": loaders.person_by_id,
        "organization": loaders.organization_by_id,
    }[target]
    future: Awaitable[Any] = loader.load(linked_id)
    return future


async def _linked_name(info: Info, target: str, linked_id: int) -> str:
    record = await _linked_record(info, target, linked_id)
    return str(record.name) if record is not None else str(linked_id)


def _text(root: strawberry.Parent[Any], info: Info) -> str:
    """A value's text; for a link type an awaitable of the linked record's name."""
    item: CustomValue = root.item
    for target in _LINKS:
        linked_id = item.linked_id(target)
        if linked_id is not None:
            # graphql-core awaits what a resolver returns; the cast states the field's type
            return cast("str", _linked_name(info, target, linked_id))
    return item.text()


@strawberry.type(
    description="The value of one custom field of a record, with its definition and typed parts."
)
class CustomFieldValue:
    """A set custom field: key, name, type, a readable text, the raw value and typed parts.

    The typed parts are null when they do not apply to the field's type.
    """

    item: strawberry.Private[CustomValue]
    key: str = strawberry.field(description="The field key (Pipedrive's 40-character field code).")
    name: str = strawberry.field(description="The field name in the account.")
    field_type: str = strawberry.field(
        description="Pipedrive's field_type: varchar, varchar_auto, text, double, monetary, "
        "enum, set, date, daterange, time, timerange, address, phone, user, org or people."
    )
    value: JSON = strawberry.field(description="The value as Pipedrive gives it (v2 shape).")
    number: float | None = strawberry.field(
        description="The number of a double field or the amount of a monetary one."
    )
    currency: str | None = strawberry.field(description="The currency code of a monetary field.")
    date: str | None = strawberry.field(
        description="The date of a date field or the start of a daterange (YYYY-MM-DD)."
    )
    date_end: str | None = strawberry.field(
        description="The end date of a daterange field (YYYY-MM-DD)."
    )
    time: str | None = strawberry.field(
        description="The time of a time field or the start of a timerange (HH:MM:SS)."
    )
    time_end: str | None = strawberry.field(
        description="The end time of a timerange field (HH:MM:SS)."
    )
    options: list[CustomFieldOption] | None = strawberry.field(
        description="The chosen options of an enum (one) or set field, labels from the field "
        "definition."
    )
    address: CustomFieldAddress | None = strawberry.field(
        description="The parts of an address field."
    )
    # the ids of a user, person or organization value: declared links, loaded and prefetched
    # like every other to-one link
    user_id: strawberry.Private[int | None] = None
    person_id: strawberry.Private[int | None] = None
    organization_id: strawberry.Private[int | None] = None
    user: Annotated[User, strawberry.lazy(_USERS)] | None = to_one(
        "user_id",
        lambda loaders: loaders.user_by_id,
        pricing.VALUE_USER,
        "The user of a user field.",
    )
    person: Annotated[Person, strawberry.lazy(_PERSONS)] | None = to_one(
        "person_id",
        lambda loaders: loaders.person_by_id,
        pricing.VALUE_PERSON,
        "The person of a person field (batched with ids=, like every person link).",
    )
    organization: Annotated[Organization, strawberry.lazy(_ORGS)] | None = to_one(
        "organization_id",
        lambda loaders: loaders.organization_by_id,
        pricing.VALUE_ORGANIZATION,
        "The organization of an organization field (batched with ids=).",
    )

    @classmethod
    def of(cls, item: CustomValue) -> CustomFieldValue:
        """Read a custom value into its GraphQL shape."""
        chosen = item.options()
        parts = item.address()
        return cls(
            item=item,
            key=item.definition.key,
            name=item.definition.name,
            field_type=item.kind,
            value=cast("JSON", item.raw),
            number=item.number(),
            currency=item.currency(),
            date=item.date(),
            date_end=item.date_end(),
            time=item.time(),
            time_end=item.time_end(),
            options=None
            if chosen is None
            else [CustomFieldOption(id=i, label=o.label if o else None) for i, o in chosen],
            address=None if parts is None else CustomFieldAddress(**parts),
            user_id=item.linked_id("user"),
            person_id=item.linked_id("person"),
            organization_id=item.linked_id("organization"),
        )

    text: str = strawberry.field(
        resolver=_text,
        description='A human-readable rendering: option labels, "1,200.50 EUR", the formatted '
        'address, "2025-01-01 – 2025-03-31", the name of a linked user, person or organization.',
        # a link-type value's text is the linked record's name, loaded like the link itself
        metadata={PRICE: pricing.VALUE_TEXT, DIRECT: _text},
    )


def _record(root: Any) -> Any:
    return getattr(root, "record", root)


def _values(root: Any) -> CustomValues:
    values: CustomValues = _record(root).custom_fields
    return values


def custom_fields_field(entity: Entity) -> Any:
    """The `customFields(names, keys)` field of a record type."""

    async def resolve(
        root: strawberry.Parent[Any],
        info: Info,
        names: Annotated[
            list[str] | None,
            strawberry.argument(description="Only these fields, by name (case-insensitive)."),
        ] = None,
        keys: Annotated[
            list[str] | None, strawberry.argument(description="Only these fields, by key.")
        ] = None,
    ) -> list[CustomFieldValue]:
        ctx = info.context
        if names is None and keys is None:
            found = reads.values_now(ctx, entity, _values(root))
            if isinstance(found, list):
                return [CustomFieldValue.of(item) for item in found]
            return [CustomFieldValue.of(item) for item in await found]
        try:
            chosen = await reads.values_of(ctx, entity, _values(root), names=names, keys=keys)
        except BadUserInputError as error:
            raw = info._raw_info  # Strawberry keeps graphql-core's field nodes here
            reads.report_once(ctx, raw.field_nodes, raw.path, error)
            return []
        return [CustomFieldValue.of(item) for item in chosen]

    return resolved(
        resolve,
        pricing.custom_field_definitions(entity),
        "The custom fields set on this record (or those named), in the account's field order. "
        "An unknown name or key is one BAD_USER_INPUT naming the closest fields (per field, "
        "not per record); the field is then empty.",
    )


async def _wrapped(
    pending: Awaitable[CustomValue | None], info: GraphQLResolveInfo[Context]
) -> CustomFieldValue | None:
    try:
        item = await pending
    except BadUserInputError as error:
        reads.report_once(info.context, info.field_nodes, info.path, error)
        return None
    return None if item is None else CustomFieldValue.of(item)


def custom_field_field(entity: Entity) -> Any:
    """The `customField(name, key)` field of a record type."""

    def resolve(
        root: strawberry.Parent[Any],
        info: Info,
        name: Annotated[
            str | None, strawberry.argument(description="The field name (case-insensitive).")
        ] = None,
        key: Annotated[str | None, strawberry.argument(description="The field key.")] = None,
    ) -> CustomFieldValue | None:
        found = reads.value_now(info.context, entity, _values(root), name=name, key=key)
        if found is None or isinstance(found, CustomValue):
            return None if found is None else CustomFieldValue.of(found)
        # graphql-core awaits what a resolver returns; the cast states the field's type
        raw_info = cast("GraphQLResolveInfo[Context]", info)  # DIRECT: graphql-core's own info
        return cast("CustomFieldValue | None", _wrapped(found, raw_info))

    # `resolve` has graphql-core's signature and reads only `info.context`: it runs without
    # Strawberry's wrapper (argument conversion per call), a few hundred times per list
    return strawberry.field(
        resolver=resolve,
        description="One custom field by name or key; null when not set on this record. An "
        "unknown field is one BAD_USER_INPUT naming the closest field names (per field, not per "
        "record); the field is then null.",
        metadata={PRICE: pricing.custom_field_definitions(entity), DIRECT: resolve},
    )


def matched_custom_fields_field(entity: Entity) -> Any:
    """The `matchedCustomFields` field: which custom values a search matched."""

    async def resolve(root: strawberry.Parent[Any], info: Info) -> list[CustomFieldValue]:
        record = _record(root)
        found = await reads.matched_by_search(info.context, entity, record.id, _values(root))
        return [CustomFieldValue.of(item) for item in found]

    return resolved(
        resolve,
        pricing.custom_field_definitions(entity),
        "In search results: the custom fields whose values matched the term, as Pipedrive "
        "reports them; empty outside a search.",
    )
