"""What a change makes stale in the process memory, and dropping it.

Loaders and analytics scans live for one request, so the memory shared between requests is
what a webhook can make stale: v2 cursors and collection sizes (a record added, deleted, or
moved to another parent shifts the offsets of every list it is in, its links' lists included)
and the reference lists (pipelines, stages, users) with their single records.
"""

from __future__ import annotations

from collections.abc import Callable

from pipedrive_graphql.datasources.memory import UpstreamMemory
from pipedrive_graphql.live.events import ChangeEvent

# Pipedrive object name -> the reference list the memory keeps it in
REFERENCE_KINDS = {"pipeline": "pipelines", "stage": "stages", "user": "users"}
# a stage or pipeline change moves deals' placement and probability: deal lists go stale too
POSITIONAL = frozenset(
    {"deal", "person", "organization", "activity", "note", "pipeline", "stage", "product", "lead"}
)


def invalidate(memory: UpstreamMemory, event: ChangeEvent, affected: Callable[[str], bool]) -> int:
    """Drop what `event` makes stale for every credential key `affected` says; how many entries."""
    dropped = 0
    if event.entity in POSITIONAL:
        # even a plain field change can move a record in or out of a filtered or sorted list
        dropped += _drop_positions(memory, affected)
    kind = REFERENCE_KINDS.get(event.entity)
    if kind is not None:
        one = f"{kind}/{event.entity_id}"
        for key in memory.reference.snapshot():
            if affected(key[0]) and key[1] in (kind, one):
                memory.reference.pop(key)
                dropped += 1
    return dropped


def _drop_positions(memory: UpstreamMemory, affected: Callable[[str], bool]) -> int:
    dropped = 0
    for store in (memory.cursors, memory.sizes):
        for scope in store.snapshot():
            if affected(scope[0]):
                store.pop(scope)
                dropped += 1
    return dropped
