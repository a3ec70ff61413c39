"""What each GraphQL field costs upstream: the Pipedrive calls it implies and their tokens.

Prices mirror the specs' `x-token-cost` and the way the loaders batch: one `ids=` call per 100
parents for a to-one link, reference lists once per request (or a few single GETs), one
filtered call per parent at most for a to-many link, a paged scan for analytics.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from pipedrive_graphql.datasources import costs


class Kind(Enum):
    """How a field reaches Pipedrive."""

    GET = "get"  # one single GET
    LIST = "list"  # a paged list: ceil((start+limit)/500) calls
    SEARCH = "search"  # a search call plus one hydration batch
    BY_ID = "by_id"  # to-one link batched with `ids=`: ceil(parents/100) calls
    REFERENCE = "reference"  # reference list fetched once per request
    TO_MANY = "to_many"  # one filtered call per parent at most
    SCAN = "scan"  # analytics: a paged deal scan (at least one page per parent)
    NONE = "none"  # only the reference lists of `Price.needs`


@dataclass(frozen=True, slots=True)
class Price:
    """The calls a field implies and the tokens of each."""

    kind: Kind
    tokens: int
    default_limit: int = 100
    max_page: int = 500
    reference: str = ""
    needs: tuple[str, ...] = ()  # reference lists the field also reads (charged once)


_V2_LIST = Price(Kind.LIST, costs.V2_LIST)
_V1_LIST = Price(Kind.LIST, costs.V1_NOTES_LIST, max_page=500)
_SEARCH = Price(Kind.SEARCH, costs.V2_SEARCH, default_limit=100, max_page=100)
_BY_ID = Price(Kind.BY_ID, costs.V2_LIST)
_TO_MANY_V2 = Price(Kind.TO_MANY, costs.V2_LIST)
_TO_MANY_V1 = Price(Kind.TO_MANY, costs.V1_NOTES_LIST)
_USERS = Price(Kind.REFERENCE, costs.V1_USERS_LIST, reference="users")
_STAGES = Price(Kind.REFERENCE, costs.V2_REFERENCE_LIST, reference="stages")
_PIPELINES = Price(Kind.REFERENCE, costs.V2_REFERENCE_LIST, reference="pipelines")
REFERENCE_TOKENS = {
    "users": costs.V1_USERS_LIST,
    "stages": costs.V2_REFERENCE_LIST,
    "pipelines": costs.V2_REFERENCE_LIST,
}
# The planner fetches a few reference records by single GETs while that costs fewer tokens
# than the list (users 2 tokens each, stages and pipelines 1): at most this many GETs.
REFERENCE_GETS = {"users": 9, "stages": 4, "pipelines": 4}
_BOARD = ("stages", "pipelines")
_SCAN = Price(Kind.SCAN, costs.V2_LIST, needs=_BOARD)
_NEEDS_BOARD = Price(Kind.NONE, 0, needs=_BOARD)

PRICES: Mapping[tuple[str, str], Price] = {
    ("Query", "searchPersons"): _SEARCH,
    ("Query", "person"): Price(Kind.GET, costs.V2_GET),
    ("Query", "persons"): _V2_LIST,
    ("Query", "personActivities"): _V2_LIST,
    ("Query", "searchDeals"): _SEARCH,
    ("Query", "deal"): Price(Kind.GET, costs.V2_GET),
    ("Query", "deals"): _V2_LIST,
    ("Query", "notes"): _V1_LIST,
    ("Query", "note"): Price(Kind.GET, costs.V1_NOTE_GET),
    ("Query", "pipelines"): _PIPELINES,
    ("Query", "stages"): _STAGES,
    ("Query", "mailMessage"): Price(Kind.GET, costs.V1_MAIL_GET),
    ("Query", "organization"): Price(Kind.GET, costs.V2_GET),
    ("Person", "organization"): _BY_ID,
    ("Person", "owner"): _USERS,
    ("Person", "deals"): _TO_MANY_V2,
    ("Person", "activities"): _TO_MANY_V2,
    ("Person", "notes"): _TO_MANY_V1,
    ("Person", "mailMessages"): _TO_MANY_V1,
    ("Deal", "person"): _BY_ID,
    ("Deal", "organization"): _BY_ID,
    ("Deal", "stage"): _STAGES,
    ("Deal", "pipeline"): _PIPELINES,
    ("Deal", "owner"): _USERS,
    ("Deal", "notes"): _TO_MANY_V1,
    ("Deal", "activities"): _TO_MANY_V2,
    ("Deal", "mailMessages"): _TO_MANY_V1,
    ("Note", "deal"): _BY_ID,
    ("Note", "person"): _BY_ID,
    ("Note", "organization"): _BY_ID,
    ("Note", "user"): _USERS,
    ("Activity", "deal"): _BY_ID,
    ("Activity", "person"): _BY_ID,
    ("Activity", "organization"): _BY_ID,
    ("Activity", "owner"): _USERS,
    ("Pipeline", "stages"): _STAGES,
    ("Pipeline", "deals"): _TO_MANY_V2,
    ("Stage", "pipeline"): _PIPELINES,
    ("Stage", "deals"): _TO_MANY_V2,
    ("MailMessage", "deal"): _BY_ID,
    ("MailMessage", "person"): _BY_ID,
    ("MailMessage", "organization"): _BY_ID,
    ("Organization", "owner"): _USERS,
    ("Organization", "persons"): _TO_MANY_V2,
    ("Organization", "deals"): _TO_MANY_V2,
    ("Organization", "activities"): _TO_MANY_V2,
    ("Organization", "notes"): _TO_MANY_V1,
    ("Query", "pipelineSummary"): _SCAN,
    ("Query", "pipelineForecast"): _SCAN,
    ("Query", "rottenDeals"): _SCAN,
    ("Query", "pipelineConversion"): Price(Kind.GET, costs.V1_PIPELINE_STATISTICS, needs=_BOARD),
    # writes: one call each; the fields selected under the result are priced as usual
    ("Mutation", "addPerson"): Price(Kind.GET, costs.V2_WRITE),
    ("Mutation", "updatePerson"): Price(Kind.GET, costs.V2_WRITE),
    ("Mutation", "createDeal"): Price(Kind.GET, costs.V2_WRITE),
    ("Mutation", "updateDeal"): Price(Kind.GET, costs.V2_WRITE),
    ("Mutation", "createNote"): Price(Kind.GET, costs.V1_NOTE_WRITE),
    ("Mutation", "updateNote"): Price(Kind.GET, costs.V1_NOTE_WRITE),
    ("Pipeline", "summary"): _SCAN,
    ("Stage", "summary"): _SCAN,
    ("Deal", "probability"): _NEEDS_BOARD,
    ("Deal", "weightedValue"): _NEEDS_BOARD,
    ("Deal", "isRotten"): _NEEDS_BOARD,
    ("Deal", "rottenSince"): _NEEDS_BOARD,
}
