"""The User type (owners and authors of records)."""

from __future__ import annotations

import strawberry

from pipedrive_graphql.datasources.records import UserRecord


@strawberry.type(description="A Pipedrive user: owns persons, deals, organizations and activities.")
class User:
    """A Pipedrive user with its scalar fields copied from the record."""

    record: strawberry.Private[UserRecord]
    id: int = strawberry.field(description="The user ID.")
    name: str = strawberry.field(description="The user name.")
    email: str | None = strawberry.field(description="The user email.")
    active_flag: bool = strawberry.field(description="Whether the user is activated.")
    is_admin: bool = strawberry.field(description="Whether the user is an admin.")
    role_id: int | None = strawberry.field(description="The ID of the user role.")
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

    @classmethod
    def from_record(cls, r: UserRecord) -> User:
        """Wrap a user record."""
        return cls(
            record=r,
            id=r.id,
            name=r.name,
            email=r.email,
            active_flag=r.active_flag,
            is_admin=r.is_admin,
            role_id=r.role_id,
            default_currency=r.default_currency,
            locale=r.locale,
            timezone_name=r.timezone_name,
            icon_url=r.icon_url,
            created=r.created,
            modified=r.modified,
            last_login=r.last_login,
        )
