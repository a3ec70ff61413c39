"""Query limits checked before any upstream call: depth, aliases and an upstream cost estimate.

The estimate prices the selection set with the Pipedrive calls it implies (the `x-token-cost`
of each), assuming the batching the loaders do: one `ids=` call per 100 parents for a to-one
link, reference lists once per request, one filtered call per parent for a to-many link and the
pages of a scan that may precede them (the planner may do better; the estimate is an upper
bound). The objects of a whole reference list (all pipelines, a pipeline's stages) are counted
as the list's records when the process memory holds the list, else as
`ASSUMED_REFERENCE_LIST_SIZE`: an account with a longer list, not yet read, can cost more.
A to-many list whose collection the request has already read (`scanned`) is charged the pages
read: the level is served from those rows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values

from pipedrive_graphql.datasources.loading.planner import most_scan_pages
from pipedrive_graphql.datasources.pipedrive import costs
from pipedrive_graphql.document_limits import INTROSPECTION_ROOTS, expanded_selections
from pipedrive_graphql.errors import BadUserInputError, QueryTooComplexError
from pipedrive_graphql.execution.selection import included
from pipedrive_graphql.pricing import REFERENCE_GETS, REFERENCE_TOKENS, Kind, Price, price_of
from pipedrive_graphql.resolvers.common import page_args
from pipedrive_graphql.settings import Settings

# What a custom field value may link to (`pricing.VALUE_TEXT`).
VALUE_COLLECTIONS = ("users", "persons", "organizations")
# Selections the walk may visit, fragments expanded as execution collects them: a real
# dashboard query is a few hundred; past this the response alone would be unreasonable.
MAX_WALK_SELECTIONS = 10_000
# Introspection is free of the depth and alias limits, within these bounds. The standard
# queries (graphql-js `getIntrospectionQuery` with 9 levels of `ofType`, GraphiQL, codegen,
# Apollo, Relay) nest 14 selection sets under `__schema`, one `__schema`, and at most two of
# `fields`/`inputFields`/`interfaces`/`possibleTypes` inside each other (graphql-js's own
# `MaxIntrospectionDepthRule` refuses three).
MAX_INTROSPECTION_DEPTH = 16
MAX_NESTED_INTROSPECTION_LISTS = 2
NESTED_INTROSPECTION_LISTS = frozenset({"fields", "inputFields", "interfaces", "possibleTypes"})
MAX_SCHEMA_ROOTS = 1
MAX_INTROSPECTION_ROOTS = 10
# The limits on what an operation costs upstream (checked after its shape's)
COST_LIMITS = ("upstream calls", "Pipedrive tokens")
# The records a whole reference list (users, stages, pipelines) is counted for while its length
# is unknown (not in the process memory): a bound, not a Pipedrive limit.
ASSUMED_REFERENCE_LIST_SIZE = 100


@dataclass
class ValueLinks:
    """The links the custom field values of one record level may load.

    Every value of the level loads through the same by-id loaders (one batch per collection),
    whichever alias or accessor asks. `named` collections are selected as accessors; each
    `text` of a single value (`customField`) adds one collection the estimate cannot name (the
    field's type is in the account's definitions, read after the estimate); a `text` over a
    list of values (`customFields`) may load all of them.
    """

    parents: int = 0
    named: set[str] = field(default_factory=set)
    unnamed: int = 0
    any: bool = False


@dataclass(frozen=True)
class ListSite:
    """A to-many list field where the operation selects it."""

    path: tuple[str, ...]  # response keys from the root to the field: the site's identity
    definition: GraphQLField = field(compare=False)
    node: FieldNode = field(compare=False)


@dataclass
class Estimate:
    """What an operation is expected to cost upstream, and its shape."""

    upstream_calls: int = 0
    pipedrive_tokens: int = 0
    depth: int = 0
    aliases: int = 0
    introspection_roots: int = 0
    schema_roots: int = 0
    listed: set[str] = field(default_factory=set)  # reference lists read in full
    # parents of reference links, summed over the operation: the planner fetches up to
    # REFERENCE_GETS single records, else the list, and does so even when the full list is
    # also read for a field that needs it (measured: `Deal.pipeline` then `weightedValue`)
    referenced: dict[str, int] = field(default_factory=dict)
    # custom field value links by record level (path of the records), charged at the end
    value_links: dict[tuple[str, ...], ValueLinks] = field(default_factory=dict)
    # single reads by id with a `Price.fallback` (its tokens → reads), summed over the
    # operation: the loader batches them with `ids=` once they are 10 or more
    fallback_reads: dict[int, int] = field(default_factory=dict)
    # whole reference lists counted as ASSUMED_REFERENCE_LIST_SIZE records (length unknown)
    assumed: set[str] = field(default_factory=set)
    # every to-many list selected (their arguments are checked before any call)
    lists: list[ListSite] = field(default_factory=list)
    # to-many lists under several parents charged a call per parent, by parents: reading the
    # collection first (`Loaders.probe_scan`) may show that one scan serves them all
    scan_sites: dict[ListSite, int] = field(default_factory=dict)
    # what each field was charged, by cost limit (`COST_LIMITS`) and response path; charges
    # made once per operation (reference lists, custom field values) are not in it
    field_charges: dict[str, dict[tuple[str, ...], int]] = field(
        default_factory=lambda: {name: {} for name in COST_LIMITS}
    )
    # the operation's variables, coerced (None when they do not coerce)
    variables: VariableValues | None = None

    def as_dict(self) -> dict[str, int]:
        """The estimate as reported in `extensions.cost.estimate`."""
        return {"upstreamCalls": self.upstream_calls, "pipedriveTokens": self.pipedrive_tokens}


class _Walker:
    """Walks the operation as graphql-core executes it: fields merged by response key, each
    fragment collected once per selection set, arguments coerced with the request's variables.

    Work is bounded: the walk visits at most `MAX_WALK_SELECTIONS` selections (a document that
    expands to more is refused while walking), so it is linear in what the response can hold.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: VariableValues | None,
        reference_sizes: Mapping[str, int],
        scanned: Mapping[tuple[str, ...], int],
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables
        self.reference_sizes = reference_sizes
        self.scanned = scanned
        self.estimate = Estimate(variables=variables)
        self.visited = 0

    def walk(
        self,
        type_name: str,
        selections: Sequence[SelectionSetNode],
        parents: int,
        depth: int,
        path: tuple[str, ...] = (),
        many: bool = False,
    ) -> None:
        self.estimate.depth = max(self.estimate.depth, depth)
        object_type = self.schema.get_type(type_name)
        fields = object_type.fields if isinstance(object_type, GraphQLObjectType) else {}
        shared_charged: set[str] = set()  # per-object calls charged at this level
        for key, group in self._collect(selections).items():
            node = group[0]
            name = node.name.value
            if node.alias is not None:
                self.estimate.aliases += 1
            if name in INTROSPECTION_ROOTS:
                self._introspection_root(name, group)
                continue
            definition = fields.get(name)
            if definition is None:
                continue  # __typename (validation refused unknown fields)
            price = price_of(definition)
            children = parents
            if price is not None and price.kind is Kind.VALUE_LINKS:
                self._value_links(price.links, path[:-1], parents, many)
            elif price is not None:
                price = self._chosen(price, node, definition)
                estimate = self.estimate
                before = (estimate.upstream_calls, estimate.pipedrive_tokens)
                if price.shared is not None and price.shared.name not in shared_charged:
                    shared_charged.add(price.shared.name)
                    self._add(parents, price.shared.tokens * parents)
                children = self._charge(price, node, definition, parents, (*path, key))
                self._note_charge((*path, key), before)
            if node.selection_set is not None:
                child_type = get_named_type(definition.type).name
                listed = isinstance(get_nullable_type(definition.type), GraphQLList)
                self.walk(child_type, _selections(group), children, depth + 1, (*path, key), listed)

    def _note_charge(self, path: tuple[str, ...], before: tuple[int, int]) -> None:
        """Remember what the field at `path` was charged (since `before`), for a refusal."""
        estimate = self.estimate
        calls = estimate.upstream_calls - before[0]
        tokens = estimate.pipedrive_tokens - before[1]
        if calls:
            estimate.field_charges[COST_LIMITS[0]][path] = calls
        if tokens:
            estimate.field_charges[COST_LIMITS[1]][path] = tokens

    def walk_operation(self, root: str, operation: OperationDefinitionNode) -> None:
        self.walk(root, [operation.selection_set], 1, 1)

    def _collect(self, selections: Sequence[SelectionSetNode]) -> dict[str, list[FieldNode]]:
        """The fields of `selections` by response key (graphql-core's `collect_subfields`)."""
        groups: dict[str, list[FieldNode]] = {}
        visited: set[str] = set()
        for selection_set in selections:
            self._collect_into(selection_set, groups, visited)
        return groups

    def _collect_into(
        self, selections: SelectionSetNode, groups: dict[str, list[FieldNode]], visited: set[str]
    ) -> None:
        self.visited += len(selections.selections)
        if self.visited > MAX_WALK_SELECTIONS:
            _refuse("walk", self.visited, MAX_WALK_SELECTIONS)
        for selection in selections.selections:
            if isinstance(
                selection, FieldNode | InlineFragmentNode | FragmentSpreadNode
            ) and not included(selection, self.variables):
                continue  # left out of the result: no call made for it
            if isinstance(selection, FieldNode):
                groups.setdefault((selection.alias or selection.name).value, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                self._collect_into(selection.selection_set, groups, visited)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in visited:
                    visited.add(name)
                    self._collect_into(fragment.selection_set, groups, visited)

    def _introspection_root(self, name: str, group: Sequence[FieldNode]) -> None:
        """`__schema`/`__type`: free of the depth limit, bounded by the introspection limits."""
        estimate = self.estimate
        estimate.introspection_roots += 1
        estimate.schema_roots += name == "__schema"
        if estimate.introspection_roots > MAX_INTROSPECTION_ROOTS:
            _refuse("introspection fields", estimate.introspection_roots, MAX_INTROSPECTION_ROOTS)
        if estimate.schema_roots > MAX_SCHEMA_ROOTS:
            _refuse("__schema fields", estimate.schema_roots, MAX_SCHEMA_ROOTS)
        self._introspect(_selections(group), 1, 0)

    def _introspect(self, selections: Sequence[SelectionSetNode], depth: int, lists: int) -> None:
        if depth > MAX_INTROSPECTION_DEPTH:
            _refuse("introspection depth", depth, MAX_INTROSPECTION_DEPTH)
        for group in self._collect(selections).values():
            node = group[0]
            if node.alias is not None:
                self.estimate.aliases += 1
            nested = lists + (node.name.value in NESTED_INTROSPECTION_LISTS)
            if nested > MAX_NESTED_INTROSPECTION_LISTS:
                _refuse("introspection lists", nested, MAX_NESTED_INTROSPECTION_LISTS)
            if node.selection_set is not None:
                self._introspect(_selections(group), depth + 1, nested)

    def _chosen(self, price: Price, node: FieldNode, definition: GraphQLField) -> Price:
        """The price for the field's arguments (`Price.when_true`)."""
        if not price.when_true:
            return price
        arguments = self._arguments(node, definition)
        for name, alternative in price.when_true:
            if arguments.get(name) is True:
                return alternative
        return price

    def _arguments(self, node: FieldNode, definition: GraphQLField) -> dict[str, Any]:
        try:
            return get_argument_values(definition, node, self.variables)
        except GraphQLError:
            return {}  # execution refuses the field before its resolver runs

    def _charge(
        self,
        price: Price,
        node: FieldNode,
        definition: GraphQLField,
        parents: int,
        path: tuple[str, ...],
    ) -> int:
        arguments = self._arguments(node, definition)
        if "limit" in definition.args:
            # the resolver's own check, first: an out-of-range page is bad input, not a price
            try:
                page_args(arguments.get("start"), arguments.get("limit"))
            except BadUserInputError as error:
                raise BadUserInputError(
                    f"{'.'.join(path)}: {error.message}", extensions=error.extensions
                ) from None
        limit = _positive(arguments.get("limit")) or price.default_limit
        start = _positive(arguments.get("start")) or 0
        for name in price.needs:
            self._list(name)
        if price.lookups:
            self._add(parents * price.lookups, parents * price.lookups * costs.V2_GET)
            self._fallback_reads(price, parents * price.lookups)
        if price.kind is Kind.NONE:
            return parents * price.list_size
        if price.kind is Kind.REFERENCE:
            referenced = self.estimate.referenced
            referenced[price.reference] = referenced.get(price.reference, 0) + parents
            if price.whole:  # distinct records: deeper calls are keyed by their ids
                known = self.reference_sizes.get(price.reference)
                if known is None:
                    self.estimate.assumed.add(price.reference)
                    return ASSUMED_REFERENCE_LIST_SIZE
                return known
            return parents
        if price.kind is Kind.SCAN:
            self._add(parents, price.tokens * parents)
            return limit * parents
        if price.kind is Kind.GET:
            self._add(parents, price.tokens * parents)
            self._fallback_reads(price, parents)
            return parents
        if price.kind is Kind.BY_ID:
            self._by_id(parents, price.tokens, price.fallback)
            return parents
        pages = math.ceil((start + limit) / price.max_page) or 1
        if price.kind is Kind.SEARCH:
            self._add(pages, pages * price.tokens)
            self._hydrate(price, limit)
            return limit
        if price.kind is Kind.TO_MANY:
            self.estimate.lists.append(ListSite(path, definition, node))
        if price.scans and path in self.scanned:
            # the collection was read for this request: every parent's list is served from it
            read = self.scanned[path]
            self._add(read, read * price.tokens)
            return limit * parents
        calls = pages * parents
        self._add(calls, calls * price.tokens)
        if price.scans:
            scanned = most_scan_pages(parents)  # as the planner counts: 10 tokens a call
            self._add(scanned, scanned * price.tokens)
            if parents > 1:
                self.estimate.scan_sites[ListSite(path, definition, node)] = parents
        return limit * parents

    def _by_id(self, parents: int, tokens: int, fallback: int = 0) -> None:
        batches = math.ceil(parents / 100)
        # the planner sends single GETs instead while they cost fewer tokens than one list
        # call (`planner.plan_by_ids`): up to 9 calls for 9 parents, never more tokens; an
        # `ids=` batch may be followed by its `Price.fallback` call
        gets = min(parents, (tokens - 1) // costs.V2_GET)
        per_batch = 2 if fallback else 1
        self._add(max(batches * per_batch, gets), batches * (tokens + fallback))

    def _fallback_reads(self, price: Price, reads: int) -> None:
        if price.fallback:
            tally = self.estimate.fallback_reads
            tally[price.fallback] = tally.get(price.fallback, 0) + reads

    def _value_links(
        self, links: Sequence[str], level: tuple[str, ...], parents: int, many: bool
    ) -> None:
        """Note what a value field may load; charged per record level by `finish`."""
        noted = self.estimate.value_links.setdefault(level, ValueLinks())
        noted.parents = max(noted.parents, parents)
        if len(links) == 1:
            noted.named.add(links[0])
        elif many:
            noted.any = True
        else:
            noted.unnamed += 1

    def _charge_value_links(self, noted: ValueLinks) -> None:
        """One batched load per collection the level's values may reach."""
        parents = noted.parents
        others = [c for c in VALUE_COLLECTIONS if c not in noted.named]
        every = noted.any or noted.unnamed >= len(others)
        for collection in sorted(noted.named | set(others) if every else noted.named):
            if collection == "users":  # a reference list, charged with the operation's others
                referenced = self.estimate.referenced
                referenced["users"] = referenced.get("users", 0) + parents
            else:
                self._by_id(parents, costs.V2_LIST)
        if not every:
            # each unknown collection is charged the most any candidate could add: the user
            # list (20 tokens) or ids= batches (10 each), single GETs while fewer than 10 ids
            batches = math.ceil(parents / 100)
            calls = max(batches, min(parents, (costs.V2_LIST - 1) // costs.V2_GET))
            tokens = max(costs.V1_USERS_LIST, batches * costs.V2_LIST)
            self._add(noted.unnamed * calls, noted.unnamed * tokens)

    def _hydrate(self, price: Price, hits: int) -> None:
        # the hits are read like a to-one link (`planner.plan_by_ids`)
        self._by_id(hits, costs.V2_LIST, price.fallback)

    def _list(self, name: str) -> None:
        if name not in self.estimate.listed:
            self.estimate.listed.add(name)
            self._add(1, REFERENCE_TOKENS[name])

    def finish(self) -> Estimate:
        """Charge the reference links once the whole operation's parents are known."""
        for noted in self.estimate.value_links.values():
            self._charge_value_links(noted)
        for name, parents in self.estimate.referenced.items():
            self._add(max(1, min(parents, REFERENCE_GETS[name])), REFERENCE_TOKENS[name])
        for tokens, reads in self.estimate.fallback_reads.items():
            # fewer reads go as single GETs (`planner.plan_by_ids`), which need no fallback;
            # batched, the reads were charged a call each, more than the batches and fallbacks
            if reads * costs.V2_GET >= costs.V2_LIST:
                self._add(0, math.ceil(reads / 100) * tokens)
        return self.estimate

    def _add(self, calls: int, tokens: int) -> None:
        self.estimate.upstream_calls += calls
        self.estimate.pipedrive_tokens += tokens


def estimate_operation(
    operation: OperationDefinitionNode,
    fragments: Mapping[str, FragmentDefinitionNode],
    variables: Mapping[str, Any] | None,
    schema: GraphQLSchema,
    reference_sizes: Mapping[str, int] | None = None,
    scanned: Mapping[tuple[str, ...], int] | None = None,
) -> Estimate:
    """Walk the operation and price it with the values execution will see.

    `reference_sizes` are the known lengths of the reference lists ("users", "stages",
    "pipelines"); a list missing there counts as `ASSUMED_REFERENCE_LIST_SIZE` records.
    `scanned`: the to-many lists (by `ListSite.path`) whose collection this request has read
    (`Loaders.probe_scan`), with the pages read; they are charged those pages only.

    Variables are coerced as execution coerces them (defaults included); when they do not
    coerce, execution refuses the operation before any resolver runs and the walk prices the
    fields' own defaults. Raises `QueryTooComplexError` when the walk or introspection bounds
    are exceeded.
    """
    expanded = expanded_selections(operation.selection_set, fragments)
    if expanded > MAX_WALK_SELECTIONS:
        _refuse("expanded selections", expanded, MAX_WALK_SELECTIONS)
    root_type = schema.get_root_type(operation.operation)
    root = root_type.name if root_type is not None else "Query"
    coerced = get_variable_values(
        schema, list(operation.variable_definitions or ()), dict(variables or {})
    )
    known = coerced if isinstance(coerced, VariableValues) else None
    walker = _Walker(schema, fragments, known, reference_sizes or {}, scanned or {})
    walker.walk_operation(root, operation)
    return walker.finish()


def _selections(group: Sequence[FieldNode]) -> list[SelectionSetNode]:
    return [node.selection_set for node in group if node.selection_set is not None]


def _positive(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _refuse(name: str, value: int, limit: int) -> NoReturn:
    raise QueryTooComplexError(
        f"query exceeds the {name} limit: {value} > {limit}",
        extensions={"limit": name, "value": value, "max": limit},
    )


def check_limits(estimate: Estimate, settings: Settings) -> None:
    """Refuse an operation over any configured limit, naming the limit (`extensions.limit`):
    its shape's (depth, aliases) first, then its cost's (`COST_LIMITS`)."""
    checks = (
        ("depth", estimate.depth, settings.max_depth),
        ("aliases", estimate.aliases, settings.max_aliases),
        (COST_LIMITS[0], estimate.upstream_calls, settings.max_upstream_calls),
        (COST_LIMITS[1], estimate.pipedrive_tokens, settings.max_pipedrive_tokens),
    )
    for name, value, limit in checks:
        if value > limit:
            extensions: dict[str, object] = {"limit": name, "value": value, "max": limit}
            message = f"query exceeds the {name} limit: {value} > {limit}"
            largest = _largest(estimate.field_charges.get(name, {}))
            if largest:
                extensions["largest"] = [{"path": path, "value": n} for path, n in largest]
                shown = ", ".join(f"{path} {n}" for path, n in largest)
                message += f" (largest: {shown})"
            raise QueryTooComplexError(message, extensions=extensions)


# How many fields a cost refusal names, largest charge first
LARGEST_SHOWN = 3


def _largest(charges: Mapping[tuple[str, ...], int]) -> list[tuple[str, int]]:
    """The fields charged most, as dotted response paths: joined only for a refusal."""
    named = [(".".join(path), n) for path, n in charges.items()]
    return sorted(named, key=lambda item: (-item[1], item[0]))[:LARGEST_SHOWN]
