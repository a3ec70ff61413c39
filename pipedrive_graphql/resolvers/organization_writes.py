"""Organization writes: flat arguments -> `OrganizationInput` -> the written record."""

from __future__ import annotations

from collections.abc import Mapping

from strawberry.types.unset import UnsetType

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.pipedrive.inputs import UNSET, OrganizationInput, Unset
from pipedrive_graphql.datasources.pipedrive.records import OrganizationRecord
from pipedrive_graphql.resolvers.common import changes, not_null


def _written(ctx: Context, record: OrganizationRecord) -> OrganizationRecord:
    """Forget what the write changed, then remember the organization as Pipedrive returned it."""
    ctx.loaders.clear_organization(record.id)
    ctx.loaders.organization_by_id.prime(record.id, record)
    return record


async def add_organization(
    ctx: Context,
    *,
    name: str,
    owner_id: int | UnsetType | None,
    address: str | UnsetType | None,
    visible_to: int | UnsetType | None,
    custom_fields: Mapping[str, object] | Unset = UNSET,
) -> OrganizationRecord:
    """Create an organization (v2 `POST /organizations`); left-out arguments are not sent."""
    data = OrganizationInput(
        name=name,
        owner_id=not_null("ownerId", owner_id),
        address=not_null("address", address),
        visible_to=not_null("visibleTo", visible_to),
        custom_fields=custom_fields,
    )
    return _written(ctx, await ctx.client.add_organization(data))


async def update_organization(
    ctx: Context,
    org_id: int,
    *,
    name: str | UnsetType | None,
    owner_id: int | UnsetType | None,
    address: str | UnsetType | None,
    visible_to: int | UnsetType | None,
    custom_fields: Mapping[str, object] | Unset = UNSET,
) -> OrganizationRecord:
    """Patch an organization (v2 `PATCH /organizations/{id}`); only given arguments are sent.

    The v2 body schema makes none of these fields nullable, so null is a BAD_USER_INPUT;
    `custom_fields` is the checked v2 object (a null value in it clears that field).
    """
    data = OrganizationInput(
        name=not_null("name", name),
        owner_id=not_null("ownerId", owner_id),
        address=not_null("address", address),
        visible_to=not_null("visibleTo", visible_to),
        custom_fields=custom_fields,
    )
    return _written(ctx, await ctx.client.update_organization(org_id, changes(data)))
