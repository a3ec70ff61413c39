"""Bounds checked on a parsed document before validation: its tokens and its validation work.

graphql-core's `OverlappingFieldsCanBeMerged` rule compares every pair of fields that share
a response key in one selection set (and every pair of fragments spread there), recursing into
their sub-selections: 600 copies of `deals { results { id } }` took 1.2 s of one event loop.
`validation_work` is a linear upper estimate of those comparisons, so a document that would
make validation quadratic is refused before `validate` runs.

Introspection does not count against the token limit: the standard introspection queries of
GraphiQL, graphql-codegen, Apollo and Relay tooling are ~350 tokens, and an operator who
lowers the limit for data queries must not lock the schema explorer out. What a client may
put into introspection instead is bounded by the walk in `limits.py`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Token,
    TokenKind,
)

from pipedrive_graphql.errors import QueryTooComplexError

# Measured (CPU time, graphql-core 3.3): a unit of `validation_work` costs 2-5 µs of validation,
# so the budget keeps the worst accepted document near 50 ms. Real client documents stay far
# below (40 fragments spread in one selection set, each selecting `id name`: about 3,500).
MAX_VALIDATION_WORK = 10_000
# The largest standard introspection query (graphql-js, every option, 9 levels of `ofType`)
# is under 400 tokens: parsing may read this many more before the document is classified.
INTROSPECTION_TOKENS = 1_000
INTROSPECTION_ROOTS = frozenset({"__schema", "__type"})
INTROSPECTION_TYPES = frozenset(
    {"__Schema", "__Type", "__Field", "__InputValue", "__EnumValue", "__Directive"}
)


def counted_tokens(document: DocumentNode) -> int:
    """Tokens of the document outside `__schema`/`__type` selections and introspection fragments.

    Counts what graphql-core's parser counts, comments included (lexing them costs as much);
    an introspection root's alias, arguments and selection set are all introspection.
    """
    if document.loc is None:
        return 0
    total = _tokens_between(document.loc.start_token, document.loc.end_token)
    for node in _introspection_nodes(document):
        if node.loc is not None:
            total -= _tokens_between(node.loc.start_token, node.loc.end_token)
    return total


def check_tokens(document: DocumentNode, max_tokens: int) -> None:
    """Refuse a document over the token limit once introspection is set aside."""
    tokens = counted_tokens(document)
    if tokens > max_tokens:
        raise QueryTooComplexError(
            f"query exceeds the tokens limit of {max_tokens}",
            extensions={"limit": "tokens", "value": tokens, "max": max_tokens},
        )


def validation_work(document: DocumentNode, budget: int = MAX_VALIDATION_WORK) -> int:
    """An upper estimate of the field comparisons validation will make (stops past `budget`).

    The rule runs on every selection set; there it collects the fields (fragments expanded,
    each once) and compares each pair sharing a response key, recursing into the pair's
    sub-selections. Comparing all pairs of a group of n fields costs at most n² plus, for
    n ≥ 2, the same estimate over their merged sub-selections. Every selection visited also
    counts, so the estimate itself does at most `budget` steps.
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    work = 0
    for selection_set in _selection_sets(document):
        pending: list[list[SelectionSetNode]] = [[selection_set]]
        while pending:
            groups, visited = _merged_fields(pending.pop(), fragments)
            work += visited
            for group in groups.values():
                work += len(group) ** 2
                if len(group) > 1:
                    children = [n.selection_set for n in group if n.selection_set is not None]
                    if children:
                        pending.append(children)
            if work > budget:
                return work
    return work


def check_validation_work(document: DocumentNode, budget: int = MAX_VALIDATION_WORK) -> None:
    """Refuse a document whose validation would cost more than `budget` comparisons."""
    work = validation_work(document, budget)
    if work > budget:
        raise QueryTooComplexError(
            "query exceeds the validation work limit: too many fields share a response key",
            extensions={"limit": "validation work", "max": budget},
        )


def expanded_selections(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> int:
    """Selections of the operation with every fragment spread written out, in linear time.

    Each fragment's expanded size is computed once (iteratively: a chain of a thousand
    fragments must not exhaust the interpreter's stack); unknown fragments count nothing.
    `fragment Fi { ...Fi-1 ...Fi-1 }` for i = 1..24 expands to 2^24 selections.
    """
    sizes: dict[str, int] = {}
    stack: list[str] = []

    def size_of(selections: SelectionSetNode, pending: list[str]) -> int:
        total = 0
        inner = [selections]
        while inner:
            for selection in inner.pop().selections:
                total += 1
                if isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    if name in sizes:
                        total += sizes[name]
                    elif name in fragments:
                        pending.append(name)
                elif isinstance(selection, FieldNode | InlineFragmentNode) and (
                    selection.selection_set is not None
                ):
                    inner.append(selection.selection_set)
        return total

    for name in fragments:
        stack.append(name)
        while stack:
            current = stack[-1]
            if current in sizes:
                stack.pop()
                continue
            pending: list[str] = []
            total = size_of(fragments[current].selection_set, pending)
            unresolved = [p for p in pending if p not in sizes and p not in stack]
            if unresolved:
                stack.extend(unresolved)  # a cycle (refused by validation) counts once
                continue
            sizes[current] = total + sum(sizes.get(p, 0) for p in pending)
            stack.pop()
    spread: list[str] = []
    return size_of(selection_set, spread) + sum(sizes.get(name, 0) for name in spread)


def _merged_fields(
    selection_sets: list[SelectionSetNode], fragments: Mapping[str, FragmentDefinitionNode]
) -> tuple[dict[str, list[FieldNode]], int]:
    """Fields by response key, fragments expanded once each; and the selections visited."""
    groups: dict[str, list[FieldNode]] = {}
    seen: set[str] = set()
    visited = 0
    stack = list(selection_sets)
    while stack:
        selections = stack.pop().selections
        visited += len(selections)
        for selection in selections:
            if isinstance(selection, FieldNode):
                groups.setdefault((selection.alias or selection.name).value, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                stack.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name not in seen and name in fragments:
                    seen.add(name)
                    stack.append(fragments[name].selection_set)
    return groups, visited


def _selection_sets(document: DocumentNode) -> Iterator[SelectionSetNode]:
    stack = [
        d.selection_set
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode | FragmentDefinitionNode)
    ]
    while stack:
        selection_set = stack.pop()
        yield selection_set
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
                stack.append(selection.selection_set)


def _introspection_nodes(document: DocumentNode) -> Iterator[FieldNode | FragmentDefinitionNode]:
    """Introspection fragments, and `__schema`/`__type` fields outside them (never nested)."""
    stack: list[SelectionSetNode] = []
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            if definition.type_condition.name.value in INTROSPECTION_TYPES:
                yield definition
                continue
            stack.append(definition.selection_set)
        elif isinstance(definition, OperationDefinitionNode):
            stack.append(definition.selection_set)
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FieldNode) and selection.name.value in INTROSPECTION_ROOTS:
                yield selection
            elif isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
                stack.append(selection.selection_set)


def _tokens_between(start: Token, end: Token) -> int:
    count = 0
    token: Token | None = start
    while token is not None:
        if token.kind not in (TokenKind.SOF, TokenKind.EOF):
            count += 1
        if token is end:
            break
        token = token.next
    return count
