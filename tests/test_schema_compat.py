"""The CI schema-contract check fails on breaking edits and passes on additive ones."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from scripts.check_schema_compat import allowed_changes, compare, main

OLD = """
type Query { person(personId: Int!): Person }
type Person { id: Int! name: String! email: String }
"""


def test_removing_a_field_is_breaking() -> None:
    new = OLD.replace(" email: String", "")
    breaking, _ = compare(OLD, new)
    assert [c.type.name for c in breaking] == ["FIELD_REMOVED"]
    assert "Person.email" in breaking[0].description


def test_adding_a_nullable_field_is_not_breaking() -> None:
    new = OLD.replace(" email: String", " email: String phone: String")
    breaking, dangerous = compare(OLD, new)
    assert breaking == []
    assert dangerous == []


def test_making_an_argument_required_is_breaking() -> None:
    old = "type Query { persons(start: Int, limit: Int): [Int] }"
    new = "type Query { persons(start: Int, limit: Int!): [Int] }"
    breaking, _ = compare(old, new)
    assert [c.type.name for c in breaking] == ["ARG_CHANGED_KIND"]


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


def test_check_fails_on_a_deliberately_breaking_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _git(tmp_path, "init", "-q")
    schema = tmp_path / "schema.graphql"
    schema.write_text(OLD)
    _git(tmp_path, "add", "schema.graphql")
    _git(tmp_path, "commit", "-qm", "v1")
    schema.write_text(OLD.replace("Int!)", "String!)"))
    _git(tmp_path, "commit", "-qam", "break personId")
    monkeypatch.chdir(tmp_path)
    assert main(["--base", "HEAD~1"]) == 1
    assert "ARG_CHANGED_KIND" in capsys.readouterr().out
    schema.write_text(OLD.replace("Int!)", "String!)") + "\ntype Extra { id: Int }\n")
    assert main(["--base", "HEAD"]) == 0


def test_a_shallow_clone_without_the_base_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    _git(origin, "init", "-q")
    schema = origin / "schema.graphql"
    schema.write_text(OLD)
    _git(origin, "add", "schema.graphql")
    _git(origin, "commit", "-qm", "v1")
    schema.write_text(OLD.replace("Int!)", "String!)"))
    _git(origin, "commit", "-qam", "break personId")
    _git(tmp_path, "clone", "-q", "--depth", "1", origin.as_uri(), "shallow")
    monkeypatch.chdir(tmp_path / "shallow")
    assert main(["--base", "HEAD~1"]) == 2  # not 0: the breaking change must not slip by
    assert "shallow clone" in capsys.readouterr().out
    monkeypatch.chdir(origin)
    assert main(["--base", "HEAD~1"]) == 1  # the full history catches it


def test_the_first_commit_of_a_full_clone_has_nothing_to_break(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _git(tmp_path, "init", "-q")
    (tmp_path / "schema.graphql").write_text(OLD)
    _git(tmp_path, "add", "schema.graphql")
    _git(tmp_path, "commit", "-qm", "v1")
    monkeypatch.chdir(tmp_path)
    assert main(["--base", "HEAD~1"]) == 0
    assert main(["--base", "no-such-branch"]) == 2


def test_only_listed_breaking_changes_are_allowed(tmp_path: Path) -> None:
    allowed_file = tmp_path / "allowed.txt"
    allowed_file.write_text(
        "# why\nField Mutation.addPerson changed type from P! to P.\n", encoding="utf-8"
    )
    allowed = allowed_changes(allowed_file)
    old = "type Query { a: Int } type P { id: Int } type Mutation { addPerson: P! x: Int! }"
    new = old.replace("P!", "P").replace("x: Int!", "x: Int")
    breaking, _ = compare(old, new)
    assert sorted(b.description in allowed for b in breaking) == [False, True]
    assert allowed_changes(tmp_path / "missing.txt") == frozenset()
