"""PostgreSQL: the booking statement's generic plans use the indexes, even planned on empty tables.

`reserve_pg` plans its statement once per connection (force_generic_plan) with sequential
scans disabled; a plan made while the tables are empty is kept as they grow, so every scan in
it must be an index lookup with a condition, never a full scan.
"""

from __future__ import annotations

import json

import pytest

from storage import Slot
from storage.booking import _FAST_PATH_SETTINGS, _pg_book_raw


def scans(plan: dict) -> list[dict]:
    """Every node of a plan that reads a table or an index (a subquery scan reads its child
    plan, whose own scans are found below it)."""
    kind = plan["Node Type"]
    readers = ("CTE Scan", "Function Scan", "Subquery Scan")
    found = [plan] if "Scan" in kind and kind not in readers else []
    for child in plan.get("Plans", []):
        found += scans(child)
    return found


@pytest.mark.postgres
@pytest.mark.parametrize("storage", ["postgres"], indirect=True)
@pytest.mark.parametrize("slot", list(Slot))
@pytest.mark.parametrize("with_label", [False, True])
async def test_generic_plan_only_does_index_lookups(storage, slot, with_label) -> None:
    sql, names = _pg_book_raw(slot, with_label)
    # EXECUTE takes literals only (these are constants of the test).
    literals = {
        "matrix_id": "'@a:example.org'",
        "site_id": "1",
        "day": "'2026-11-24'",
        "label": "'A'",
        "now": "'2026-11-23T08:00:00Z'",
        "event": "NULL",
    }
    async with storage.engine.connect() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        # Statistics that say "empty": the worst case for a plan kept while the tables grow.
        await raw.execute("ANALYZE")
        async with raw.transaction():
            await raw.execute(_FAST_PATH_SETTINGS)
            await raw.execute(f"PREPARE booking AS {sql}")
            arguments = ", ".join(literals[name] for name in names)
            explained = await raw.fetchval(f"EXPLAIN (FORMAT JSON) EXECUTE booking({arguments})")
            await raw.execute("DEALLOCATE booking")
    if isinstance(explained, str):  # without SQLAlchemy's JSON codec on the connection
        explained = json.loads(explained)
    found = scans(explained[0]["Plan"])
    assert found
    for node in found:
        assert node["Node Type"] != "Seq Scan", node
        assert "Index Cond" in node or "Recheck Cond" in node, (node["Index Name"], node["Alias"])
    # Which of the reservations' indexes depends on the statistics earlier tests left behind
    # (ANALYZE of an emptied table keeps them): any of them is a lookup, never a scan.
    taken = [node["Index Name"] for node in found if node.get("Alias") == "r"]
    assert taken and all(
        name.startswith(("ix_reservations_", "uq_reservations_")) for name in taken
    )
