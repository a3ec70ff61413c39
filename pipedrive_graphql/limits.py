"""Query limits checked before any upstream call: depth, aliases and an upstream cost estimate.

The estimate prices the selection set with the Pipedrive calls it implies (the `x-token-cost`
of each), assuming the batching the loaders do: one `ids=` call per 100 parents for a to-one
link, reference lists once per request, one filtered call per parent for a to-many link (the
planner may do better; the estimate is an upper bound).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    value_from_ast_untyped,
)

from pipedrive_graphql.errors import QueryTooComplexError
from pipedrive_graphql.pricing import REFERENCE_GETS, REFERENCE_TOKENS, Kind, Price, price_of
from pipedrive_graphql.settings import Settings


@dataclass
class Estimate:
    """What an operation is expected to cost upstream, and its shape."""

    upstream_calls: int = 0
    pipedrive_tokens: int = 0
    depth: int = 0
    aliases: int = 0
    references: set[str] = field(default_factory=set)

    def as_dict(self) -> dict[str, int]:
        """The estimate as reported in `extensions.cost.estimate`."""
        return {"upstreamCalls": self.upstream_calls, "pipedriveTokens": self.pipedrive_tokens}


class _Walker:
    def __init__(
        self,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
        field_types: Mapping[tuple[str, str], FieldFacts],
    ) -> None:
        self.fragments = fragments
        self.variables = variables
        self.field_types = field_types
        self.estimate = Estimate()

    def walk(self, type_name: str, selections: SelectionSetNode, parents: int, depth: int) -> None:
        self.estimate.depth = max(self.estimate.depth, depth)
        for node in self._fields(selections, set()):
            if node.alias is not None:
                self.estimate.aliases += 1
            facts = self.field_types.get((type_name, node.name.value))
            children = parents
            if facts is not None and facts.price is not None:
                children = self._charge(facts.price, node, parents)
            if node.selection_set is not None:
                child_type = "" if facts is None else facts.named_type
                self.walk(child_type, node.selection_set, children, depth + 1)

    def _fields(self, selections: SelectionSetNode, seen: set[str]) -> list[FieldNode]:
        out: list[FieldNode] = []
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                out.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                out.extend(self._fields(selection.selection_set, seen))
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in seen:
                    out.extend(self._fields(fragment.selection_set, seen | {name}))
        return out

    def _argument(self, node: FieldNode, name: str) -> int | None:
        for argument in node.arguments or ():
            if argument.name.value == name:
                value = self._value(argument.value)
                return value if isinstance(value, int) and not isinstance(value, bool) else None
        return None

    def _value(self, node: ValueNode) -> object:
        if isinstance(node, VariableNode):
            return self.variables.get(node.name.value)
        return value_from_ast_untyped(node)

    def _charge(self, price: Price, node: FieldNode, parents: int) -> int:
        limit = self._argument(node, "limit") or price.default_limit
        start = self._argument(node, "start") or 0
        for name in price.needs:
            self._reference(name, REFERENCE_TOKENS[name], parents)
        if price.kind is Kind.NONE:
            return parents
        if price.kind is Kind.REFERENCE:
            self._reference(price.reference, price.tokens, parents)
            return parents
        if price.kind is Kind.SCAN:
            self._add(parents, price.tokens * parents)
            return limit * parents
        if price.kind is Kind.GET:
            self._add(parents, price.tokens * parents)
            return parents
        if price.kind is Kind.BY_ID:
            calls = math.ceil(parents / 100)
            self._add(calls, calls * price.tokens)
            return parents
        pages = math.ceil((start + limit) / price.max_page) or 1
        if price.kind is Kind.SEARCH:
            self._add(pages + 1, pages * price.tokens + 10)
            return limit
        calls = pages * parents
        self._add(calls, calls * price.tokens)
        return limit * parents

    def _reference(self, name: str, tokens: int, parents: int) -> None:
        if name not in self.estimate.references:
            self.estimate.references.add(name)
            self._add(max(1, min(parents, REFERENCE_GETS[name])), tokens)

    def _add(self, calls: int, tokens: int) -> None:
        self.estimate.upstream_calls += calls
        self.estimate.pipedrive_tokens += tokens


def estimate_operation(
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any] | None,
    field_types: Mapping[tuple[str, str], FieldFacts],
) -> Estimate:
    """Walk the operation and price it; `field_types` maps (type, field) to its facts."""
    root = "Mutation" if operation.operation.value == "mutation" else "Query"
    walker = _Walker(fragments, variables or {}, field_types)
    walker.walk(root, operation.selection_set, 1, 1)
    return walker.estimate


def check_limits(estimate: Estimate, settings: Settings) -> None:
    """Refuse an operation over any configured limit, naming the limit."""
    checks = (
        ("depth", estimate.depth, settings.max_depth),
        ("aliases", estimate.aliases, settings.max_aliases),
        ("upstream calls", estimate.upstream_calls, settings.max_upstream_calls),
        ("Pipedrive tokens", estimate.pipedrive_tokens, settings.max_pipedrive_tokens),
    )
    for name, value, limit in checks:
        if value > limit:
            raise QueryTooComplexError(
                f"query exceeds the {name} limit: {value} > {limit}",
                extensions={"limit": name, "value": value, "max": limit},
            )


class FieldFacts(NamedTuple):
    """What the estimator needs of a field: its named type and its declared price."""

    named_type: str
    price: Price | None


def field_type_map(schema: GraphQLSchema) -> dict[tuple[str, str], FieldFacts]:
    """(type name, field name) -> the field's named type and price, for the estimator."""
    out: dict[tuple[str, str], FieldFacts] = {}
    for type_name, graphql_type in schema.type_map.items():
        if isinstance(graphql_type, GraphQLObjectType) and not type_name.startswith("__"):
            for field_name, definition in graphql_type.fields.items():
                named = get_named_type(definition.type).name
                out[(type_name, field_name)] = FieldFacts(named, price_of(definition))
    return out
