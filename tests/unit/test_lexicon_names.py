"""The lexicon is data: a table name assigned twice silently replaces the first table (a new
`EVERY_WORDS` once replaced the date grammar's "chaque"). A second assignment may only extend
the table it names (`KNOWN_WORDS = KNOWN_WORDS | ...`) or compute it again, by the same
expression, from tables that grew in between (`TYPO_TARGETS`)."""

from __future__ import annotations

import ast
from pathlib import Path

import bot.parsing.lexicon as lexicon


def test_no_lexicon_table_is_assigned_twice() -> None:
    tree = ast.parse(Path(lexicon.__file__).read_text(encoding="utf-8"))
    first: dict[str, str] = {}
    replaced: list[str] = []
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if not isinstance(target, ast.Name):
            continue
        value = getattr(node, "value", None)
        extends = value is not None and any(
            isinstance(n, ast.Name) and n.id == target.id for n in ast.walk(value)
        )
        source = ast.unparse(value) if value is not None else ""
        if target.id in first and not extends and source != first[target.id]:
            replaced.append(target.id)
        first.setdefault(target.id, source)
    assert replaced == []
