"""A to-many link is declared once (`fields.to_many`): its resolver and its warm-up are one load.

For every linked list of the schema, with every argument given: the executor completes the list
from the warm-up its parent level started (the key the prefetch computed from the field node is
the one the list is looked up by), on graphql-core's own path every resolver finds and takes its
warm-up (no warm-up is left over), and either way each list is loaded once, for the right parent.
"""

from __future__ import annotations

import inspect
from collections import Counter
from typing import Any

import pytest
from graphql import GraphQLObjectType, GraphQLSchema
from graphql.execution import Executor
from starlette.applications import Starlette

from pipedrive_graphql.emulator import Emulator
from pipedrive_graphql.execution import PlainFieldExecutor
from pipedrive_graphql.execution.warm import warm_of
from pipedrive_graphql.pricing import STRAWBERRY_DEFINITION
from pipedrive_graphql.schema import build_schema
from pipedrive_graphql.schema.list_arguments import SortBy, SortDirection
from tests.schema.executing import execute_with

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
    "sort": '"add_time DESC"',
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
        _context, _parent_id, *parameters = inspect.signature(load.call).parameters
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


def _parents(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(type, object) for every parent object of the answer."""
    found = [("Person", p) for p in data["persons"]["results"]]
    found += [("Organization", o) for o in data["organizations"]["results"]]
    for deal in data["deals"]["results"]:
        found.append(("Deal", deal))
        found += [
            (t, deal[k]) for t, k in (("Pipeline", "pipeline"), ("Stage", "stage")) if deal[k]
        ]
    return found


@pytest.mark.parametrize(
    "executor", [_CountingExecutor, Executor], ids=["short path", "graphql-core path"]
)
async def test_every_linked_list_is_answered_by_its_warm_up_with_every_argument(
    app: Starlette, upstream: Emulator, executor: type[Executor[None]]
) -> None:
    schema = app.state.runtime.schema._schema
    first, _ = await execute_with(app, "{ deals(limit: 1) { results { ownerId } } }", executor, {})
    owner = first["deals"]["results"][0]["ownerId"]  # a user the owner filter leaves items of
    upstream.log.clear()
    _CountingExecutor.slow = Counter()
    data, context = await execute_with(app, _document(schema), executor, {"owner": owner})

    # every warm-up the prefetch started was taken by its list, the executor or the resolver
    # looking it up under its own key: none is left over
    assert context.warm_ups == {}
    parents = _parents(data)
    distinct = Counter(t for t, _ in {(t, p["id"]) for t, p in parents})
    seen = Counter(t for t, _ in parents)
    assert all(distinct[t] for t in ("Person", "Organization", "Deal", "Pipeline", "Stage"))
    if executor is _CountingExecutor:
        for name in LINKED_LISTS:
            # each parent's list was completed from its warm-up; only a parent met again (the
            # pipeline of several deals) has its resolver run, which takes the loader's answer
            parent_type = name.split(".")[0]
            assert _CountingExecutor.slow[name] <= seen[parent_type] - distinct[parent_type], name
    # on either path no list was loaded twice: one list call per level that lists the type
    # (the roots, and the persons', organizations', pipelines' and stages' levels; the notes of
    # the persons', organizations' and deals' levels), one v1 call per parent for mail (no
    # multi-parent filter, no account-wide list)
    calls = Counter(e.path for e in upstream.log.entries)
    mail = sum(n for path, n in calls.items() if path.endswith("/mailMessages"))
    lists = {path: calls[f"/api/v2/{path}"] for path in ("deals", "activities", "persons")}
    assert lists == {"deals": 5, "activities": 3, "persons": 2}
    assert calls["/api/v1/notes"] == 3
    assert mail == distinct["Person"] + distinct["Deal"]

    sorted_lists = {n for n, f in _warmed_fields(schema).items() if "sortBy" in f.args}
    filled: Counter[str] = Counter()
    for type_name, parent in parents:
        for name, back in LINKED_LISTS.items():
            owner_type, field_name = name.split(".")
            if owner_type != type_name:
                continue
            results = parent[field_name]["results"]
            assert len(results) <= 3, name
            ids = [r["id"] for r in results]
            if name in sorted_lists:  # sortBy: id, sortDirection: desc
                assert ids == sorted(ids, reverse=True), name
            filled[name] += bool(results)
            if back is not None:
                assert all(r[back] == parent["id"] for r in results), name
    # the filters leave items in every list for some parent, so the checks above see values
    assert {name for name, parents_with_items in filled.items() if parents_with_items} == set(
        LINKED_LISTS
    ), filled


# a value for every argument, as the resolver receives it (enums as their members)
PYTHON_ARGUMENTS: dict[str, Any] = {
    "start": 2,
    "limit": 3,
    "done": False,
    "owner_id": 7,
    "status": "open,won",
    "updated_since": "2000-01-01T00:00:00Z",
    "updated_until": "2100-01-01T00:00:00Z",
    "sort_by": SortBy.update_time,
    "sort_direction": SortDirection.desc,
    "sort": "add_time DESC",
}


def _python_arguments(field: Any) -> dict[str, Any]:
    definition = field.extensions[STRAWBERRY_DEFINITION]
    return {a.python_name: PYTHON_ARGUMENTS[a.python_name] for a in definition.arguments}


async def test_a_levels_keys_are_the_keys_each_parents_own_call_makes(app: Starlette) -> None:
    """`LinkedList.start` checks the arguments once, for the first parent, and moves its key to
    the others (`rekey`): each key is the one that parent's own call makes, with and without
    arguments."""
    runtime = app.state.runtime
    ctx = runtime.context_for(runtime.server_credential, None)
    for name, field in _warmed_fields(runtime.schema._schema).items():
        linked = warm_of(field)
        assert linked is not None
        for arguments in ({}, _python_arguments(field)):
            first = linked.call(ctx, 11, **arguments)
            for parent_id in (12, 7, 1_000_000):
                expected = linked.call(ctx, parent_id, **arguments)
                assert expected.loader is first.loader, name
                assert linked.rekey(first.key, parent_id) == expected.key, (name, arguments)
            assert linked.rekey(first.key, 12) != first.key, name


async def test_a_level_checks_its_list_arguments_once(
    app: Starlette, upstream: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """50 persons' deals: one argument check and one loader key per person, one upstream list."""
    from pipedrive_graphql.resolvers import deals as deal_resolvers

    checks: Counter[str] = Counter()
    original = deal_resolvers.deal_list_call

    def counted(*args: Any, **kwargs: Any) -> Any:
        checks["deal_list_call"] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(deal_resolvers, "deal_list_call", counted)
    upstream.log.clear()
    query = "{ persons(limit: 50) { results { id deals(limit: 2) { results { id personId } } } } }"
    data, context = await execute_with(app, query, PlainFieldExecutor)
    persons = data["persons"]["results"]
    assert len(persons) == 50
    assert checks["deal_list_call"] == 1
    assert context.warm_ups == {}
    for person in persons:
        assert all(deal["personId"] == person["id"] for deal in person["deals"]["results"])
    assert sum(bool(p["deals"]["results"]) for p in persons) > 10
    deal_calls = [e for e in upstream.log.entries if e.path == "/api/v2/deals"]
    assert len(deal_calls) == 1
