"""The README says what kb does: its CLI reference is the current `--help` (cog), every command its
tables and examples name exists, and its tree of kb/ names every package and module."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from kb.cli.reference import tree
from kb.store import Store

README = Path(__file__).parent.parent / "README.md"


def test_the_readme_cli_reference_is_generated_from_the_current_help() -> None:
    from cogapp import Cog

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = Cog().main(["cog", "--check", str(README)])
    assert status == 0, f"README.md is stale: run `cog -r README.md`\n{out.getvalue()}"


def test_every_command_the_readme_names_exists() -> None:
    commands = {" ".join(words) for words, _ in tree()}
    text = README.read_text(encoding="utf-8")
    named = set(re.findall(r"`kb ((?:names |synonyms )?[a-z]+)\b", text))
    assert named, "the README names commands"
    assert named - {"COMMAND"} <= commands, named - commands


def test_version_has_one_source() -> None:
    """pyproject reads the version from kb/__init__.py (dynamic); no second copy to drift."""
    import tomllib

    project = tomllib.loads((README.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]


def _readme_tree() -> dict[str, set[str]]:
    """The README's tree of kb/ ("How it works"): each top-level name (``x.py`` or ``x/``) with, for
    a package, the modules its line names in its closing parentheses."""
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- kb tree -->", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    tree: dict[str, set[str]] = {}
    for line in block.splitlines()[1:]:  # the first line is kb/ itself
        m = re.match(r"^[├└]── (\S+)\s+(.*)$", line)
        assert m, f"not a line of the tree: {line!r}"
        name, what = m.groups()
        listed = re.search(r"\(([^()]*)\)$", what) if name.endswith("/") else None
        tree[name] = {w.strip() for w in listed.group(1).split(",")} if listed else set()
    return tree


def test_the_readme_tree_names_every_package_and_module_of_kb() -> None:
    """The README's layout cannot drift from the tree: every module at the top of kb/ and every
    package has a line, every module of a package is named on its line, and nothing else is."""
    kb = README.parent / "kb"
    actual: dict[str, set[str]] = {}
    for path in sorted(kb.iterdir()):
        if path.suffix == ".py":
            actual[path.name] = set()
        elif (path / "__init__.py").exists():
            actual[path.name + "/"] = {p.stem for p in path.glob("*.py") if p.name != "__init__.py"}
    assert not list(kb.glob("*/*/__init__.py")), "a package inside a package: extend the tree"
    readme = _readme_tree()
    differ: dict[str, object] = dict.fromkeys(actual.keys() - readme.keys(), "no line in the README")
    differ.update(dict.fromkeys(readme.keys() - actual.keys(), "not in kb/"))
    for name in readme.keys() & actual.keys():
        if readme[name] != actual[name]:
            differ[name] = {"in kb/ only": sorted(actual[name] - readme[name]),
                            "in the README only": sorted(readme[name] - actual[name])}  # fmt: skip
    assert not differ, f"README.md's tree of kb/ (How it works) and kb/ differ: {differ}"


def _documented_keys() -> dict[str, list[str]]:
    """The README's JSON table: the keys in backticks of each row, by the row's first cell."""
    text = README.read_text(encoding="utf-8")
    table = text.split("<!-- kb json -->", 1)[1].split("\n\n", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in table.splitlines()[3:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        own, *best = cells[2].split(";")
        rows[cells[0]] = re.findall(r"`([a-z_]+)`", own)
        if best:  # keys named after a semicolon: the best passage's, at the top of a search hit
            rows[cells[0] + " best"] = re.findall(r"`([a-z_]+)`", best[0])
    return rows


def test_the_readme_json_keys_are_what_kb_prints(seed_store: Store) -> None:
    from kb import api
    from kb.views import contract

    rows = _documented_keys()
    posts = api.list_posts(seed_store)
    assert list(contract.post(posts[0])) == rows["`kb posts`"]
    assert set(contract.stored_post(api.get_post(seed_store, posts[0].id))) == {*rows["`kb posts`"], "text"}
    result = api.search(seed_store, "電子政府")
    (hit, *_) = contract.search(result)
    assert set(hit) == {*rows["`kb search`"], *rows["`kb search` best"]}
    assert list(hit["passages"][0]) == rows["`kb search` … `passages`"]
    (one, *_) = contract.search(result, passages=True)
    assert set(one) == (set(hit) - {"passages", "title_highlights", "matched_passages"}) | set(
        rows["`kb search` … `passages`"]
    )
    (fact, *_) = contract.facts(api.find_facts(seed_store, api.FactQuery()))
    assert list(fact) == rows["`kb facts`"]
    (topic, *_) = contract.topics(api.topics(seed_store))
    assert list(topic) == rows["`kb topics`"]
