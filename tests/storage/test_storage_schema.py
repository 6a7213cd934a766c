"""Migrations: the schema they build is the models'; start-up refuses a wrong schema; the CLI."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from bot.cli import main
from storage import SchemaOutOfDate, SchemaTooNew, Storage
from storage.models import metadata
from storage.schema import (
    alembic_config,
    code_revisions,
    current_revision,
    head_revision,
    read_revisions,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "sites.yaml"


async def test_migrations_build_exactly_the_models(storage) -> None:
    def compare(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, metadata)

    async with storage.engine.connect() as conn:
        assert await conn.run_sync(compare) == []


def test_the_cheap_reading_of_the_scripts_is_alembics() -> None:
    # The start-up check reads the scripts' headers itself (no Alembic import): it must agree
    # with Alembic on the head and on every revision it knows.
    script = ScriptDirectory.from_config(alembic_config())
    assert code_revisions().head == script.get_current_head()
    assert code_revisions().known == {r.revision for r in script.walk_revisions()}


def test_the_cheap_reading_follows_merges_and_refuses_two_heads(tmp_path) -> None:
    def script(name: str, revision: str, down: str) -> Path:
        path = tmp_path / f"{name}.py"
        path.write_text(
            f'"""{name}."""\n\nrevision: str = "{revision}"\n'
            f"down_revision: str | Sequence[str] | None = {down}\n",
            encoding="utf-8",
        )
        return path

    base = script("a", "a1", "None")
    left, right = script("b", "b1", '"a1"'), script("c", "c1", '"a1"')
    with pytest.raises(ValueError, match="2 heads"):
        read_revisions([base, left, right])
    merge = script("d", "d1", '("b1", "c1")')
    revisions = read_revisions([base, left, right, merge])
    assert revisions.head == "d1" and revisions.known == {"a1", "b1", "c1", "d1"}


async def test_the_stored_revision_is_alembics(storage) -> None:
    def alembic_heads(connection):
        return MigrationContext.configure(connection).get_current_heads()

    async with storage.engine.connect() as conn:
        heads = await conn.run_sync(alembic_heads)
    assert await current_revision(storage.engine) == heads[0] == head_revision()


@asynccontextmanager
async def stored_revision(storage: Storage, revision: str) -> AsyncIterator[str]:
    """The database marked at `revision` for the block, the head put back after it; yields
    the URL to open it again."""
    head = head_revision()
    async with storage.engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    try:
        yield storage.engine.url.render_as_string(hide_password=False)
    finally:
        async with storage.engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": head})


async def test_start_up_refuses_a_newer_schema(storage, clock) -> None:
    async with stored_revision(storage, "f00dfeed") as url:
        with pytest.raises(SchemaTooNew, match="newer than this version"):
            async with Storage.open(url, clock=clock):
                pass
        # Migrating must not touch it either.
        with pytest.raises(SchemaTooNew, match="f00dfeed"):
            async with Storage.open(url, clock=clock, migrate=True):
                pass


async def test_start_up_refuses_an_older_schema(storage, clock) -> None:
    async with stored_revision(storage, "0012") as url:
        with pytest.raises(SchemaOutOfDate, match=r"revision 0012, .*bureau-volant db upgrade"):
            async with Storage.open(url, clock=clock):
                pass


async def test_start_up_refuses_an_empty_database(tmp_path, clock) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}"
    with pytest.raises(SchemaOutOfDate, match="bureau-volant db upgrade"):
        async with Storage.open(url, clock=clock):
            pass
    async with Storage.open(url, clock=clock, migrate=True) as storage:
        assert await storage.list_sites() == []


def test_cli_upgrade_import_list(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["sites", "list"]) == 1
    assert "bureau-volant db upgrade" in capsys.readouterr().err
    assert main(["db", "upgrade"]) == 0
    assert (tmp_path / "var" / "bureau-volant.sqlite3").is_file()
    assert f"to {head_revision()} (head)" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert "already at revision" in capsys.readouterr().out
    assert main(["db", "current"]) == 0
    assert "(up to date)" in capsys.readouterr().out
    assert main(["sites", "import", str(EXAMPLES)]) == 0
    assert "7 site(s) created" in capsys.readouterr().out
    assert main(["sites", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Paris Balard" in listing and "7 site(s)" in listing
    bad = tmp_path / "bad.yaml"
    bad.write_text("sites:\n  - name: Metz\n", encoding="utf-8")
    assert main(["sites", "import", str(bad)]) == 1
    assert "line 2: desks is required" in capsys.readouterr().err
