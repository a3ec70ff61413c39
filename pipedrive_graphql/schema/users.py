"""The User type (owners and authors of records)."""

from __future__ import annotations

import strawberry

from pipedrive_graphql.schema.ids import ID_FITS, link_id


@strawberry.type(description="A Pipedrive user: owns persons, deals, organizations and activities.")
class User:
    """A Pipedrive user, read from its `UserRecord`."""

    id: int = strawberry.field(description="The user ID." + ID_FITS)
    name: str = strawberry.field(description="The user name.")
    email: str | None = strawberry.field(description="The user email.")
    active_flag: bool = strawberry.field(description="Whether the user is activated.")
    is_admin: bool = strawberry.field(
        description=(
            "Whether the user is an admin: any of its `access` entries (one per app) has "
            "`admin: true`."
        )
    )
    role_id: int | None = strawberry.field(description=link_id("The ID of the user role."))
    default_currency: str | None = strawberry.field(description="The user default currency.")
    locale: str | None = strawberry.field(description="The user locale.")
    timezone_name: str | None = strawberry.field(description="The user timezone name.")
    icon_url: str | None = strawberry.field(description="The user icon URL.")
    created: str | None = strawberry.field(description="The creation date and time of the user.")
    modified: str | None = strawberry.field(
        description="The last modification date and time of the user."
    )
    last_login: str | None = strawberry.field(
        description="The last login date and time of the user."
    )


@strawberry.type(description="All users of the company.")
class UserList:
    """The users, in Pipedrive's order."""

    items: list[User] = strawberry.field(name="results", description="The users.")
