"""The new writes under the fault matrix: applied once or not at all, never twice."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from pipedrive_graphql.datasources.pipedrive.client import PipedriveClient
from pipedrive_graphql.datasources.pipedrive.inputs import ActivityInput, OrganizationInput
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.emulator import FaultRule
from pipedrive_graphql.emulator.faults import FaultKind
from pipedrive_graphql.errors import NotFoundError, UpstreamUnavailableError
from tests.resilience.res_support import rig

ACTIVITY = 1  # the demo dataset's first activity (person 56, deal 55)


@dataclass(frozen=True)
class Write:
    """One client write, where it goes and the store event it must cause exactly once."""

    name: str
    method: str
    path: str
    entity: str
    action: str
    call: Callable[[PipedriveClient], Awaitable[object]]


WRITES = [
    Write("add_organization", "POST", "/api/v2/organizations", "organization", "create",
          lambda c: c.add_organization(OrganizationInput(name="Fault Org", address="1 Main St"))),
    Write("update_organization", "PATCH", "/api/v2/organizations/67890", "organization",
          "change", lambda c: c.update_organization(67890, OrganizationInput(name="Once Org"))),
    Write("add_activity", "POST", "/api/v2/activities", "activity", "create",
          lambda c: c.add_activity(ActivityInput(subject="Fault call", participants=(12345,)))),
    Write("update_activity", "PATCH", f"/api/v2/activities/{ACTIVITY}", "activity", "change",
          lambda c: c.update_activity(ACTIVITY, ActivityInput(subject="Renamed once"))),
    Write("mark_activity_done", "PATCH", f"/api/v2/activities/{ACTIVITY}", "activity", "change",
          lambda c: c.update_activity(ACTIVITY, ActivityInput(done=True))),
    Write("delete_person", "DELETE", "/api/v2/persons/12345", "person", "delete",
          lambda c: c.delete_person(12345)),
    Write("delete_deal", "DELETE", "/api/v2/deals/54321", "deal", "delete",
          lambda c: c.delete_deal(54321)),
    Write("delete_organization", "DELETE", "/api/v2/organizations/67890", "organization",
          "delete", lambda c: c.delete_organization(67890)),
    Write("delete_activity", "DELETE", f"/api/v2/activities/{ACTIVITY}", "activity", "delete",
          lambda c: c.delete_activity(ACTIVITY)),
    Write("delete_note", "DELETE", "/api/v1/notes/98765", "note", "delete",
          lambda c: c.delete_note(98765)),
]  # fmt: skip
IDS = [w.name for w in WRITES]
MAYBE_SENT: list[FaultKind] = ["http_500", "http_502", "http_503", "reset", "malformed_json"]


@pytest.mark.parametrize("write", WRITES, ids=IDS)
async def test_write_with_no_fault_is_applied_once(write: Write) -> None:
    async with rig() as r:
        await write.call(r.client())
        assert r.applied(write.entity, write.action) == 1
        assert r.sent(write.method, write.path) == 1


@pytest.mark.parametrize("write", WRITES, ids=IDS)
async def test_burst_429_before_applying_is_retried_and_applied_once(write: Write) -> None:
    async with rig() as r:
        r.emu.faults.add(FaultRule(write.path, "burst_429", method=write.method, times=1))
        stats = CallStats()
        await write.call(r.client(stats))
        assert r.applied(write.entity, write.action) == 1
        assert r.sent(write.method, write.path) == 2
        assert stats.retries == 1


@pytest.mark.parametrize("after_apply", [False, True], ids=["before", "after"])
@pytest.mark.parametrize("kind", MAYBE_SENT)
@pytest.mark.parametrize("write", WRITES, ids=IDS)
async def test_maybe_sent_fault_is_not_retried_and_says_outcome_unknown(
    write: Write, kind: FaultKind, after_apply: bool
) -> None:
    async with rig() as r:
        rule = FaultRule(write.path, kind, method=write.method, times=1, after_apply=after_apply)
        r.emu.faults.add(rule)
        stats = CallStats()
        with pytest.raises(UpstreamUnavailableError) as info:
            await write.call(r.client(stats))
        assert info.value.extensions == {"writeOutcome": "unknown"}
        assert r.applied(write.entity, write.action) == (1 if after_apply else 0)
        assert r.sent(write.method, write.path) == 1
        assert stats.retries == 0


@dataclass(frozen=True)
class Gone:
    """A delete of an id that does not exist (or no longer does)."""

    name: str
    call: Callable[[PipedriveClient], Awaitable[object]]


UNKNOWN = [
    Gone("person", lambda c: c.delete_person(999999)),
    Gone("deal", lambda c: c.delete_deal(999999)),
    Gone("organization", lambda c: c.delete_organization(999999)),
    Gone("activity", lambda c: c.delete_activity(999999)),
    Gone("note", lambda c: c.delete_note(999999)),
]


@pytest.mark.parametrize("gone", UNKNOWN, ids=[g.name for g in UNKNOWN])
async def test_delete_of_an_unknown_id_is_not_found_and_changes_nothing(gone: Gone) -> None:
    async with rig() as r:
        with pytest.raises(NotFoundError):
            await gone.call(r.client())
        assert r.writes == []


async def test_second_delete_of_the_same_deal_is_not_found() -> None:
    async with rig() as r:
        assert await r.client().delete_deal(54321) == 54321
        with pytest.raises(NotFoundError):
            await r.client().delete_deal(54321)
        assert r.applied("deal", "delete") == 1
        deal: dict[str, Any] | None = r.emu.store.get("deals", 54321)
        assert deal is not None
        assert deal["is_deleted"] is True
