"""The executor's plan: which selected fields take which short path, decided once per field node.

A step is made once per (type, grouped field set) of an operation and reused for every object
of that type in the result; the decisions need only the schema's declarations (`AttributeRead`,
`LinkRead`, a to-many field's `warm`) and, for a warmed list, the operation's variables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from graphql import (
    GraphQLBoolean,
    GraphQLField,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLString,
    is_leaf_type,
)
from graphql.execution.collect_fields import FieldDetailsList
from graphql.execution.values import VariableValues
from graphql.pyutils import Undefined

from pipedrive_graphql.execution import warm
from pipedrive_graphql.execution.fast_paths import AttributeRead, LinkRead
from pipedrive_graphql.pricing import STRAWBERRY_DEFINITION

_UNCHANGED: dict[object, type] = {GraphQLString: str, GraphQLID: str, GraphQLBoolean: bool}


class ScalarStep(NamedTuple):
    """A scalar read straight off the source: `coerce(getattr(source, attribute))`; a value of
    type `unchanged` is its own coerced value (a `str` for String and ID, a `bool` for Boolean:
    graphql-core's serializers return those as they are)."""

    response_name: str
    details: FieldDetailsList
    nullable: bool
    attribute: str
    coerce: Callable[[Any], Any]
    unchanged: type | None


class LinkStep(NamedTuple):
    """A to-one link, completed as `target` when its object is already in hand."""

    response_name: str
    details: FieldDetailsList
    nullable: bool
    link: LinkRead
    field: GraphQLField
    target: GraphQLObjectType


class ListStep(NamedTuple):
    """A to-many list, completed as `target` when its warm-up has answered."""

    response_name: str
    details: FieldDetailsList
    nullable: bool
    warm_up: warm.LinkedList[Any, Any]
    arguments: warm.Given
    field: GraphQLField
    target: GraphQLObjectType


class ObjectsStep(NamedTuple):
    """A list of objects read straight off the source (a page's `results`), each completed as
    `target`."""

    response_name: str
    details: FieldDetailsList
    attribute: str
    field: GraphQLField
    item_type: GraphQLOutputType  # `target`, possibly non-null
    target: GraphQLObjectType


Step = ScalarStep | LinkStep | ListStep | ObjectsStep | tuple[str, FieldDetailsList]


def concrete_object(item_type: GraphQLOutputType) -> GraphQLObjectType | None:
    """The object type of a value when completing it needs no check: no runtime type to
    resolve (`is_type_of`), and a non-null wrapper that an object in hand satisfies."""
    named = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
    if isinstance(named, GraphQLObjectType) and named.is_type_of is None:
        return named
    return None


def read_scalar(step: ScalarStep, source: Any, results: dict[str, Any]) -> bool:
    """Store the coerced value; False leaves the field to graphql-core."""
    try:
        value = getattr(source, step.attribute)
        if type(value) is step.unchanged:
            results[step.response_name] = value
            return True
        if value is None:
            if not step.nullable:
                return False
            results[step.response_name] = None
            return True
        coerced = step.coerce(value)
    except Exception:  # graphql-core reads it again and reports the error its way
        return False
    if coerced is None or coerced is Undefined:
        return False
    results[step.response_name] = coerced
    return True


def plain_step(
    parent_type: GraphQLObjectType, name: str, details: FieldDetailsList
) -> ScalarStep | LinkStep | ObjectsStep | None:
    """The step of a field read without a resolver call, if it is one."""
    node = details[0].node
    field = parent_type.fields.get(node.name.value)
    if field is None or field.args or node.arguments:
        return None
    return_type = field.type
    nullable = not isinstance(return_type, GraphQLNonNull)
    named = return_type if nullable else return_type.of_type
    resolve = field.resolve
    if isinstance(resolve, AttributeRead) and is_leaf_type(named):
        coerce = named.coerce_output_value
        return ScalarStep(name, details, nullable, resolve.name, coerce, _UNCHANGED.get(named))
    if isinstance(resolve, AttributeRead) and isinstance(named, GraphQLList):
        target = concrete_object(named.of_type)
        if target is not None:
            return ObjectsStep(name, details, resolve.name, field, named.of_type, target)
        return None
    linked_object = isinstance(named, GraphQLObjectType) and named.is_type_of is None
    if isinstance(resolve, LinkRead) and linked_object:  # no runtime type check to run
        return LinkStep(name, details, nullable, resolve, field, named)
    return None


def list_step(
    parent_type: GraphQLObjectType,
    name: str,
    details: FieldDetailsList,
    variables: VariableValues | None,
) -> ListStep | None:
    """The step of a to-many field with a declared warm-up and arguments it can key."""
    node = details[0].node
    field = parent_type.fields.get(node.name.value)
    if field is None or details[0].fragment_variable_values is not None:
        return None
    warm_up = warm.warm_of(field)
    definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    if warm_up is None or getattr(definition, "extensions", None):
        return None  # a field extension runs around the resolver: keep the resolver
    return_type = field.type
    nullable = not isinstance(return_type, GraphQLNonNull)
    target = concrete_object(return_type)
    if target is None:
        return None
    arguments = warm.warm_arguments(field, node, variables)
    if arguments is None:
        return None
    return ListStep(name, details, nullable, warm_up, warm.given(arguments), field, target)
