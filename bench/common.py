"""Shared helpers for benchmarks: percentiles and the table every benchmark prints."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Table:
    """A benchmark's result: a title, column names, rows, and notes printed under it."""

    title: str
    columns: Sequence[str]
    rows: list[Sequence[object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def render(self) -> str:
        cells = [[_fmt(c) for c in row] for row in self.rows]
        widths = [
            max([len(str(name))] + [len(row[i]) for row in cells])
            for i, name in enumerate(self.columns)
        ]
        line = "+".join("-" * (w + 2) for w in widths)
        out = [f"## {self.title}", line]
        out.append("|".join(f" {str(n).ljust(w)} " for n, w in zip(self.columns, widths)))
        out.append(line)
        out += ["|".join(f" {c.rjust(w)} " for c, w in zip(row, widths)) for row in cells]
        out.append(line)
        out += [f"  {note}" for note in self.notes]
        return "\n".join(out)


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty sequence."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@asynccontextmanager
async def scratch_database(url: str, suffix: str) -> AsyncIterator[str]:
    """A fresh PostgreSQL database `<name>_<suffix>` on the server of `url`, dropped on exit;
    yields its URL (benchmarks never touch the tests' database)."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    parsed = make_url(url)
    name = f"{parsed.database}_{suffix}"
    admin = create_async_engine(parsed, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield parsed.set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


SITE_COLUMNS = ["id", "name", "name_key", "department", "timezone", "open_weekdays",
                "created_at", "updated_at"]  # fmt: skip


async def copy_sites(conn: Any, count: int, now: datetime, *, departments: bool = False) -> None:
    """Sites 1..count ("Site 01"...) open Monday to Friday, written by COPY (asyncpg); with
    `departments`, site s is in department s + 10 (its holidays)."""
    await conn.copy_records_to_table(
        "sites",
        columns=SITE_COLUMNS,
        records=[
            (s, f"Site {s:02d}", f"site {s:02d}", f"{s + 10}" if departments else None,
             "Europe/Paris", 31, now, now)
            for s in range(1, count + 1)
        ],
    )  # fmt: skip
