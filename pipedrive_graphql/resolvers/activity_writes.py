"""Activity writes: flat arguments -> `ActivityInput` -> the written record."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.types.unset import UnsetType

from pipedrive_graphql.context import Context
from pipedrive_graphql.datasources.pipedrive.inputs import UNSET, ActivityInput, Unset
from pipedrive_graphql.datasources.pipedrive.records import ActivityRecord
from pipedrive_graphql.errors import BadUserInputError
from pipedrive_graphql.resolvers.common import changes, date, not_null
from pipedrive_graphql.resolvers.echo import shown
from pipedrive_graphql.resolvers.time_formats import HH_MM

Arg = UnsetType | None


@dataclass(frozen=True, slots=True)
class ActivityArgs:
    """The GraphQL arguments of `createActivity`/`updateActivity` (UNSET: left out)."""

    subject: str | Arg
    type: str | Arg
    due_date: str | Arg
    due_time: str | Arg
    duration: str | Arg
    deal_id: int | Arg
    person_id: int | Arg
    org_id: int | Arg
    participants: list[int] | Arg
    note: str | Arg
    done: bool | Arg
    owner_id: int | Arg

    def to_input(self) -> ActivityInput:
        """Checked write fields; the v2 body schema makes none of them nullable."""
        return ActivityInput(
            subject=not_null("subject", self.subject),
            type=not_null("type", self.type),
            due_date=_checked_date(self.due_date),
            due_time=_hh_mm("dueTime", self.due_time),
            duration=_hh_mm("duration", self.duration),
            deal_id=not_null("dealId", self.deal_id),
            person_id=not_null("personId", self.person_id),
            org_id=not_null("orgId", self.org_id),
            participants=_participants(self.participants, self.person_id),
            note=not_null("note", self.note),
            done=not_null("done", self.done),
            owner_id=not_null("ownerId", self.owner_id),
        )


def _checked_date(value: str | Arg) -> str | Unset:
    checked = not_null("dueDate", value)
    return checked if isinstance(checked, Unset) else (date("dueDate", checked) or UNSET)


def _hh_mm(name: str, value: str | Arg) -> str | Unset:
    checked = not_null(name, value)
    if isinstance(checked, str) and not HH_MM.fullmatch(checked):
        raise BadUserInputError(f"{name} must be HH:MM, got {shown(checked)}")
    return checked


def _participants(value: list[int] | Arg, person_id: int | Arg) -> tuple[int, ...] | Unset:
    """Person ids, the primary first: `personId` when given, else the first participant."""
    checked = not_null("participants", value)
    if isinstance(checked, Unset):
        return UNSET
    primary = (person_id,) if isinstance(person_id, int) else ()
    return tuple(dict.fromkeys((*primary, *checked)))


def _written(ctx: Context, record: ActivityRecord) -> ActivityRecord:
    """Forget what the write changed, then remember the activity as Pipedrive returned it."""
    ctx.loaders.clear_activity(record.id)
    ctx.loaders.activity_by_id.prime(record.id, record)
    return record


async def create_activity(ctx: Context, args: ActivityArgs) -> ActivityRecord:
    """Create an activity (v2 `POST /activities`); left-out arguments are not sent."""
    if not isinstance(args.subject, str):
        raise BadUserInputError("subject is required")
    record = await ctx.client.add_activity(args.to_input())
    return _written(ctx, record)


async def update_activity(ctx: Context, activity_id: int, args: ActivityArgs) -> ActivityRecord:
    """Patch an activity (v2 `PATCH /activities/{id}`); only the given arguments are sent."""
    record = await ctx.client.update_activity(activity_id, changes(args.to_input()))
    return _written(ctx, record)


async def mark_activity_done(ctx: Context, activity_id: int, done: bool) -> ActivityRecord:
    """Set `done` on an activity (v2 `PATCH /activities/{id}` with `{"done": …}` only)."""
    record = await ctx.client.update_activity(activity_id, ActivityInput(done=done))
    return _written(ctx, record)
