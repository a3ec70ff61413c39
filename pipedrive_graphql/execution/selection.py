"""The fields an operation selects, read from graphql-core's syntax tree.

Prefetching looks one level ahead of execution, so it reads the selection itself: the field
nodes under a node, fragments flattened, and what `@skip`/`@include` leave out left out, as the
executor leaves it out (a skipped list costs no upstream call). Type conditions are not
evaluated: a prefetch may load a link the result leaves out, never miss one it shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLIncludeDirective,
    GraphQLResolveInfo,
    GraphQLSkipDirective,
    InlineFragmentNode,
    SelectionNode,
)
from graphql.execution.values import VariableValues, get_directive_values


@dataclass(frozen=True, slots=True)
class Operation:
    """What reading a selection needs besides the nodes: fragments and variable values."""

    fragments: Mapping[str, FragmentDefinitionNode]
    variables: VariableValues | None

    @classmethod
    def of(cls, info: GraphQLResolveInfo[Any]) -> Operation:
        """The operation `info` belongs to."""
        return cls(info.fragments, info.variable_values)


def included(
    node: FieldNode | InlineFragmentNode | FragmentSpreadNode, variables: VariableValues | None
) -> bool:
    """False when `@skip(if: true)` or `@include(if: false)` leaves `node` out of the result
    (graphql-core's rule: `@skip` first, then `@include`)."""
    if not node.directives:
        return True
    skip = get_directive_values(GraphQLSkipDirective, node, variables)
    if skip is not None and skip.get("if") is True:
        return False
    include = get_directive_values(GraphQLIncludeDirective, node, variables)
    return include is None or include.get("if") is not False


def fields_in(selections: Iterable[SelectionNode], operation: Operation) -> list[FieldNode]:
    """The field nodes of a selection set that the result includes, with fragments flattened."""
    out: list[FieldNode] = []
    for selection in selections:
        if not isinstance(selection, FieldNode | InlineFragmentNode | FragmentSpreadNode):
            continue
        if not included(selection, operation.variables):
            continue
        if isinstance(selection, FieldNode):
            out.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            out += fields_in(selection.selection_set.selections, operation)
        elif isinstance(selection, FragmentSpreadNode):
            fragment = operation.fragments.get(selection.name.value)
            if fragment is not None:
                out += fields_in(fragment.selection_set.selections, operation)
    return out


def fields_under(nodes: Iterable[FieldNode], operation: Operation) -> list[FieldNode]:
    """The field nodes selected under any of `nodes` (one field, possibly selected twice)."""
    return [
        inner
        for node in nodes
        if node.selection_set is not None
        for inner in fields_in(node.selection_set.selections, operation)
    ]


def items_under(page_nodes: Iterable[FieldNode], operation: Operation) -> list[FieldNode]:
    """The field nodes selected under a page's `results` (`{ results { … } hasMore }`)."""
    results = [f for f in fields_under(page_nodes, operation) if f.name.value == "results"]
    return fields_under(results, operation)
