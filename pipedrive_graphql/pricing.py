"""What a GraphQL field costs upstream: the Pipedrive calls it implies and their tokens.

Each field declares its price where it is declared (`schema.fields`); these are the prices
there are, and `price_of` reads one back for the estimator.

Prices mirror the specs' `x-token-cost` and the way the loaders batch: one `ids=` call per 100
parents for a to-one link, reference lists once per request (or a few single GETs), one
filtered call per parent at most for a to-many link, a paged scan for analytics.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from graphql import GraphQLField, GraphQLObjectType, GraphQLSchema
from strawberry.types.field import StrawberryField

from pipedrive_graphql.datasources.pipedrive import costs

STRAWBERRY_DEFINITION = "strawberry-definition"  # where Strawberry keeps a field's definition


class Kind(Enum):
    """How a field reaches Pipedrive."""

    GET = "get"  # one single GET
    LIST = "list"  # a paged list: ceil((start+limit)/500) calls
    SEARCH = "search"  # a search call plus the hits' hydration (an ids= batch or single GETs)
    BY_ID = "by_id"  # to-one link batched with `ids=`: ceil(parents/100) calls
    REFERENCE = "reference"  # reference list fetched once per request
    TO_MANY = "to_many"  # one filtered call per parent at most
    SCAN = "scan"  # analytics: a paged deal scan (at least one page per parent)
    NONE = "none"  # only the reference lists of `Price.needs`
    # the links of a custom field value (`Price.links`): one batched load per linked collection
    # and record level, shared by every value and alias of that level
    VALUE_LINKS = "value_links"


@dataclass(frozen=True, slots=True)
class SharedCall:
    """One upstream call per object that several of its fields read (charged once per object,
    however many of those fields are selected)."""

    name: str
    tokens: int


@dataclass(frozen=True, slots=True)
class Price:
    """The calls a field implies and the tokens of each."""

    kind: Kind
    tokens: int
    default_limit: int = 100
    max_page: int = 500
    reference: str = ""
    needs: tuple[str, ...] = ()  # reference lists the field also reads (charged once)
    lookups: int = 0  # single GETs (V2_GET tokens each) made per parent before the call
    shared: SharedCall | None = None  # a per-object call the field reads before its own
    # (boolean argument, the price when it is true): an argument that changes the endpoint
    when_true: tuple[tuple[str, Price], ...] = ()
    links: tuple[str, ...] = ()  # VALUE_LINKS: the collections ("users", "persons", ...) loaded
    # a list attribute (Kind.NONE): how many children each parent may hold, for the links
    # under it (e.g. an activity's participants, whose persons are read by id)
    list_size: int = 1
    # the tokens of a call made only when an `ids=` batch leaves ids out, once per batch:
    # `/deals?ids=` lists no archived deal, `/deals/archived?ids=` (20) reads the missing ones.
    # The estimate is a bound, so a read that may need it is charged it (single GETs, taken
    # for fewer than 10 ids, return archived deals and need no fallback).
    fallback: int = 0
    # TO_MANY: a level's lists may be read by one paged scan of the collection instead of a
    # call per parent (`planner.plan_scan`); a scan that finds the collection too large gives
    # up after its pages, and the calls per parent follow
    scans: bool = False
    # REFERENCE: the field lists the reference list, or part of it, rather than one record of
    # it: its objects are at most the list's records, all distinct
    whole: bool = False


LIST_V2 = Price(Kind.LIST, costs.V2_LIST)
# the person is read first: an unknown person is NOT_FOUND, not an empty list
LIST_V2_OF_PERSON = Price(Kind.LIST, costs.V2_LIST, lookups=1)
LIST_V1 = Price(Kind.LIST, costs.V1_NOTES_LIST, max_page=500)
SEARCH = Price(Kind.SEARCH, costs.V2_SEARCH, default_limit=100, max_page=100)
# Deals read by id (`deal_by_id`): `/deals?ids=` leaves archived deals out, and the ids it
# left out are read from `/deals/archived?ids=` after it (`Price.fallback`).
ARCHIVED_FALLBACK = costs.V2_ARCHIVED_DEALS
SEARCH_DEALS = Price(
    Kind.SEARCH, costs.V2_SEARCH, default_limit=100, max_page=100, fallback=ARCHIVED_FALLBACK
)
GET_V2 = Price(Kind.GET, costs.V2_GET)
# one deal by id: a single GET, but several in one operation (aliases) are batched with `ids=`
GET_DEAL = Price(Kind.GET, costs.V2_GET, fallback=ARCHIVED_FALLBACK)
GET_NOTE = Price(Kind.GET, costs.V1_NOTE_GET)
GET_MAIL = Price(Kind.GET, costs.V1_MAIL_GET)
BY_ID = Price(Kind.BY_ID, costs.V2_LIST)
DEAL_BY_ID = Price(Kind.BY_ID, costs.V2_LIST, fallback=ARCHIVED_FALLBACK)
TO_MANY_V2 = Price(Kind.TO_MANY, costs.V2_LIST, scans=True)
# v1 notes: a call per parent, or one scan of the account's notes (`Loaders.notes_where`)
TO_MANY_NOTES = Price(Kind.TO_MANY, costs.V1_NOTES_LIST, scans=True)
# v1 mail messages: a call per parent (`/{deals,persons,organizations}/{id}/mailMessages`)
TO_MANY_MAIL = Price(Kind.TO_MANY, costs.V1_MAIL_LIST)
# the API token's own user (`GET /v1/users/me`)
CURRENT_USER = Price(Kind.GET, costs.V1_USER_GET)
# root `deals`: `archived: true` reads `/deals/archived` (20 tokens a page, not 10)
DEALS_LIST = Price(
    Kind.LIST, costs.V2_LIST, when_true=(("archived", Price(Kind.LIST, costs.V2_ARCHIVED_DEALS)),)
)
# a mail message's deal or organization: its thread, one v1 GET per message at most, shared by
# `dealId`, `orgId`, `deal` and `organization` (charged once however many are selected)
MAIL_THREAD_CALL = SharedCall("mailThread", costs.V1_MAIL_THREAD)
MAIL_THREAD = Price(Kind.NONE, 0, shared=MAIL_THREAD_CALL)
# the linked record itself, fetched after the thread names it (one by-id read per message)
MAIL_THREAD_LINK = Price(Kind.NONE, 0, lookups=1, shared=MAIL_THREAD_CALL)
MAIL_THREAD_DEAL = Price(
    Kind.NONE, 0, lookups=1, shared=MAIL_THREAD_CALL, fallback=ARCHIVED_FALLBACK
)
USERS = Price(Kind.REFERENCE, costs.V1_USERS_LIST, reference="users")
STAGES = Price(Kind.REFERENCE, costs.V2_REFERENCE_LIST, reference="stages")
PIPELINES = Price(Kind.REFERENCE, costs.V2_REFERENCE_LIST, reference="pipelines")
USER_LIST = Price(Kind.REFERENCE, costs.V1_USERS_LIST, reference="users", whole=True)
STAGE_LIST = Price(Kind.REFERENCE, costs.V2_REFERENCE_LIST, reference="stages", whole=True)
PIPELINE_LIST = Price(Kind.REFERENCE, costs.V2_REFERENCE_LIST, reference="pipelines", whole=True)
REFERENCE_TOKENS = {
    "users": costs.V1_USERS_LIST,
    "stages": costs.V2_REFERENCE_LIST,
    "pipelines": costs.V2_REFERENCE_LIST,
}
# The planner fetches a few reference records by single GETs while that costs fewer tokens
# than the list (users 2 tokens each, stages and pipelines 1): at most this many GETs.
REFERENCE_GETS = {"users": 9, "stages": 4, "pipelines": 4}
# Custom field definitions: one `GET /api/v2/{entity}Fields` (10 tokens) per entity and request
# at most (none while the process cache holds them); no single-GET alternative.
CUSTOM_FIELD_LISTS = ("dealFields", "personFields", "organizationFields")
REFERENCE_TOKENS.update(dict.fromkeys(CUSTOM_FIELD_LISTS, costs.V2_LIST))
REFERENCE_GETS.update(dict.fromkeys(CUSTOM_FIELD_LISTS, 1))


# A custom field value's links load through the by-id loaders, one batch per collection for all
# the values of one record level (every alias, the accessor and `text` alike): the estimator
# charges each collection once per level. A plain value's text loads nothing, but which values
# are links is known only from the account's definitions, after the estimate: `text` is charged
# the three collections a value may link to.
VALUE_USER = Price(Kind.VALUE_LINKS, 0, links=("users",))
VALUE_PERSON = Price(Kind.VALUE_LINKS, 0, links=("persons",))
VALUE_ORGANIZATION = Price(Kind.VALUE_LINKS, 0, links=("organizations",))
VALUE_TEXT = Price(Kind.VALUE_LINKS, 0, links=("users", "persons", "organizations"))


def custom_field_definitions(entity: str) -> Price:
    """The price of reading an entity's custom fields: its definitions, once per request."""
    return Price(Kind.REFERENCE, costs.V2_LIST, reference=f"{entity}Fields")


