"""The six benchmark scenarios: query, dataset, dependent levels and the upstream plans."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.accounting import (
    REF_GET,
    REF_LIST,
    USER_GET,
    USERS_LIST,
    V1_LIST,
    V2_GET,
    V2_LIST,
    V2_SEARCH,
    Call,
    Group,
    Link,
)


@dataclass(frozen=True)
class Scenario:
    """A GraphQL operation with the plans it is compared against."""

    key: str
    title: str
    dataset: str
    query: str
    levels: int  # dependent upstream levels (reference data fetched alongside)
    variables: dict[str, object] = field(default_factory=dict)
    calls: Sequence[Call] = ()
    links: Sequence[Link] = ()
    groups: Sequence[Group] = ()
    # Least seconds between one client's requests in the 50 ms latency runs. Pipedrive allows
    # 10 searches per 2 s per company and the server's governor waits for that cap: a client
    # sending searches back to back measures the cap, not the query (p95 1.4 s at p50 168 ms).
    latency_pace: float = 0.0

    @property
    def payload(self) -> dict[str, object]:
        """The JSON body of the GraphQL request."""
        return {"query": self.query, "variables": self.variables}


DASHBOARD_QUERY = """query Dashboard {
  deals(limit: 100) {
    results {
      id title value currency status
      person { id name organization { id name } }
      organization { id name }
      stage { id name pipeline { id name } }
      owner { id name }
    }
    hasMore nextStart
  }
}"""

DASHBOARD = Scenario(
    key="dashboard",
    title=(
        "1. Dashboard: 100 deals with person → organization, organization, stage → pipeline, owner"
    ),
    dataset="target",
    query=DASHBOARD_QUERY,
    levels=3,
    calls=[Call("deals list", V2_LIST)],
    links=[
        Link("deals.results.person", V2_GET),
        Link("deals.results.person.organization", V2_GET),
        Link("deals.results.organization", V2_GET),
        Link("deals.results.stage", REF_GET),
        Link("deals.results.stage.pipeline", REF_GET),
        Link("deals.results.owner", USER_GET),
    ],
    groups=[
        Group("persons", ("deals.results.person",), V2_LIST, V2_GET),
        Group(
            "organizations",
            ("deals.results.organization", "deals.results.person.organization"),
            V2_LIST,
            V2_GET,
        ),
        Group("stages", ("deals.results.stage",), REF_LIST, REF_GET, "reference"),
        Group("pipelines", ("deals.results.stage.pipeline",), REF_LIST, REF_GET, "reference"),
        Group("users", ("deals.results.owner",), USERS_LIST, USER_GET, "reference"),
    ],
)

PERSON_360 = Scenario(
    key="person360",
    title="2. Person 360°: one person with deals, activities, notes, organization, mail messages",
    dataset="demo",
    query="""query Person360($id: Int!) {
  person(personId: $id) {
    id name email phone
    organization { id name }
    owner { id name }
    deals(limit: 50) { results { id title value status stage { id name } } hasMore }
    activities(limit: 50) { results { id subject type done dueDate } hasMore }
    notes(limit: 50) { results { id content addTime } hasMore }
    mailMessages(limit: 50) { results { id subject messageTime } hasMore }
  }
}""",
    variables={"id": 33},
    levels=3,  # person → its deals → their stages
    calls=[
        Call("person get", V2_GET),
        Call("deals of person", V2_LIST),
        Call("activities of person", V2_LIST),
        Call("notes of person", V1_LIST),
        Call("mail messages of person", V1_LIST),
    ],
    links=[
        Link("person.organization", V2_GET),
        Link("person.owner", USER_GET),
        Link("person.deals.results.stage", REF_GET),
    ],
    groups=[
        Group("organization", ("person.organization",), V2_GET, V2_GET),
        Group("owner", ("person.owner",), USERS_LIST, USER_GET, "reference"),
        Group("stages", ("person.deals.results.stage",), REF_LIST, REF_GET, "reference"),
    ],
)

BOARD = Scenario(
    key="board",
    title="3. Pipeline board: pipelines → stages → deals → person and organization",
    dataset="demo",
    query="""query Board {
  pipelines {
    results {
      id name
      stages {
        id name
        deals(limit: 50) {
          results { id title value person { id name } organization { id name } }
          hasMore
        }
      }
    }
  }
}""",
    levels=4,
    calls=[Call("pipelines list", REF_LIST)],
    links=[
        Link("pipelines.results", REF_LIST),  # naive: the stages of each pipeline
        Link("pipelines.results.stages", V2_LIST),  # naive: the deals of each stage
        Link("pipelines.results.stages.deals.results.person", V2_GET),
        Link("pipelines.results.stages.deals.results.organization", V2_GET),
    ],
    groups=[
        Group("stages", ("pipelines.results.stages",), REF_LIST, REF_LIST, "scan"),
        Group("deals", ("pipelines.results.stages.deals.results",), V2_LIST, V2_LIST, "scan"),
        Group("persons", ("pipelines.results.stages.deals.results.person",), V2_LIST, V2_GET),
        Group(
            "organizations",
            ("pipelines.results.stages.deals.results.organization",),
            V2_LIST,
            V2_GET,
        ),
    ],
)

SEARCH = Scenario(
    key="search",
    title="4. Search: searchPersons and searchDeals, hydrated with their links",
    dataset="demo",
    query="""query Search($person: String!, $deal: String!) {
  searchPersons(term: $person, limit: 20) {
    results { id name email phone organization { id name } owner { id name } }
  }
  searchDeals(term: $deal, limit: 20) {
    results { id title value status person { id name } organization { id name } stage { id name } }
  }
}""",
    variables={"person": "Novak", "deal": "Consulting"},
    levels=3,
    latency_pace=0.5,  # 2 searches a query: 8 per 2 s, under Pipedrive's 10
    calls=[Call("person search", V2_SEARCH), Call("deal search", V2_SEARCH)],
    links=[
        Link("searchPersons.results", V2_GET),  # hydrate each hit
        Link("searchDeals.results", V2_GET),
        Link("searchPersons.results.organization", V2_GET),
        Link("searchPersons.results.owner", USER_GET),
        Link("searchDeals.results.person", V2_GET),
        Link("searchDeals.results.organization", V2_GET),
        Link("searchDeals.results.stage", REF_GET),
    ],
    groups=[
        Group("persons (hits)", ("searchPersons.results",), V2_LIST, V2_GET),
        Group("deals (hits)", ("searchDeals.results",), V2_LIST, V2_GET),
        Group("persons of deals", ("searchDeals.results.person",), V2_LIST, V2_GET),
        Group(
            "organizations",
            ("searchPersons.results.organization", "searchDeals.results.organization"),
            V2_LIST,
            V2_GET,
        ),
        Group("users", ("searchPersons.results.owner",), USERS_LIST, USER_GET, "reference"),
        Group("stages", ("searchDeals.results.stage",), REF_LIST, REF_GET, "reference"),
    ],
)

TRIVIAL = Scenario(
    key="trivial",
    title="5. Trivial query `{ __typename }`: the framework's fixed cost",
    dataset="demo",
    query="{ __typename }",
    levels=0,
)

PERSONS_OVERVIEW = Scenario(
    key="persons_overview",
    title="6. Persons overview: 50 persons with their deals, activities and organization",
    dataset="target",
    query="""query PersonsOverview {
  persons(limit: 50) {
    results {
      id name email
      organization { id name }
      deals(limit: 10) { results { id title value status } hasMore }
      activities(limit: 10) { results { id subject type done dueDate } hasMore }
    }
    hasMore
  }
}""",
    levels=2,  # persons, then their organizations, deals and activities together
    calls=[Call("persons list", V2_LIST)],
    links=[
        Link("persons.results.organization", V2_GET),
        Link("persons.results", V2_LIST),  # naive: the deals of each person
        Link("persons.results", V2_LIST),  # naive: the activities of each person
    ],
    groups=[
        Group("organizations", ("persons.results.organization",), V2_LIST, V2_GET),
        Group("deals", ("persons.results.deals.results",), V2_LIST, V2_LIST, "scan"),
        Group("activities", ("persons.results.activities.results",), V2_LIST, V2_LIST, "scan"),
    ],
)

SCENARIOS: tuple[Scenario, ...] = (DASHBOARD, PERSON_360, BOARD, SEARCH, TRIVIAL, PERSONS_OVERVIEW)
