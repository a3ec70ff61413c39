"""`exactMatch` and `fields` of the v2 searches, checked against what each search allows."""

from __future__ import annotations

from dataclasses import dataclass

from pipedrive_graphql.datasources.loading.loaders import SearchOptions
from pipedrive_graphql.errors import BadUserInputError
from pipedrive_graphql.resolvers.echo import shown

# The `fields` each v2 search allows (searchPersons, searchDeals, searchOrganization).
SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    "persons": ("custom_fields", "email", "notes", "phone", "name"),
    "deals": ("custom_fields", "notes", "title"),
    "organizations": ("address", "custom_fields", "notes", "name"),
}


@dataclass(frozen=True, slots=True)
class SearchArgs:
    """`exactMatch` (only whole-value matches) and `fields` (where to look); None: not given."""

    exact_match: bool | None = None
    fields: tuple[str, ...] | None = None

    def options(self, collection: str) -> SearchOptions:
        """The checked `exact_match` and `fields` query parameters, sorted by name."""
        out: list[tuple[str, str]] = []
        if self.exact_match is not None:
            out.append(("exact_match", "true" if self.exact_match else "false"))
        if self.fields is not None:
            allowed = SEARCH_FIELDS[collection]
            wrong = [f for f in self.fields if f not in allowed]
            if wrong or not self.fields:
                got = list(self.fields)
                raise BadUserInputError(
                    f"fields must be some of {', '.join(allowed)}, got {shown(got)}"
                )
            out.append(("fields", ",".join(dict.fromkeys(self.fields))))
        return tuple(out)


ANY_MATCH = SearchArgs()
