"""A to-many link is declared once (`fields.to_many`): its resolver and its warm-up are one load.

For every linked list of the schema, with every argument given, the executor completes the list
from the warm-up its parent level started (so the key the prefetch computed from the field node
is the one the resolver would use), and graphql-core's own path, where every resolver runs,
answers the same with the same upstream calls (so the resolver took the warm-up's answer and
loaded nothing of its own).
"""

from __future__ import annotations

import inspect
from collections import Counter
from typing import Any

import httpx
from graphql import (
    ExecutionResult,
    GraphQLObjectType,
    GraphQLSchema,
    execute,
    parse,
)
from graphql.execution import Executor
from graphql.pyutils import is_awaitable

from pipedrive_graphql.app import create_app
from pipedrive_graphql.emulator import Emulator, EmulatorConfig
from pipedrive_graphql.execution import PlainFieldExecutor, is_awaitable_cached
from pipedrive_graphql.execution.warm import warm_of
from pipedrive_graphql.pricing import STRAWBERRY_DEFINITION
from pipedrive_graphql.schema import build_schema
from tests.conftest import UPSTREAM_URL, make_settings

# every linked list, and the field of its items that names the parent (None: not one to one)
LINKED_LISTS: dict[str, str | None] = {
    "Person.deals": "personId",
    "Person.activities": "personId",
    "Person.notes": "personId",
    "Person.mailMessages": None,  # a person's messages are those they took part in
    "Organization.persons": "orgId",
    "Organization.deals": "orgId",
    "Organization.activities": "orgId",
    "Organization.notes": "orgId",
    "Deal.notes": "dealId",
    "Deal.activities": "dealId",
    "Deal.mailMessages": "dealId",
    "Pipeline.deals": "pipelineId",
    "Stage.deals": "stageId",
}
# a value for every argument a linked list takes; a new argument needs one here
ARGUMENTS = {
    "start": "0",
    "limit": "3",
    "status": '"open,won"',
    "done": "false",
    "ownerId": "$owner",
    "updatedSince": '"2000-01-01T00:00:00Z"',
    "updatedUntil": '"2100-01-01T00:00:00Z"',
    "sortBy": "id",
    "sortDirection": "desc",
}


def _warmed_fields(schema: GraphQLSchema) -> dict[str, Any]:
    return {
        f"{name}.{field_name}": field
        for name, t in schema.type_map.items()
        if isinstance(t, GraphQLObjectType) and not name.startswith("__")
        for field_name, field in t.fields.items()
        if warm_of(field) is not None
    }


def test_every_linked_list_takes_exactly_the_arguments_of_its_load() -> None:
    fields = _warmed_fields(build_schema()._schema)
    assert sorted(fields) == sorted(LINKED_LISTS)
    for name, field in fields.items():
        load = warm_of(field)
        assert load is not None
        _context, _parent, *parameters = inspect.signature(load).parameters
        definition = field.extensions[STRAWBERRY_DEFINITION]
        assert [a.python_name for a in definition.arguments] == parameters, name
        assert set(field.args) <= set(ARGUMENTS), name


def _lists(schema: GraphQLSchema, type_name: str) -> str:
    selections = []
    for name, field in _warmed_fields(schema).items():
        parent, field_name = name.split(".")
        if parent != type_name:
            continue
        arguments = ", ".join(f"{a}: {ARGUMENTS[a]}" for a in field.args)
        back = LINKED_LISTS[name] or ""
        selections.append(f"{field_name}({arguments}) {{ results {{ id {back} }} hasMore }}")
    return " ".join(selections)


def _document(schema: GraphQLSchema) -> str:
    return f"""query ($owner: Int) {{
        persons(limit: 8) {{ results {{ id {_lists(schema, "Person")} }} }}
        organizations(limit: 8) {{ results {{ id {_lists(schema, "Organization")} }} }}
        deals(limit: 8) {{ results {{ id {_lists(schema, "Deal")}
            pipeline {{ id {_lists(schema, "Pipeline")} }}
            stage {{ id {_lists(schema, "Stage")} }} }} }}
    }}"""


class _CountingExecutor(PlainFieldExecutor):
    """Counts the fields that took graphql-core's own path (their resolver ran)."""

    slow: Counter[str] = Counter()  # noqa: RUF012 - reset per run

    def execute_field(self, parent_type: Any, source: Any, details: Any, *rest: Any) -> Any:
        type(self).slow[f"{parent_type.name}.{details[0].node.name.value}"] += 1
        return super().execute_field(parent_type, source, details, *rest)


