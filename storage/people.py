"""Looking people up by name (issue 10: "où est Marc jeudi ?")."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import members
from storage.queries import Tx
from storage.types import TeamMember

MAX_PEOPLE = 50_000


async def list_people(tx: Tx) -> list[TeamMember]:
    """Every member the bot knows (Matrix id and display name), for name matching."""
    rows = await tx.conn.execute(
        select(members.c.matrix_id, members.c.display_name).limit(MAX_PEOPLE)
    )
    return [TeamMember(r.matrix_id, r.display_name) for r in rows]
