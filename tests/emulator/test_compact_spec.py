"""The committed compact spec is exactly what the script derives from the official files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.compact_specs import COSTS_TARGET, DEFAULT_SOURCE, DEFAULT_TARGET, write_compact


@pytest.mark.skipif(
    not (DEFAULT_SOURCE / "v2.yaml").exists(),
    reason="the official specs (../shared/pipedrive-openapi) are not on this machine",
)
def test_regenerating_gives_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    written = write_compact(DEFAULT_SOURCE, tmp_path, tmp_path / COSTS_TARGET.name)
    assert [p.name for p in written] == ["v1.json", "v2.json", "token_costs.json"]
    for path in written[:2]:
        assert path.read_bytes() == (DEFAULT_TARGET / path.name).read_bytes(), path.name
    assert written[2].read_bytes() == COSTS_TARGET.read_bytes()


def test_committed_files_keep_costs_for_every_operation_and_no_descriptions() -> None:
    v2 = json.loads((DEFAULT_TARGET / "v2.json").read_text())
    assert v2["token_costs"]["GET /persons"] == {"operationId": "getPersons", "x-token-cost": 10}
    assert v2["token_costs"]["GET /products"]["x-token-cost"] == 10  # kept although unused
    assert "/products" not in v2["operations"]
    text = (DEFAULT_TARGET / "v1.json").read_text() + (DEFAULT_TARGET / "v2.json").read_text()
    assert '"description": "' not in text
    assert '"$ref"' not in text
