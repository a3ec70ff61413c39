"""The records' generated `__init__` (`slot_init`): the dataclass's parameters, defaults and
frozenness, each value in its own slot."""

from __future__ import annotations

import dataclasses
import inspect
from dataclasses import dataclass, field
from typing import Any

import pytest

from pipedrive_graphql.datasources.pipedrive import records
from pipedrive_graphql.datasources.pipedrive.record_init import slot_init
from pipedrive_graphql.datasources.pipedrive.records import (
    NO_CUSTOM_VALUES,
    ActivityRecord,
    DealRecord,
    OffsetPage,
)

RECORD_CLASSES = [
    value
    for value in vars(records).values()
    if isinstance(value, type) and dataclasses.is_dataclass(value)
]


@pytest.mark.parametrize("cls", RECORD_CLASSES, ids=lambda cls: cls.__name__)
def test_every_record_takes_the_dataclass_parameters_and_sets_every_slot(cls: type) -> None:
    init = vars(cls)["__init__"]
    assert "_set_0" in init.__globals__  # slot_init's, not dataclasses' own
    parameters = inspect.signature(init).parameters
    assert list(parameters) == ["self", *(f.name for f in dataclasses.fields(cls))]
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            assert parameters[f.name].default == f.default
        elif f.default_factory is dataclasses.MISSING:
            assert parameters[f.name].default is inspect.Parameter.empty
    values = [f"value-{index}" for index, _ in enumerate(dataclasses.fields(cls))]
    by_position = cls(*values)
    by_name = cls(**{f.name: v for f, v in zip(dataclasses.fields(cls), values, strict=True)})
    for f, value in zip(dataclasses.fields(cls), values, strict=True):
        assert getattr(by_position, f.name) == value
        assert getattr(by_name, f.name) == value
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(by_position, dataclasses.fields(cls)[0].name, "changed")


def test_defaults_and_factories_fill_what_is_left_out() -> None:
    unset: dict[str, Any] = {
        f.name: None for f in dataclasses.fields(DealRecord) if f.name != "custom_fields"
    }
    deal = DealRecord(**unset)
    assert deal.custom_fields is NO_CUSTOM_VALUES
    assert dataclasses.replace(deal, title="E").title == "E"
    assert dataclasses.replace(deal, title="E").custom_fields is NO_CUSTOM_VALUES
    required: dict[str, Any] = {f.name: None for f in dataclasses.fields(ActivityRecord)[:-2]}
    activity = ActivityRecord(**required)
    assert (activity.is_deleted, activity.participants) == (False, ())
    with pytest.raises(TypeError):
        OffsetPage((), False)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        OffsetPage((), False, None, 1)  # type: ignore[call-arg]


def test_a_class_it_does_not_fit_is_refused() -> None:
    @dataclass(frozen=True)
    class NoSlots:
        id: int

    @dataclass(frozen=True, slots=True)
    class KeywordOnly:
        id: int = field(kw_only=True)

    with pytest.raises(TypeError, match="slotted"):
        slot_init(NoSlots)
    with pytest.raises(TypeError, match="positional"):
        slot_init(KeywordOnly)
