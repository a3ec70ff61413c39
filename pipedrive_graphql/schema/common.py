"""Small shared pieces of the schema: the typed `Info` alias and the labeled-value type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import strawberry

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.records import LabeledValue as LabeledValueRecord

Info = strawberry.Info[Context, None]
F = TypeVar("F", bound=Callable[..., Any])


def resolved_field(description: str) -> Callable[[F], F]:
    """`strawberry.field(description=…)` as a decorator that keeps the method's type for mypy."""
    return cast("Callable[[F], F]", strawberry.field(description=description))


def mutation_field(description: str) -> Callable[[F], F]:
    """`strawberry.mutation(description=…)` as a decorator that keeps the method's type."""
    return cast("Callable[[F], F]", strawberry.mutation(description=description))


@strawberry.type(description="One email address or phone number of a person.")
class LabeledValue:
    """A value with its primary flag and label, as Pipedrive stores contact details."""

    value: str = strawberry.field(description="The email address or phone number.")
    primary: bool = strawberry.field(description="Whether this is the primary value.")
    label: str | None = strawberry.field(
        description="The label of the value (e.g. work, home, mobile, other)."
    )

    @classmethod
    def from_record(cls, record: LabeledValueRecord) -> LabeledValue:
        """Wrap a labeled-value record."""
        return cls(value=record.value, primary=record.primary, label=record.label)
