"""A request's records are freed when its answer is made, not left to the cyclic collector.

The server runs with a young-generation threshold of 50,000 allocations: whatever a request
leaves in reference cycles is freed only by the collector's pass, which costs CPU per object.
"""

from __future__ import annotations

import gc

from pipedrive_graphql.datasources.pipedrive import records
from tests.conftest import GraphQLCall

OVERVIEW = """{
  persons(limit: 5) {
    results {
      id name
      organization { id name }
      deals(limit: 3) { results { id title } hasMore }
      activities(limit: 3) { results { id subject } hasMore }
    }
  }
}"""
RECORD_TYPES = tuple(
    value
    for name, value in vars(records).items()
    if name.endswith("Record") and isinstance(value, type)
)


async def test_no_record_of_a_request_waits_for_the_cyclic_collector(gql: GraphQLCall) -> None:
    await gql("{ persons(limit: 1) { results { id } } }")  # the app's own first-use objects
    gc.collect()
    gc.disable()
    try:
        result = await gql(OVERVIEW)
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        left = sorted({type(o).__name__ for o in gc.garbage if isinstance(o, RECORD_TYPES)})
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    persons = result.data["persons"]["results"]
    assert len(persons) == 5
    assert sum(len(p["deals"]["results"]) + len(p["activities"]["results"]) for p in persons) > 0
    assert left == []
