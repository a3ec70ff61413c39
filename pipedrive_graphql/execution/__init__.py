"""The execution speed-ups: graphql-core's executor with short paths, and link prefetching.

One seam in each direction:

- in: what a field declares (`schema.fields`: a plain attribute, a `to_one` link with its
  loader and key, a resolver with its price) is read from the built schema by `install`;
  nothing else in the schema knows these tricks exist;
- out: the endpoint runs every request through `execute_request`.

`install` puts a one-call resolver on plain attributes (`AttributeRead`) and declared links
(`LinkRead`); `PlainFieldExecutor` completes those, and the lists of objects read off a record,
without building graphql-core's `GraphQLResolveInfo` (its plan: `steps`). List fields call
`prefetched_page` / `prefetched_one` so that a level's links are loaded before it resolves, and
the level's to-many lists are started at the same time (`warm`); the executor completes a list
whose warm-up has answered in place, without its resolver, and a resolver that still runs takes
the answer through `warmed`. Anything unusual (an error, a null in a non-null field, an
awaitable, a warm-up not started) goes back to graphql-core's own path, so data and errors are
unchanged; `tests/schema/test_gql_executor.py` and `tests/test_fuzz_executor.py` compare both
executors.

Because the endpoint calls graphql-core directly, Strawberry's schema extensions would never
run; `install` refuses a schema that has any.
"""

from __future__ import annotations

import strawberry

from pipedrive_graphql.execution.executor import (
    PlainFieldExecutor,
    execute_request,
    is_awaitable_cached,
)
from pipedrive_graphql.execution.fast_paths import AttributeRead, LinkRead, streamline
from pipedrive_graphql.execution.links import Link, link_of
from pipedrive_graphql.execution.prefetch import prefetched_one, prefetched_page
from pipedrive_graphql.execution.warm import LinkedList, warmed


class UnsupportedExtensionError(TypeError):
    """A Strawberry schema extension the endpoint would silently never run."""


def install(schema: strawberry.Schema) -> int:
    """Install the short paths on a built schema; returns how many fields got one.

    Raises `UnsupportedExtensionError` when the schema has Strawberry schema extensions: the
    endpoint executes with graphql-core, which does not call them.
    """
    if schema.extensions:
        names = ", ".join(sorted(_name(e) for e in schema.extensions))
        raise UnsupportedExtensionError(
            f"Strawberry schema extensions are not run by this server's endpoint: {names}"
        )
    return streamline(schema._schema)


def _name(extension: object) -> str:
    return extension.__name__ if isinstance(extension, type) else type(extension).__name__


__all__ = [
    "AttributeRead",
    "Link",
    "LinkRead",
    "LinkedList",
    "PlainFieldExecutor",
    "UnsupportedExtensionError",
    "execute_request",
    "install",
    "is_awaitable_cached",
    "link_of",
    "prefetched_one",
    "prefetched_page",
    "warmed",
]