_BOARD = ("stages", "pipelines")
SCAN = Price(Kind.SCAN, costs.V2_LIST, needs=_BOARD)
NEEDS_BOARD = Price(Kind.NONE, 0, needs=_BOARD)
CONVERSION = Price(Kind.GET, costs.V1_PIPELINE_STATISTICS, needs=_BOARD)
# writes: one call each; the fields selected under the result are priced as usual
WRITE_V2 = Price(Kind.GET, costs.V2_WRITE)
# with `email` or `phone` the person is read first, to merge the lists
UPDATE_PERSON = Price(Kind.GET, costs.V2_WRITE, lookups=1)
WRITE_NOTE = Price(Kind.GET, costs.V1_NOTE_WRITE)
DELETE_V2 = Price(Kind.GET, costs.V2_DELETE)
DELETE_NOTE = Price(Kind.GET, costs.V1_NOTE_DELETE)
GET_USER = Price(Kind.GET, costs.V1_USER_GET)
# computed from what the parent already holds (or from a scan its parent field paid for)
FREE = Price(Kind.NONE, 0)
# the persons taking part in an activity, read with it; their links are priced for this many
# per activity (a bound, not a Pipedrive limit: a link batch over more costs more)
PARTICIPANTS = Price(Kind.NONE, 0, list_size=10)

PRICE = "price"  # the key of a field's price in its Strawberry metadata


def price_of(field: GraphQLField) -> Price | None:
    """The price declared on a field (`schema.fields`), None for a plain attribute read."""
    definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
    if not isinstance(definition, StrawberryField):
        return None
    price = definition.metadata.get(PRICE) if definition.metadata else None
    return price if isinstance(price, Price) else None


def unpriced_fields(schema: GraphQLSchema) -> list[str]:
    """`Type.field` of every field with a resolver that declares no price (should be none)."""
    missing: list[str] = []
    for type_name, graphql_type in schema.type_map.items():
        if not isinstance(graphql_type, GraphQLObjectType) or type_name.startswith("__"):
            continue
        for field_name, field in graphql_type.fields.items():
            definition = (field.extensions or {}).get(STRAWBERRY_DEFINITION)
            resolver = getattr(definition, "base_resolver", None)
            if resolver is not None and price_of(field) is None:
                missing.append(f"{type_name}.{field_name}")
    return missing
