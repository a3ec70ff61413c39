"""The `customFields` argument of mutations: `CustomFieldInput` and its conversion.

Another mutation takes custom fields with two lines: the argument
`custom_fields: CustomFieldInputs = UNSET` and
`custom = await custom_fields_argument(info, "organization", custom_fields)`, then hands
`custom` to its write input's `custom_fields`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types.unset import UnsetType

from pipedrive_graphql.datasources.pipedrive.custom_field_records import Entity
from pipedrive_graphql.datasources.pipedrive.inputs import UNSET, Unset
from pipedrive_graphql.errors import BadUserInputError
from pipedrive_graphql.resolvers.custom_field_names import check_names
from pipedrive_graphql.resolvers.custom_field_writes import CustomFieldWrite, custom_fields_body
from pipedrive_graphql.resolvers.echo import shown
from pipedrive_graphql.schema.fields import Info


@strawberry.input(
    description="One custom field to write: by name (case-insensitive) or key, and its value. "
    "Enum and set values may be option labels or ids; monetary {value, currency} or a number; "
    "ranges {start, end}; null clears the field."
)
class CustomFieldInput:
    """A custom field write as the client gives it."""

    name: str | None = strawberry.field(default=None, description="The field name.")
    key: str | None = strawberry.field(default=None, description="The field key.")
    value: JSON | None = strawberry.field(
        default=strawberry.UNSET, description="The new value (required); null clears the field."
    )


CustomFieldInputs = Annotated[
    list[CustomFieldInput] | None,
    strawberry.argument(
        description="Custom fields to set or clear; checked against the account's fields before "
        "anything is sent."
    ),
]


async def custom_fields_argument(
    info: Info,
    entity: Entity,
    given: Sequence[CustomFieldInput] | UnsetType | None,
    *,
    currency_of: Callable[[], Awaitable[str | None]] | None = None,
) -> dict[str, object] | Unset:
    """A mutation's `customFields` argument as the v2 `custom_fields` body (UNSET when absent).

    Raises BAD_USER_INPUT (nothing sent) for an unknown field or option or a wrong value.
    """
    if given is None or isinstance(given, UnsetType) or not given:
        return UNSET
    check_names("customFields", given)
    for item in given:
        if isinstance(item.value, UnsetType):
            wanted = item.name if item.name is not None else item.key
            raise BadUserInputError(f"custom field {shown(wanted)} needs a value (null clears it)")
    writes = [CustomFieldWrite(item.name, item.key, item.value) for item in given]
    return await custom_fields_body(info.context, entity, writes, currency_of=currency_of)
