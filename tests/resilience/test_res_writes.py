"""Fault matrix for writes: applied once or not at all, never twice; unknown outcomes say so."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest

from pipedrive_graphql.datasources.pipedrive.client import PipedriveClient
from pipedrive_graphql.datasources.pipedrive.inputs import DealInput, NoteInput, PersonInput
from pipedrive_graphql.datasources.state.stats import CallStats
from pipedrive_graphql.emulator import FaultRule
from pipedrive_graphql.emulator.faults import FaultKind
from pipedrive_graphql.errors import (
    ForbiddenError,
    GatewayError,
    RateLimitedError,
    UpstreamUnavailableError,
)

from .res_support import rig


@dataclass(frozen=True)
class Write:
    """One client write: how to call it, where it goes, what the store records."""

    name: str
    method: str
    path: str
    entity: str
    action: str
    call: Callable[[PipedriveClient], Awaitable[object]]


WRITES = [
    Write("add_person", "POST", "/api/v2/persons", "person", "create",
          lambda c: c.add_person(PersonInput(name="Fault Matrix"))),
    Write("update_person", "PATCH", "/api/v2/persons/12345", "person", "change",
          lambda c: c.update_person(12345, PersonInput(name="Renamed Once"))),
    Write("add_deal", "POST", "/api/v2/deals", "deal", "create",
          lambda c: c.add_deal(DealInput(title="Fault deal"))),
    Write("update_deal", "PATCH", "/api/v2/deals/54321", "deal", "change",
          lambda c: c.update_deal(54321, DealInput(title="Retitled once"))),
    Write("add_note", "POST", "/api/v1/notes", "note", "create",
          lambda c: c.add_note(NoteInput(content="fault note", deal_id=54321))),
    Write("update_note", "PUT", "/api/v1/notes/98765", "note", "change",
          lambda c: c.update_note(98765, NoteInput(content="edited once"))),
]  # fmt: skip
IDS = [w.name for w in WRITES]
# Faults after which the request may have reached Pipedrive: no retry, outcome unknown.
MAYBE_SENT: list[FaultKind] = [
    "http_500",
    "http_502",
    "http_503",
    "hang",
    "reset",
    "malformed_json",
]


@pytest.mark.parametrize("write", WRITES, ids=IDS)
async def test_burst_429_is_retried_and_applied_once(write: Write) -> None:
    async with rig() as r:
        r.emu.faults.add(FaultRule(write.path, "burst_429", method=write.method, times=1))
        stats = CallStats()
        await write.call(r.client(stats))
        assert r.applied(write.entity, write.action) == 1
        assert r.sent(write.method, write.path) == 2
        assert stats.retries == 1


@pytest.mark.parametrize("write", WRITES, ids=IDS)
async def test_daily_429_fails_fast_and_applies_nothing(write: Write) -> None:
    async with rig() as r:
        r.emu.faults.add(FaultRule(write.path, "daily_429", method=write.method, times=1))
        with pytest.raises(RateLimitedError) as info:
            await write.call(r.client())
        assert r.applied(write.entity, write.action) == 0
        assert r.sent(write.method, write.path) == 1
        retry_after = info.value.extensions["retryAfter"]
        assert isinstance(retry_after, int)
        assert retry_after > 60


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
        assert "may or may not have been applied" in info.value.message
        assert r.applied(write.entity, write.action) == (1 if after_apply else 0)
        assert r.sent(write.method, write.path) == 1
        assert stats.retries == 0


@pytest.mark.parametrize("after_apply", [False, True], ids=["before", "after"])
@pytest.mark.parametrize("write", WRITES, ids=IDS)
async def test_html_403_is_forbidden_and_not_retried(write: Write, after_apply: bool) -> None:
    async with rig() as r:
        rule = FaultRule(
            write.path, "html_403", method=write.method, times=1, after_apply=after_apply
        )
        r.emu.faults.add(rule)
        with pytest.raises(ForbiddenError):
            await write.call(r.client())
        assert r.applied(write.entity, write.action) == (1 if after_apply else 0)
        assert r.sent(write.method, write.path) == 1


@pytest.mark.parametrize("write", WRITES, ids=IDS)
async def test_write_with_no_fault_is_applied_once(write: Write) -> None:
    async with rig() as r:
        await write.call(r.client())
        assert r.applied(write.entity, write.action) == 1
        assert r.sent(write.method, write.path) == 1


async def test_errors_are_gateway_errors_without_the_credential() -> None:
    async with rig() as r:
        r.emu.faults.add(FaultRule("/api/v2/persons", "http_500", method="POST", times=1))
        with pytest.raises(GatewayError) as info:
            await WRITES[0].call(r.client())
        assert "res-test-token" not in str(info.value) + str(info.value.extensions)
