"""The README's query/response examples are what the server answers (`make readme` writes them)."""

from __future__ import annotations

import pytest

from scripts.readme_examples import README, ExampleError, main, regions, render

STALE = '"pipedriveTokens": 27'  # the first example's cost, as the server reports it


def test_every_readme_example_is_the_servers_real_answer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    readme = README.read_text()
    assert (
        regions(readme) >= 4
    )  # the first query, the analytics dashboard, the person card, the board
    code = main(["--check"])
    assert code == 0, capsys.readouterr().out  # the diff, then: run `make readme`


def test_a_changed_figure_is_found_and_rewritten() -> None:
    readme = README.read_text()
    assert STALE in readme
    edited = readme.replace(STALE, '"pipedriveTokens": 26', 1)
    assert render(edited) == readme


def test_an_example_without_a_response_block_is_refused() -> None:
    broken = (
        "<!-- example {} -->\n```graphql\n{ pipelines { results { id } } }\n```\n<!-- /example -->"
    )
    with pytest.raises(ExampleError, match="a ```json block"):
        render(broken)
