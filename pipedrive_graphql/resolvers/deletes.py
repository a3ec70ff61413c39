"""Deletes of persons, deals, organizations, activities and notes, and what they clear."""

from __future__ import annotations

from dataclasses import dataclass

from pipedrive_graphql.context import Context


@dataclass(frozen=True, slots=True)
class Deleted:
    """The id Pipedrive deleted (a failed delete raises instead, so `deleted` is always true)."""

    id: int
    deleted: bool = True


async def delete_person(ctx: Context, person_id: int) -> Deleted:
    """`DELETE /api/v2/persons/{id}`; NOT_FOUND when unknown or already deleted."""
    deleted = await ctx.client.delete_person(person_id)
    ctx.loaders.clear_person(person_id)
    return Deleted(deleted)


async def delete_deal(ctx: Context, deal_id: int) -> Deleted:
    """`DELETE /api/v2/deals/{id}`; NOT_FOUND when unknown or already deleted."""
    deleted = await ctx.client.delete_deal(deal_id)
    ctx.loaders.clear_deal(deal_id)
    ctx.deal_scans.clear()  # analytics later in this request must not count it
    return Deleted(deleted)


async def delete_organization(ctx: Context, org_id: int) -> Deleted:
    """`DELETE /api/v2/organizations/{id}`; NOT_FOUND when unknown or already deleted."""
    deleted = await ctx.client.delete_organization(org_id)
    ctx.loaders.clear_organization(org_id)
    return Deleted(deleted)


async def delete_activity(ctx: Context, activity_id: int) -> Deleted:
    """`DELETE /api/v2/activities/{id}`; NOT_FOUND when unknown or already deleted."""
    deleted = await ctx.client.delete_activity(activity_id)
    ctx.loaders.clear_activity(activity_id)
    return Deleted(deleted)


async def delete_note(ctx: Context, note_id: int) -> Deleted:
    """`DELETE /api/v1/notes/{id}`; NOT_FOUND when unknown."""
    deleted = await ctx.client.delete_note(note_id)
    ctx.loaders.clear_note(note_id)
    return Deleted(deleted)
