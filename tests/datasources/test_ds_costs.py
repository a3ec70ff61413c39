"""The client prices every call at the official specs' `x-token-cost`, and refuses to guess."""

from __future__ import annotations

import json
import re

import pytest

from pipedrive_graphql.datasources.pipedrive.costs import UnpricedCallError, Version, token_cost
from pipedrive_graphql.emulator.spec import SPEC_DIR


def _spec_prices() -> list[tuple[Version, str, str, int]]:
    prices: list[tuple[Version, str, str, int]] = []
    versions: tuple[Version, ...] = ("v1", "v2")
    for version in versions:
        document = json.loads((SPEC_DIR / f"{version}.json").read_text(encoding="utf-8"))
        for key, cost in document["token_costs"].items():
            method, template = key.split(" ", 1)
            prices.append((version, method, template, cost["x-token-cost"]))
    return prices


def _concrete(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "7", template)


def test_every_operation_of_both_specs_costs_what_its_spec_says() -> None:
    prices = _spec_prices()
    assert len(prices) > 300  # both whole specs, not only the operations the project calls
    wrong = [
        (version, method, template, cost, token_cost(version, method, _concrete(template)))
        for version, method, template, cost in prices
        if token_cost(version, method, _concrete(template)) != cost
        # a literal path that is also a parameter value of a sibling route resolves to the literal
        and not any(
            (v, m) == (version, method) and _concrete(t) == _concrete(template) and t != template
            for v, m, t, _ in prices
        )
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("version", "method", "path", "tokens"),
    [
        ("v1", "GET", "/dealFields", 20),
        ("v1", "GET", "/deals/summary", 40),
        ("v1", "GET", "/deals/timeline", 20),
        ("v1", "PUT", "/users/3", 10),
        ("v1", "DELETE", "/webhooks/3", 6),
        ("v2", "GET", "/deals/archived", 20),
        ("v2", "GET", "/deals/3", 1),
        ("v2", "GET", "/persons/search", 20),
    ],
)
def test_calls_once_priced_zero_or_by_pattern_have_their_spec_price(
    version: Version, method: str, path: str, tokens: int
) -> None:
    assert token_cost(version, method, path) == tokens


def test_a_call_the_specs_do_not_declare_is_refused_not_priced_zero() -> None:
    with pytest.raises(UnpricedCallError, match="no v2 operation GET /dealz"):
        token_cost("v2", "GET", "/dealz")
    with pytest.raises(UnpricedCallError):
        token_cost("v1", "PATCH", "/notes/3")
