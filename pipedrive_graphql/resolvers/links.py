"""To-one links through the request's loaders: the record itself once it is loaded.

A link resolver that returns a value instead of an awaitable lets graphql-core complete the
whole list it belongs to synchronously; `prefetch` loads a level's links before the level is
resolved, so on the common path no coroutine or task is made per linked object.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias, TypeVar

from aiodataloader import DataLoader
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from pipedrive_graphql.context import Context

R = TypeVar("R")

LinkedRecord: TypeAlias = R | asyncio.Future[R | None] | None


def load_link(loader: DataLoader[int, R | None], key: int | None) -> LinkedRecord[R]:
    """The linked record when the loader already has it, else its pending future."""
    if key is None:
        return None
    future = loader.load(key)
    if future.done() and not future.cancelled() and future.exception() is None:
        return future.result()
    return future


@dataclass(frozen=True, slots=True)
class Link:
    """A to-one link: the loader that serves it, the key attribute, the linked type."""

    loader: str
    key: str
    target: str


LINKS: dict[tuple[str, str], Link] = {
    ("Deal", "person"): Link("person_by_id", "person_id", "Person"),
    ("Deal", "organization"): Link("organization_by_id", "org_id", "Organization"),
    ("Deal", "stage"): Link("stage_by_id", "stage_id", "Stage"),
    ("Deal", "pipeline"): Link("pipeline_by_id", "pipeline_id", "Pipeline"),
    ("Deal", "owner"): Link("user_by_id", "owner_id", "User"),
    ("Person", "organization"): Link("organization_by_id", "org_id", "Organization"),
    ("Person", "owner"): Link("user_by_id", "owner_id", "User"),
    ("Organization", "owner"): Link("user_by_id", "owner_id", "User"),
    ("Stage", "pipeline"): Link("pipeline_by_id", "pipeline_id", "Pipeline"),
    ("Note", "deal"): Link("deal_by_id", "deal_id", "Deal"),
    ("Note", "person"): Link("person_by_id", "person_id", "Person"),
    ("Note", "organization"): Link("organization_by_id", "org_id", "Organization"),
    ("Note", "user"): Link("user_by_id", "user_id", "User"),
    ("Activity", "deal"): Link("deal_by_id", "deal_id", "Deal"),
    ("Activity", "person"): Link("person_by_id", "person_id", "Person"),
    ("Activity", "organization"): Link("organization_by_id", "org_id", "Organization"),
    ("Activity", "owner"): Link("user_by_id", "owner_id", "User"),
    ("MailMessage", "deal"): Link("deal_by_id", "deal_id", "Deal"),
    ("MailMessage", "person"): Link("person_by_id", "person_id", "Person"),
    ("MailMessage", "organization"): Link("organization_by_id", "org_id", "Organization"),
}


def linked(ctx: Context, link: Link, key: int) -> LinkedRecord[object]:
    """The record `key` of a link's loader: now when loaded, else its pending future."""
    loader: DataLoader[int, object | None] = getattr(ctx.loaders, link.loader)
    return load_link(loader, key)


def selected(selections: Sequence[Selection]) -> list[SelectedField]:
    """The fields of a selection set, with fragments flattened."""
    out: list[SelectedField] = []
    for selection in selections:
        if isinstance(selection, SelectedField):
            out.append(selection)
        elif isinstance(selection, FragmentSpread | InlineFragment):
            out.extend(selected(selection.selections))
    return out


async def prefetch(
    ctx: Context, type_name: str, records: Sequence[object], selections: Sequence[Selection]
) -> None:
    """Load every to-one link the selection asks for, for a whole level, then the next level.

    Failures are left in the loaders' futures: the field that reads one reports the error.
    """
    if not records:
        return
    pending: list[tuple[Link, SelectedField, asyncio.Future[list[object]]]] = []
    for field in selected(selections):
        link = LINKS.get((type_name, field.name))
        if link is None:
            continue
        keys = sorted({key for r in records if (key := getattr(r, link.key, None)) is not None})
        if keys:
            loader: DataLoader[int, object] = getattr(ctx.loaders, link.loader)
            pending.append((link, field, loader.load_many(keys)))
    if not pending:
        return
    loaded = await asyncio.gather(*(future for _, _, future in pending), return_exceptions=True)
    deeper = [
        prefetch(ctx, link.target, [r for r in result if r is not None], field.selections)
        for (link, field, _), result in zip(pending, loaded, strict=True)
        if not isinstance(result, BaseException) and field.selections
    ]
    await asyncio.gather(*deeper)
