"""Our GraphQL-over-HTTP handler against Strawberry's ASGI view, on the same schema and upstream.

Both apps run in this process behind the ASGI interface with the upstream replayed from memory
(`bench.inproc.ReplayTransport`), so the time is the server's own work. Strawberry's view gets
the same help the handler has: its parser and validation caches (`ParserCache`,
`ValidationCache`) and the same per-request context (client, loaders); what it lacks by design
is the limits' pre-flight estimate, the cost extension and our executor's fast paths.

Run alone: `python -m bench.http_handler [--seconds 3]`.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx
import orjson
import strawberry
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.http.temporal_response import TemporalResponse

from bench.inproc import ReplayTransport, asgi_post
from bench.scenarios import BOARD, PERSON_360, TRIVIAL, Scenario
from pipedrive_graphql.app import create_app
from pipedrive_graphql.context import Context
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.runtime import Runtime
from pipedrive_graphql.schema import Mutation, Query
from pipedrive_graphql.settings import Secret, Settings

SCENARIOS = (TRIVIAL, PERSON_360, BOARD)


@dataclass
class HandlerComparison:
    """Mean milliseconds per sequential request, by scenario key, for each handler."""

    ours_ms: dict[str, float] = field(default_factory=dict)
    strawberry_ms: dict[str, float] = field(default_factory=dict)
    same_data: dict[str, bool] = field(default_factory=dict)


class _StrawberryView(GraphQL[Context, None]):
    """Strawberry's ASGI view with our per-request context (loaders bound to the credential)."""

    def __init__(self, schema: strawberry.Schema, runtime: Callable[[], Runtime]) -> None:
        super().__init__(schema, graphql_ide=None)
        self._runtime = runtime

    async def get_context(
        self, request: Request | WebSocket, response: TemporalResponse | object
    ) -> Context:
        runtime = self._runtime()
        assert runtime.server_credential is not None
        return runtime.context_for(runtime.server_credential, None)


def strawberry_app(ours: Starlette) -> Starlette:
    """Strawberry's view at /graphql, sharing `ours`' runtime (settings, client, caches)."""
    # one instance of each for the process: built per request, their LRU caches would be empty
    parser_cache, validation_cache = ParserCache(maxsize=1024), ValidationCache(maxsize=1024)
    schema = strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=[lambda: parser_cache, lambda: validation_cache],
    )
    view = _StrawberryView(schema, lambda: ours.state.runtime)
    return Starlette(routes=[Route("/graphql", view, methods=["GET", "POST"])])


async def _mean_ms(post: Callable[[], Awaitable[tuple[int, bytes]]], seconds: float) -> float:
    for _ in range(5):  # warm the caches (documents, reference lists, replayed upstream)
        await post()
    count = 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        status, _ = await post()
        assert status == 200
        count += 1
    return (time.perf_counter() - started) * 1000 / count


async def compare(seconds: float) -> HandlerComparison:
    """Time each scenario through both handlers, one dataset (and app pair) at a time."""
    result = HandlerComparison()
    for scenario in SCENARIOS:
        await _compare_one(scenario, seconds, result)
    return result


async def _compare_one(scenario: Scenario, seconds: float, result: HandlerComparison) -> None:
    emulator = Emulator(EmulatorConfig(dataset=scenario.dataset))
    replay = ReplayTransport(httpx.ASGITransport(app=emulator.app))
    settings = Settings(api_token=Secret("bench-token"), base_url="http://emulator")
    ours = create_app(settings, upstream_transport=replay, upstream_base_url="http://emulator")
    theirs = strawberry_app(ours)
    body = orjson.dumps({"query": scenario.query, "variables": scenario.variables})
    async with ours.router.lifespan_context(ours):
        _, our_answer = await asgi_post(ours, body)
        _, their_answer = await asgi_post(theirs, body)
        result.same_data[scenario.key] = (
            orjson.loads(our_answer)["data"] == orjson.loads(their_answer)["data"]
        )
        result.ours_ms[scenario.key] = await _mean_ms(lambda: asgi_post(ours, body), seconds)
        result.strawberry_ms[scenario.key] = await _mean_ms(
            lambda: asgi_post(theirs, body), seconds
        )


def render(result: HandlerComparison) -> list[str]:
    """The report's table: one row per scenario."""
    lines = [
        "| scenario | ours (ms/request) | Strawberry's view (ms/request) | ratio | same data |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for key, ours in result.ours_ms.items():
        theirs = result.strawberry_ms[key]
        same = "yes" if result.same_data[key] else "**no**"
        lines.append(f"| {key} | {ours:.2f} | {theirs:.2f} | {theirs / ours:.2f}× | {same} |")
    return lines


def main() -> None:
    """Print the comparison as a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    print("\n".join(render(asyncio.run(compare(args.seconds)))))


if __name__ == "__main__":
    main()
