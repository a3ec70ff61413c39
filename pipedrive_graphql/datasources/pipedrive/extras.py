"""What a request asks Pipedrive for beyond an entity's default fields (`include_*` params)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# The v2 collections whose reads take `include_fields` (by id, list, single GET).
INCLUDE_FIELDS_COLLECTIONS = ("persons", "deals", "organizations", "activities")


@dataclass(frozen=True, slots=True)
class UpstreamExtras:
    """Fields a request's selection needs that Pipedrive sends only when asked.

    `include_fields` maps a v2 collection (`organizations`, …) to the names its `include_fields`
    parameter must carry (e.g. `smart_bcc_email`); `mail_body` sends `include_body=1` on mail
    lists. Neither changes a call's token cost (the spec's `x-token-cost` is per operation).
    """

    include_fields: Mapping[str, frozenset[str]] = field(default_factory=dict)
    mail_body: bool = False

    def fields_of(self, collection: str) -> tuple[str, ...]:
        """The `include_fields` names for `collection`, sorted (empty when none)."""
        return tuple(sorted(self.include_fields.get(collection, ())))


NO_EXTRAS = UpstreamExtras()


@dataclass(frozen=True, slots=True)
class IncludeField:
    """A field needs `name` in the `include_fields` of every read of `collection`."""

    collection: str
    name: str


@dataclass(frozen=True, slots=True)
class MailBody:
    """A field needs mail lists read with `include_body=1`."""


UpstreamNeed = IncludeField | MailBody
UPSTREAM_NEED = "upstream_need"  # the key of a field's need in its Strawberry metadata


def extras_of(needs: Iterable[UpstreamNeed]) -> UpstreamExtras:
    """The extras that satisfy `needs` (empty needs: `NO_EXTRAS`)."""
    include: dict[str, set[str]] = {}
    mail_body = False
    for need in needs:
        if isinstance(need, MailBody):
            mail_body = True
        else:
            include.setdefault(need.collection, set()).add(need.name)
    if not include and not mail_body:
        return NO_EXTRAS
    frozen = {collection: frozenset(names) for collection, names in include.items()}
    return UpstreamExtras(frozen, mail_body)
