"""The start and the end of a turn on PostgreSQL in one statement each (issue 10's latency).

`conversation.open_turn` reads the member (creating them on first contact, refreshing their
display name), their dialogue state and their pending question (removed) with four or five
statements in a transaction: seven round trips with BEGIN and COMMIT, about a third of a
booking's time. Here the same work is one statement with data-modifying CTEs, run without
BEGIN/COMMIT (`Storage._write_one`: a statement alone is a transaction), so it is atomic as
the transaction was. Every CTE sees the same snapshot: the member's row as it was before the
statement, hence the new display name taken from `renamed` and the new member from `added`.

None when the member was created by a concurrent statement between the snapshot and the insert
(`added` then returns nothing): the caller runs the general transaction, which sees them.

At the end of a turn, the dialogue state (saved or forgotten) and the question the bot asked
(stored for a yes/no) are written by one statement too (`end_turn_pg`): a "full" answer that
offers the waitlist costs one round trip for both instead of two.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import String, bindparam, column, delete, select, text
from sqlalchemy.sql.selectable import Select, TextualSelect

from storage.conversation import save_dialogue_statement, save_pending_statement
from storage.domain import RoomId, UserId
from storage.errors import UnknownMember
from storage.models import TaggedJSON, UTCDateTime, dialogue_states, members
from storage.queries import Tx
from storage.types import MemberInfo, PendingQuestion, Role

_OPEN_TURN = """
    WITH found AS (
        SELECT id, display_name FROM members WHERE matrix_id = :matrix_id
    ),
    added AS (
        INSERT INTO members (matrix_id, display_name, role, created_at, updated_at)
        SELECT :matrix_id, :display_name, 'agent', :now, :now
         WHERE NOT EXISTS (SELECT 1 FROM found)
        ON CONFLICT (matrix_id) DO NOTHING
        RETURNING display_name
    ),
    renamed AS (
        UPDATE members SET display_name = :display_name, updated_at = :now
         WHERE id = (SELECT id FROM found)
           AND CAST(:display_name AS VARCHAR) IS NOT NULL
           AND display_name IS DISTINCT FROM :display_name
        RETURNING display_name
    ),
    state AS (
        SELECT s.state, s.expires_at FROM dialogue_states AS s
         WHERE s.member_id = (SELECT id FROM found) AND s.room = :room
    ),
    pending AS (
        DELETE FROM pending_questions AS q
         WHERE q.member_id = (SELECT id FROM found) AND q.room = :room
        RETURNING q.kind, q.payload, q.expires_at
    )
    SELECT m.display_name AS old_name, (SELECT display_name FROM renamed) AS new_name,
           m.role, m.locale,
           coalesce(chosen.name, (
               -- the site of the last booking ("+ 0": see storage.members._info_query)
               SELECT s.name FROM reservations AS r JOIN sites AS s ON s.id = r.site_id
                WHERE r.member_id = m.id ORDER BY r.id + 0 DESC LIMIT 1
           )) AS default_site,
           (SELECT state FROM state) AS state,
           (SELECT expires_at FROM state) AS state_expires_at,
           pending.kind AS pending_kind, pending.payload AS pending_payload,
           pending.expires_at AS pending_expires_at
      FROM members AS m
      LEFT JOIN sites AS chosen ON chosen.id = m.default_site_id
      LEFT JOIN pending ON true
     WHERE m.id = (SELECT id FROM found)
    UNION ALL
    SELECT added.display_name, NULL, 'agent', NULL, NULL, NULL, NULL, NULL, NULL, NULL
      FROM added
"""


@cache
def _open_turn_statement() -> TextualSelect:
    return (
        text(_OPEN_TURN)
        .bindparams(
            bindparam("matrix_id", type_=String),
            bindparam("display_name", type_=String),
            bindparam("room", type_=String),
            bindparam("now", type_=UTCDateTime),
        )
        .columns(
            column("old_name", String),
            column("new_name", String),
            column("role", String),
            column("locale", String),
            column("default_site", String),
            column("state", TaggedJSON),
            column("state_expires_at", UTCDateTime),
            column("pending_kind", String),
            column("pending_payload", TaggedJSON),
            column("pending_expires_at", UTCDateTime),
        )
    )


async def open_turn_pg(
    tx: Tx, member: str, display_name: str | None, room: str
) -> tuple[MemberInfo, dict[str, Any] | None, PendingQuestion | None] | None:
    """`conversation.open_turn` in one statement (PostgreSQL); None: run that one instead."""
    params = {"matrix_id": member, "display_name": display_name, "room": room, "now": tx.now}
    row = (await tx.conn.execute(_open_turn_statement(), params)).first()
    if row is None:
        return None  # created concurrently since our snapshot: the general path sees them
    info = MemberInfo(
        matrix_id=UserId(member),
        display_name=row.new_name if row.new_name is not None else row.old_name,
        role=Role(row.role),
        default_site=row.default_site,
        locale=row.locale,
    )
    state = None
    if row.state is not None and row.state_expires_at > tx.now:
        state = dict(row.state)
    pending = None
    if row.pending_kind is not None and row.pending_expires_at > tx.now:
        pending = PendingQuestion(
            UserId(member),
            RoomId(room),
            row.pending_kind,
            row.pending_payload,
            row.pending_expires_at,
        )
    return info, state, pending


class _StateWrite(StrEnum):
    SAVE = "save"
    CLEAR = "clear"
    KEEP = "keep"


async def end_turn_pg(
    tx: Tx,
    member: UserId,
    room: RoomId,
    state: dict[str, Any] | None,
    state_expires_at: datetime,
    question: PendingQuestion | None,
) -> None:
    """`conversation.end_turn` in one statement (PostgreSQL): data-modifying CTEs, each
    reading the member's id itself; `UnknownMember` when the member does not exist."""
    write = _StateWrite.KEEP if state is None else _StateWrite.SAVE if state else _StateWrite.CLEAR
    params: dict[str, Any] = {"member": member, "room": room, "now": tx.now}
    if write is _StateWrite.SAVE:
        params.update(state=state, state_expires_at=state_expires_at)
    if question is not None:
        params.update(kind=question.kind, payload=question.payload, expires_at=question.expires_at)
    found = await tx.conn.scalar(_end_turn_statement(write, question is not None), params)
    if found is None:
        raise UnknownMember(member)


@cache
def _end_turn_statement(write: _StateWrite, ask: bool) -> Select[Any]:
    member_id = (
        select(members.c.id)
        .where(members.c.matrix_id == bindparam("member", type_=String))
        .scalar_subquery()
    )
    ctes = []
    if write is _StateWrite.SAVE:
        ctes.append(save_dialogue_statement(True, "state_expires_at").cte("saved_state"))
    elif write is _StateWrite.CLEAR:
        forget = delete(dialogue_states).where(
            dialogue_states.c.member_id == member_id,
            dialogue_states.c.room == bindparam("room", type_=String),
        )
        ctes.append(forget.returning(dialogue_states.c.member_id).cte("cleared_state"))
    if ask:
        ctes.append(save_pending_statement(True).cte("saved_question"))
    return select(member_id.label("member_id")).add_cte(*ctes)
