"""Small shared pieces of the schema: the typed `Info` alias and the labeled-value type."""

from __future__ import annotations

import strawberry

from pipedrive_graphql.schema.fields import Info

__all__ = ["Info", "LabeledValue"]


@strawberry.type(description="One email address or phone number of a person.")
class LabeledValue:
    """A value with its primary flag and label, as Pipedrive stores contact details.

    Read from `records.LabeledValue`.
    """

    value: str = strawberry.field(description="The email address or phone number.")
    primary: bool = strawberry.field(description="Whether this is the primary value.")
    label: str | None = strawberry.field(
        description="The label of the value (e.g. work, home, mobile, other)."
    )
