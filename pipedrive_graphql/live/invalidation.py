"""What a change makes stale in the upstream memory, and dropping it on every level.

Loaders and analytics scans live for one request, so the memory shared between requests is
what a webhook can make stale: v2 cursors and collection sizes (a record added, deleted, or
moved to another parent shifts the offsets of every list it is in, its links' lists included)
and the reference lists (pipelines, stages, users) with their single records. Each replica
drops them for the credentials it knows; with Redis, `UpstreamMemory` also drops the shared
level's entries and tells the other replicas.
"""

from __future__ import annotations

from collections.abc import Callable

from pipedrive_graphql.datasources.state.memory import UpstreamMemory
from pipedrive_graphql.live.events import ChangeEvent

# Pipedrive object name -> the reference list the memory keeps it in
REFERENCE_KINDS = {"pipeline": "pipelines", "stage": "stages", "user": "users"}
# a stage or pipeline change moves deals' placement and probability: deal lists go stale too
POSITIONAL = frozenset(
    {"deal", "person", "organization", "activity", "note", "pipeline", "stage", "product", "lead"}
)


def credential_keys(memory: UpstreamMemory, known: frozenset[str]) -> set[str]:
    """Every credential key this replica remembers something for, plus `known` ones."""
    keys = set(known)
    for store in (memory.cursors, memory.sizes):
        keys.update(scope[0] for scope in store.snapshot())
    keys.update(key[0] for key in memory.reference.snapshot())
    return keys


def invalidate(
    memory: UpstreamMemory, event: ChangeEvent, keys: set[str], affected: Callable[[str], bool]
) -> int:
    """Drop what `event` makes stale for each of `keys` that `affected` says; how many keys."""
    dropped = 0
    kind = REFERENCE_KINDS.get(event.entity)
    for key in sorted(k for k in keys if affected(k)):
        if event.entity in POSITIONAL:
            # even a plain field change can move a record in or out of a filtered list
            memory.wrote(key)
        if kind is not None:
            memory.reference_drop((key, kind))
            memory.reference_drop((key, f"{kind}/{event.entity_id}"))
        dropped += 1
    return dropped
