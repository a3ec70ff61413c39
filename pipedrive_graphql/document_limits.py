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

from collections import Counter
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

# Measured: one unit of `validation_work` costs about 3 µs of graphql-core validation, so the
# budget keeps the worst accepted document near 75 ms. A real client document stays far below
# (a Relay-style selection spreading 50 fragments that all select `id` is about 5,000).
MAX_VALIDATION_WORK = 25_000
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
    """A linear upper estimate of the field comparisons validation will make (stops past budget).

    Per selection set: the square of each response key's field count (fragments spread there
    merged in one level, each fragment once, as graphql-core collects them), the square of the
    number of fragments spread (compared pairwise), and for a repeated key its count times the
    size of its fields' sub-selections (each pair compares them).
    """
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    histograms: dict[str, Counter[str]] = {}
    work = 0
    for selection_set in _selection_sets(document):
        keys: Counter[str] = Counter()
        sub_sizes: Counter[str] = Counter()
        spreads = _direct_fields(selection_set, keys, sub_sizes)
        for name in spreads:
            fragment = fragments.get(name)
            if fragment is None:
                continue
            histogram = histograms.get(name)
            if histogram is None:
                histogram = histograms[name] = Counter()
                _direct_fields(fragment.selection_set, histogram, Counter())
            keys.update(histogram)
        work += len(spreads) ** 2 + len(selection_set.selections)
        for key, count in keys.items():
            work += count * count + (count * sub_sizes[key] if count > 1 else 0)
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


def _direct_fields(
    selection_set: SelectionSetNode, keys: Counter[str], sub_sizes: Counter[str]
) -> set[str]:
    """Count response keys (inline fragments merged); return the fragment names spread."""
    spreads: set[str] = set()
    stack = [selection_set]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
                keys[key] += 1
                if selection.selection_set is not None:
                    sub_sizes[key] += len(selection.selection_set.selections)
            elif isinstance(selection, InlineFragmentNode):
                stack.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                spreads.add(selection.name.value)
    return spreads


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