async def _run(executor: type[Executor[None]]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The answer, and the upstream calls (path and sorted query) it made."""
    upstream = Emulator(EmulatorConfig(dataset="demo", strict=True))
    app = create_app(
        make_settings(),
        upstream_transport=httpx.ASGITransport(app=upstream.app),
        upstream_base_url=UPSTREAM_URL,
    )
    async with app.router.lifespan_context(app):
        runtime = app.state.runtime
        schema = runtime.schema._schema
        context = runtime.context_for(runtime.server_credential, None)
        owner = await _an_owner(schema, context)
        upstream.log.clear()
        context = runtime.context_for(runtime.server_credential, None)
        result = execute(
            schema,
            parse(_document(schema)),
            context_value=context,
            variable_values={"owner": owner},
            executor_class=executor,
            is_awaitable=is_awaitable_cached,
        )
        if is_awaitable(result):
            result = await result
    assert isinstance(result, ExecutionResult)
    assert result.errors is None
    assert isinstance(result.data, dict)
    # every warm-up the prefetch started was taken by its list, the executor or the resolver
    # looking it up under its own key: none is left over
    assert context.warm_ups == {}
    calls = [(e.path, str(sorted(e.query.items()))) for e in upstream.log.entries]
    return result.data, sorted(calls)


async def _an_owner(schema: GraphQLSchema, context: object) -> int:
    """The owner of the first deal: a user whose records the owner filter leaves in."""
    result = execute(
        schema, parse("{ deals(limit: 1) { results { ownerId } } }"), context_value=context
    )
    if is_awaitable(result):
        result = await result
    assert isinstance(result, ExecutionResult)
    assert isinstance(result.data, dict)
    owner = result.data["deals"]["results"][0]["ownerId"]
    assert isinstance(owner, int)
    return owner


def _items(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(type, object) for every parent object of the answer."""
    found = [("Person", p) for p in data["persons"]["results"]]
    found += [("Organization", o) for o in data["organizations"]["results"]]
    for deal in data["deals"]["results"]:
        found.append(("Deal", deal))
        found += [
            (t, deal[k]) for t, k in (("Pipeline", "pipeline"), ("Stage", "stage")) if deal[k]
        ]
    return found


async def test_every_linked_list_is_completed_from_its_warm_up_with_every_argument() -> None:
    _CountingExecutor.slow = Counter()
    fast, fast_calls = await _run(_CountingExecutor)
    parents = _items(fast)
    seen = Counter(type_name for type_name, _ in parents)
    distinct = Counter(type_name for type_name, _ in {(t, p["id"]) for t, p in parents})
    assert all(seen[t] for t in ("Person", "Organization", "Deal", "Pipeline", "Stage")), seen
    for name in LINKED_LISTS:
        parent_type = name.split(".")[0]
        # each parent's list was answered by the warm-up its level started, found under the
        # key the resolver uses; only a parent met again (the pipeline of several deals) has
        # its resolver run, which takes the loader's answer (no call more, below)
        assert _CountingExecutor.slow[name] <= seen[parent_type] - distinct[parent_type], name
    own_path, own_calls = await _run(Executor)
    assert fast == own_path
    # on graphql-core's path every resolver ran and took its warm-up's answer: no call more
    assert fast_calls == own_calls
    sorted_lists = {
        n for n, f in _warmed_fields(build_schema()._schema).items() if "sortBy" in f.args
    }
    filled: Counter[str] = Counter()
    for type_name, parent in parents:
        for name, back in LINKED_LISTS.items():
            owner, field_name = name.split(".")
            if owner != type_name:
                continue
            results = parent[field_name]["results"]
            assert len(results) <= 3, name
            ids = [r["id"] for r in results]
            if name in sorted_lists:  # sortBy: id, sortDirection: desc
                assert ids == sorted(ids, reverse=True), name
            filled[name] += bool(results)
            if back is not None:
                assert all(r[back] == parent["id"] for r in results), name
    # the filters leave something in most lists, so the parents are checked on real items
    assert sum(1 for name in LINKED_LISTS if filled[name]) >= 8, filled
