"""Upstream accounting from a GraphQL response: the naive plan and the theoretical minimum.

Naive: one upstream call per linked object (every to-one link a single GET, every to-many link
one filtered list call per parent). Minimum: one batched call per entity type per dependent level
(`ids=` lists of at most 100), reference data (pipelines, stages, users) fetched once; its token
figure lets each group pick the cheaper of the list call and single GETs, so the minimum
requests and the minimum tokens are separate lower bounds.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

# Pipedrive token costs (the specs' x-token-cost; mirrors pipedrive_graphql/datasources/costs.py).
V2_LIST, V2_GET, V2_SEARCH = 10, 1, 20
REF_LIST, REF_GET = 5, 1  # v2 pipelines / stages
USERS_LIST, USER_GET = 20, 2  # v1 users
V1_LIST, V1_GET = 20, 2  # v1 notes / mail messages
IDS_PER_CALL = 100


def collect(data: object, path: str) -> Iterator[dict[str, object]]:
    """Every non-null object at a dotted path of a response, flattening lists on the way."""
    nodes: list[object] = [data]
    for key in path.split("."):
        nxt: list[object] = []
        for node in nodes:
            value = node.get(key) if isinstance(node, dict) else None
            if isinstance(value, list):
                nxt.extend(v for v in value if v is not None)
            elif value is not None:
                nxt.append(value)
        nodes = nxt
    for node in nodes:
        if isinstance(node, dict):
            yield node


def result_objects(data: object) -> int:
    """How many GraphQL objects a response's `data` holds, the root included."""
    if isinstance(data, dict):
        return 1 + sum(result_objects(v) for v in data.values())
    if isinstance(data, list):
        return sum(result_objects(v) for v in data)
    return 0


def distinct_ids(data: object, paths: Sequence[str]) -> set[object]:
    """The distinct `id`s of the objects found at any of `paths`."""
    return {obj.get("id") for path in paths for obj in collect(data, path)}


@dataclass(frozen=True)
class Call:
    """A fixed upstream call (or `count` of them) every plan makes, e.g. the root list."""

    label: str
    tokens: int
    count: int = 1


@dataclass(frozen=True)
class Link:
    """A link in the naive plan: one call per object found at `path` costing `tokens` each."""

    path: str
    tokens: int


@dataclass(frozen=True)
class Group:
    """One batched call per entity type and level in the minimum plan.

    kind "ids": `ids=` lists of at most 100 (or single GETs if cheaper in tokens);
    kind "reference": the whole list once (or single GETs if cheaper);
    kind "scan": one call, e.g. the deals of every stage as one scan grouped by parent.
    """

    label: str
    paths: tuple[str, ...]
    list_tokens: int
    get_tokens: int
    kind: str = "ids"


@dataclass(frozen=True)
class Minimum:
    """The minimum plan: its requests and tokens, and the cheapest possible token spend."""

    requests: int
    tokens: int
    cheapest_tokens: int


@dataclass(frozen=True)
class Plan:
    """Upstream requests and tokens of a plan."""

    requests: int
    tokens: int


def naive(data: object, calls: Sequence[Call], links: Sequence[Link]) -> Plan:
    """One call per linked object found in the response (plus the fixed calls)."""
    requests = sum(c.count for c in calls)
    tokens = sum(c.tokens * c.count for c in calls)
    for link in links:
        n = sum(1 for _ in collect(data, link.path))
        requests += n
        tokens += n * link.tokens
    return Plan(requests, tokens)


def minimum(data: object, calls: Sequence[Call], groups: Sequence[Group]) -> Minimum:
    """The batched plan's requests and tokens, and the fewest tokens any plan could spend."""
    requests = sum(c.count for c in calls)
    tokens = sum(c.tokens * c.count for c in calls)
    cheapest = tokens
    for group in groups:
        n = len(distinct_ids(data, group.paths))
        if n == 0:
            continue
        batches = math.ceil(n / IDS_PER_CALL) if group.kind == "ids" else 1
        requests += batches
        tokens += batches * group.list_tokens
        cheapest += min(batches * group.list_tokens, n * group.get_tokens)
    return Minimum(requests, tokens, cheapest)
