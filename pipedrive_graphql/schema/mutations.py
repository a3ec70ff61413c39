"""The Mutation root: the seed's six write operations with flat arguments.

An argument left out is not sent upstream (strawberry.UNSET); an argument given as null clears
the field where Pipedrive allows it. Every result is nullable: when one of several mutations in
an operation fails, a non-null result would null the whole `data` and hide the writes that
succeeded; nullable, the failed one is null beside its error and the others stay visible.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from pipedrive_graphql import pricing
from pipedrive_graphql.datasources.pipedrive.records import DealRecord, NoteRecord, PersonRecord
from pipedrive_graphql.resolvers import deals, notes, persons
from pipedrive_graphql.schema.crm_mutations import CrmMutation
from pipedrive_graphql.schema.custom_field_inputs import CustomFieldInputs, custom_fields_argument
from pipedrive_graphql.schema.deals import Deal
from pipedrive_graphql.schema.deletes import DeleteMutation
from pipedrive_graphql.schema.fields import Info, mutation
from pipedrive_graphql.schema.notes import Note
from pipedrive_graphql.schema.persons import Person


def _arg(description: str) -> object:
    return strawberry.argument(description=description)


OptStr = str | None
OptInt = int | None
OptBool = bool | None
Email = Annotated[
    OptStr,
    _arg(
        "The primary email address; replaces the current primary one and keeps the others. "
        "Null removes the primary one (the next becomes primary); an empty string is refused "
        "(BAD_USER_INPUT)."
    ),
]
Phone = Annotated[
    OptStr,
    _arg(
        "The primary phone number; replaces the current primary one and keeps the others. "
        "Null removes the primary one (the next becomes primary); an empty string is refused "
        "(BAD_USER_INPUT)."
    ),
]
OrgId = Annotated[OptInt, _arg("The ID of the organization to link.")]
OwnerId = Annotated[OptInt, _arg("The ID of the user who owns the record.")]
PersonId = Annotated[OptInt, _arg("The ID of the person to link.")]
StageId = Annotated[OptInt, _arg("The ID of the stage (the pipeline follows from it).")]
Value = Annotated[float | None, _arg("The value of the deal.")]
Currency = Annotated[OptStr, _arg("The currency of the deal value (3-letter code).")]
Status = Annotated[OptStr, _arg("The status of the deal: open, won or lost.")]
CloseDate = Annotated[OptStr, _arg("The expected close date of the deal, YYYY-MM-DD.")]
PinDeal = Annotated[OptBool, _arg("Whether the note is pinned to its deal.")]
PinPerson = Annotated[OptBool, _arg("Whether the note is pinned to its person.")]
PinOrg = Annotated[OptBool, _arg("Whether the note is pinned to its organization.")]
UNSET = strawberry.UNSET


async def _add_person(
    info: Info,
    name: Annotated[str, _arg("The name of the person.")],
    email: Email = UNSET,
    phone: Phone = UNSET,
    org_id: OrgId = UNSET,
    owner_id: OwnerId = UNSET,
    visible_to: Annotated[OptInt, _arg("The visibility of the person (1, 3, 5 or 7).")] = UNSET,
    custom_fields: CustomFieldInputs = UNSET,
) -> PersonRecord:
    custom = await custom_fields_argument(info, "person", custom_fields)
    return await persons.add_person(
        info.context,
        name=name,
        email=email,
        phone=phone,
        org_id=org_id,
        owner_id=owner_id,
        visible_to=visible_to,
        custom_fields=custom,
    )


async def _update_person(
    info: Info,
    person_id: Annotated[int, _arg("The ID of the person to update.")],
    name: Annotated[OptStr, _arg("The name of the person.")] = UNSET,
    email: Email = UNSET,
    phone: Phone = UNSET,
    org_id: OrgId = UNSET,
    owner_id: OwnerId = UNSET,
    custom_fields: CustomFieldInputs = UNSET,
) -> PersonRecord:
    custom = await custom_fields_argument(info, "person", custom_fields)
    return await persons.update_person(
        info.context,
        person_id,
        name=name,
        email=email,
        phone=phone,
        org_id=org_id,
        owner_id=owner_id,
        custom_fields=custom,
    )


async def _create_deal(
    info: Info,
    title: Annotated[str, _arg("The title of the deal.")],
    value: Value = UNSET,
    currency: Currency = UNSET,
    person_id: PersonId = UNSET,
    org_id: OrgId = UNSET,
    stage_id: StageId = UNSET,
    status: Status = UNSET,
    expected_close_date: CloseDate = UNSET,
    custom_fields: CustomFieldInputs = UNSET,
) -> DealRecord:
    custom = await custom_fields_argument(
        info, "deal", custom_fields, currency_of=deals.currency_of(info.context, currency)
    )
    return await deals.create_deal(
        info.context,
        title=title,
        value=value,
        currency=currency,
        person_id=person_id,
        org_id=org_id,
        stage_id=stage_id,
        status=status,
        expected_close_date=expected_close_date,
        custom_fields=custom,
    )


async def _update_deal(
    info: Info,
    deal_id: Annotated[int, _arg("The ID of the deal to update.")],
    title: Annotated[OptStr, _arg("The title of the deal.")] = UNSET,
    value: Value = UNSET,
    currency: Currency = UNSET,
    person_id: PersonId = UNSET,
    org_id: OrgId = UNSET,
    stage_id: StageId = UNSET,
    status: Status = UNSET,
    expected_close_date: CloseDate = UNSET,
    lost_reason: Annotated[OptStr, _arg("The reason for losing the deal.")] = UNSET,
    custom_fields: CustomFieldInputs = UNSET,
) -> DealRecord:
    custom = await custom_fields_argument(
        info,
        "deal",
        custom_fields,
        currency_of=deals.currency_of(info.context, currency, deal_id=deal_id),
    )
    return await deals.update_deal(
        info.context,
        deal_id,
        title=title,
        value=value,
        currency=currency,
        person_id=person_id,
        org_id=org_id,
        stage_id=stage_id,
        status=status,
        expected_close_date=expected_close_date,
        lost_reason=lost_reason,
        custom_fields=custom,
    )


async def _create_note(
    info: Info,
    content: Annotated[str, _arg("The content of the note in HTML format.")],
    deal_id: Annotated[OptInt, _arg("The ID of the deal to attach the note to.")] = UNSET,
    person_id: Annotated[OptInt, _arg("The ID of the person to attach the note to.")] = UNSET,
    org_id: Annotated[OptInt, _arg("The ID of the organization to attach it to.")] = UNSET,
    pinned_to_deal_flag: PinDeal = UNSET,
    pinned_to_person_flag: PinPerson = UNSET,
    pinned_to_organization_flag: PinOrg = UNSET,
) -> NoteRecord:
    return await notes.create_note(
        info.context,
        content=content,
        deal_id=deal_id,
        person_id=person_id,
        org_id=org_id,
        pinned_to_deal_flag=pinned_to_deal_flag,
        pinned_to_person_flag=pinned_to_person_flag,
        pinned_to_organization_flag=pinned_to_organization_flag,
    )


async def _update_note(
    info: Info,
    note_id: Annotated[int, _arg("The ID of the note to update.")],
    content: Annotated[OptStr, _arg("The content of the note in HTML format.")] = UNSET,
    pinned_to_deal_flag: PinDeal = UNSET,
    pinned_to_person_flag: PinPerson = UNSET,
    pinned_to_organization_flag: PinOrg = UNSET,
) -> NoteRecord:
    return await notes.update_note(
        info.context,
        note_id,
        content=content,
        pinned_to_deal_flag=pinned_to_deal_flag,
        pinned_to_person_flag=pinned_to_person_flag,
        pinned_to_organization_flag=pinned_to_organization_flag,
    )


@strawberry.type(description="Write operations over the Pipedrive account.")
class Mutation(CrmMutation, DeleteMutation):
    """The root mutation type: each write, its resolver and its upstream price."""

    add_person: Person | None = mutation(_add_person, pricing.WRITE_V2, "Add a person.")
    update_person: Person | None = mutation(
        _update_person,
        pricing.UPDATE_PERSON,
        "Update a person; only the given arguments change. "
        "With nothing to change it is a BAD_USER_INPUT and nothing is sent.",
    )
    create_deal: Deal | None = mutation(_create_deal, pricing.WRITE_V2, "Create a deal.")
    update_deal: Deal | None = mutation(
        _update_deal,
        pricing.WRITE_V2,
        "Update a deal; only the given arguments change. "
        "With nothing to change it is a BAD_USER_INPUT and nothing is sent.",
    )
    create_note: Note | None = mutation(
        _create_note, pricing.WRITE_NOTE, "Create a note on a deal, person or organization."
    )
    update_note: Note | None = mutation(
        _update_note,
        pricing.WRITE_NOTE,
        "Update a note; only the given arguments change. "
        "With nothing to change it is a BAD_USER_INPUT and nothing is sent.",
    )
