"""A large result through our server vs graphql-core executing the same result from memory.

graphql-core runs over the server's own schema (its SDL rebuilt with graphql-core's default
resolvers) with the server's response as root value, so both produce identical JSON.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import graphql
import orjson

from bench.inproc import in_process_server
from bench.stats import median
from pipedrive_graphql.app import tune_garbage_collector
from pipedrive_graphql.schema import build_schema

LARGE_QUERY = """query Large {
  deals(limit: 150) {
    results {
      id title value currency status
      person { id name organization { id name } }
      organization { id name }
      stage { id name pipeline { id name } }
      owner { id name }
    }
  }
}"""


@dataclass(frozen=True)
class DirectComparison:
    """Median milliseconds per request of each way to produce the same result."""

    objects: int
    server_ms: float
    direct_ms: float
    direct_execute_only_ms: float
    replay_hits: int
    replay_misses: int
    identical: bool

    @property
    def overhead(self) -> float:
        """Server time over graphql-core direct time, minus one (0.15 = 15 % slower)."""
        return self.server_ms / self.direct_ms - 1


def count_objects(value: object) -> int:
    """How many JSON objects a result holds (the GraphQL objects, pages included)."""
    if isinstance(value, dict):
        return 1 + sum(count_objects(v) for v in value.values())
    if isinstance(value, list):
        return sum(count_objects(v) for v in value)
    return 0


async def _timed(call: Callable[[], Awaitable[object]], seconds: float) -> list[float]:
    samples: list[float] = []
    stop = time.perf_counter() + seconds
    while time.perf_counter() < stop or len(samples) < 5:
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return samples


async def compare(dataset: str = "demo", seconds: float = 2.0) -> DirectComparison:
    """Time the server in process (upstream replayed) and graphql-core direct, same result."""
    body = orjson.dumps({"query": LARGE_QUERY})
    async with in_process_server(dataset) as server:
        # as `uvicorn --factory` runs the server (GC_TUNING): both ways below share this process
        tune_garbage_collector()
        status, raw = await server.post(body)  # records the upstream answers
        response = orjson.loads(raw)
        if status != 200 or response.get("errors"):
            raise RuntimeError(f"large query failed: {raw[:300]!r}")
        data = response["data"]

        async def through_server() -> object:
            return await server.post(body)

        await _timed(through_server, 0.3)
        server.replay.hits = server.replay.misses = 0
        server_samples = await _timed(through_server, seconds)
        hits, misses = server.replay.hits, server.replay.misses

    schema = graphql.build_schema(str(build_schema()))
    document = graphql.parse(LARGE_QUERY)

    async def direct() -> object:
        doc = graphql.parse(LARGE_QUERY)
        if graphql.validate(schema, doc):
            raise RuntimeError("graphql-core rejects the query")
        result = graphql.execute(schema, doc, root_value=data)
        assert not isinstance(result, Awaitable)
        return orjson.dumps({"data": result.data})

    async def execute_only() -> object:
        result = graphql.execute(schema, document, root_value=data)
        assert not isinstance(result, Awaitable)
        return orjson.dumps({"data": result.data})

    encoded = await direct()
    assert isinstance(encoded, bytes)
    direct_samples = await _timed(direct, seconds)
    execute_samples = await _timed(execute_only, seconds)
    return DirectComparison(
        objects=count_objects(data),
        server_ms=median(server_samples) * 1000,
        direct_ms=median(direct_samples) * 1000,
        direct_execute_only_ms=median(execute_samples) * 1000,
        replay_hits=hits,
        replay_misses=misses,
        identical=orjson.loads(encoded)["data"] == data,
    )


def run(dataset: str = "demo", seconds: float = 2.0) -> DirectComparison:
    """Synchronous entry point."""
    return asyncio.run(compare(dataset, seconds))
