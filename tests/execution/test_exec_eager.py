"""Coroutines started together without a task each: outcomes as a task would give them."""

from __future__ import annotations

import asyncio
import contextvars

import pytest
from aiodataloader import DataLoader

from pipedrive_graphql.execution.eager import Started

NAME: contextvars.ContextVar[str] = contextvars.ContextVar("name", default="outer")


async def _double_all(keys: list[int]) -> list[int]:
    return [2 * key for key in keys]


async def test_coroutines_run_to_their_first_wait_at_once_and_share_one_batch() -> None:
    batches: list[list[int]] = []

    async def batch(keys: list[int]) -> list[int]:
        batches.append(keys)
        return await _double_all(keys)

    loader: DataLoader[int, int] = DataLoader(batch)
    ran: list[int] = []

    async def one(key: int) -> int:
        ran.append(key)
        return await loader.load(key) + 1

    group = Started()
    outcomes = [group.start(one(key)) for key in (1, 2, 3)]
    assert ran == [1, 2, 3]  # already at their first wait, before this coroutine yields
    assert not any(outcome.done() for outcome in outcomes)
    await group.seal()
    assert [outcome.result() for outcome in outcomes] == [3, 5, 7]
    assert batches == [[1, 2, 3]]


async def test_errors_cancellations_and_bare_yields_end_as_in_a_task() -> None:
    async def fails() -> int:
        await asyncio.sleep(0)
        raise ValueError("upstream said no")

    async def cancelled() -> int:
        never: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        never.cancel()
        return await never

    async def two_turns() -> str:
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        return "done"

    group = Started()
    failing, cancelling, turning = (group.start(c) for c in (fails(), cancelled(), two_turns()))
    await group.seal()
    with pytest.raises(ValueError, match="upstream said no"):
        failing.result()
    assert cancelling.cancelled()
    assert turning.result() == "done"


async def test_each_coroutine_runs_in_its_own_context_copy() -> None:
    async def renames(name: str) -> str:
        NAME.set(name)
        await asyncio.sleep(0)
        return NAME.get()

    group = Started()
    first, second = group.start(renames("first")), group.start(renames("second"))
    await group.seal()
    assert (first.result(), second.result(), NAME.get()) == ("first", "second", "outer")


async def test_an_empty_group_is_finished_once_sealed_and_other_awaitables_run_as_tasks() -> None:
    assert Started().seal().done()
    group = Started()
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    taken = group.start(future)
    sealed = group.seal()
    assert not sealed.done()
    future.set_result(7)
    await sealed
    assert taken.result() == 7
